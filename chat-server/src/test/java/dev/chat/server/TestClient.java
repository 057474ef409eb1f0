package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A raw line client for tests: a real socket to the server, every read under a timeout. */
final class TestClient implements AutoCloseable {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;
    private final List<String> seen = new ArrayList<>();

    private TestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), Protocol.CHARSET));
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
        String line = in.readLine();
        if (line != null) {
            seen.add(line);
        }
        return line;
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
