package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A raw line client for tests: a real socket to the server, every read under a timeout. */
final class TestClient implements AutoCloseable {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final List<String> seen = new ArrayList<>();
    /** Whether {@link #seen()} keeps lines; off for clients that read millions of them. */
    private boolean keepSeen = true;
    private final byte[] buffer = new byte[16 * 1024];
    private int bufferPos;
    private int bufferEnd;

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static TestClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** Connects with a small receive buffer ({@code receiveBufferBytes}; 0 leaves the default). */
    static TestClient connect(int port, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_TIMEOUT.toMillis());
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        return new TestClient(socket);
    }

    /**
     * Connects from the loopback address {@code local} (any of 127.0.0.0/8), so that many
     * short connections spread over more than one address's ephemeral ports.
     */
    static TestClient connectFrom(InetAddress local, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(local, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_TIMEOUT.toMillis());
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        return new TestClient(socket);
    }

    /** Connects and registers {@code name}, reading up to and including the welcome's help hint. */
    static TestClient register(int port, String name) throws IOException {
        return register(connect(port), name);
    }

    /** Registers {@code name} on an open connection, as {@link #register(int, String)} does. */
    static TestClient register(TestClient client, String name) throws IOException {
        client.send(name);
        client.await(ServerLine.Welcome.class);
        client.await(ServerLine.Online.class);
        client.await(ServerLine.Info.class);
        return client;
    }

    void send(String line) throws IOException {
        sendRaw((line + "\n").getBytes(Protocol.CHARSET));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next line, or null at end of stream; fails the test after the read timeout. */
    String readLine() throws IOException {
        byte[] raw = readRawLine();
        if (raw == null) {
            return null;
        }
        String line = new String(raw, Protocol.CHARSET);
        if (keepSeen) {
            seen.add(line);
        }
        return line;
    }

    /**
     * The next line's bytes as the server sent them, without the LF and without any decoding
     * (a CR or an invalid UTF-8 sequence stays as it is); null at end of stream. A last line
     * without LF is returned as a line.
     */
    byte[] readRawLine() throws IOException {
        byte[] line = new byte[0];
        while (true) {
            for (int i = bufferPos; i < bufferEnd; i++) {
                if (buffer[i] == '\n') {
                    byte[] joined = join(line, i);
                    bufferPos = i + 1;
                    return joined;
                }
            }
            line = join(line, bufferEnd);
            bufferPos = bufferEnd;
            int read = in.read(buffer);
            if (read < 0) {
                return line.length > 0 ? line : null;
            }
            bufferPos = 0;
            bufferEnd = read;
        }
    }

    /** {@code head} followed by the buffered bytes up to {@code end}. */
    private byte[] join(byte[] head, int end) {
        byte[] joined = Arrays.copyOf(head, head.length + end - bufferPos);
        System.arraycopy(buffer, bufferPos, joined, head.length, end - bufferPos);
        return joined;
    }

    /** Stops keeping the lines read in {@link #seen()}, for a client that reads very many. */
    TestClient forgetLines() {
        keepSeen = false;
        return this;
    }

    /** The next line, parsed; fails the test at end of stream. */
    ServerLine next() throws IOException {
        String line = readLine();
        assertThat(line).as("a line from the server (connection ended)").isNotNull();
        return ServerLine.parse(line);
    }

    /** Reads until a line of {@code type} comes, and returns it. */
    <T extends ServerLine> T await(Class<T> type) throws IOException {
        while (true) {
            ServerLine line = next();
            if (type.isInstance(line)) {
                return type.cast(line);
            }
        }
    }

    /** Reads until the server closes the connection; returns the lines read on the way. */
    List<String> readToEnd() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line; (line = readLine()) != null; ) {
            lines.add(line);
        }
        return lines;
    }

    /** Every line read so far. */
    List<String> seen() {
        return seen;
    }

    /** Stops reading without closing: the socket's buffers fill up. */
    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
