package dev.chat.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A chat user on a bare socket, as with {@code nc}: the lines it sends and the lines it
 * reads, raw or parsed. Every read is under {@link #READ_TIMEOUT}, so a line that never comes
 * fails the test instead of hanging it. Used by one test thread at a time.
 */
public final class WireClient implements AutoCloseable {

    /** How long any read waits for the server; past it the read throws {@link java.net.SocketTimeoutException}. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private static final String LOOPBACK = "127.0.0.1";

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final List<String> seen = new ArrayList<>();
    /** Whether {@link #seen()} keeps lines; off for clients that read millions of them. */
    private boolean keepSeen = true;
    private final byte[] buffer = new byte[16 * 1024];
    private int bufferPos;
    private int bufferEnd;

    private WireClient(Socket socket) throws IOException {
        socket.setSoTimeout(Math.toIntExact(READ_TIMEOUT.toMillis()));
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the server on {@code port} of the loopback address. */
    public static WireClient connect(int port) throws IOException {
        return connect(port, 0);
    }

    /**
     * Connects with a small receive buffer ({@code receiveBufferBytes}; 0 leaves the default),
     * for a client that is to stop reading and let the server's queue for it fill up.
     */
    public static WireClient connect(int port, int receiveBufferBytes) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferBytes > 0) {
            socket.setReceiveBufferSize(receiveBufferBytes);
        }
        return connect(socket, port);
    }

    /**
     * Connects from the loopback address {@code local} (any of 127.0.0.0/8): a client from
     * another address, as bans and per-address limits see it, or many short connections
     * spread over more than one address's ephemeral ports.
     */
    public static WireClient connectFrom(InetAddress local, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(local, 0));
        return connect(socket, port);
    }

    private static WireClient connect(Socket socket, int port) throws IOException {
        try {
            socket.connect(new InetSocketAddress(LOOPBACK, port), Math.toIntExact(READ_TIMEOUT.toMillis()));
            return new WireClient(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Connects with TLS to {@code port} of the loopback address and completes the handshake,
     * trusting whatever certificate the server shows: for tests of what comes after it (a test
     * of the certificate itself checks it on a socket of its own and hands it to {@link #over}).
     */
    public static WireClient connectTls(int port) throws IOException {
        SSLSocket socket;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingAnyCertificate()}, null);
            socket = (SSLSocket) context.getSocketFactory().createSocket();
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS here: " + e.getMessage(), e);
        }
        WireClient client = connect(socket, port);
        try {
            socket.startHandshake();
            return client;
        } catch (IOException e) {
            client.close();
            throw e;
        }
    }

    /** Trusts any server certificate; never used for clients. */
    private static final class TrustingAnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client of the tests trusts servers only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Any: the tests that care about the certificate check it themselves.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** A client on a socket already connected, such as a TLS socket after its handshake. */
    public static WireClient over(Socket connected) throws IOException {
        return new WireClient(connected);
    }

    /** Connects to the server on {@code port} and registers {@code name}, as {@link #register(String)} does. */
    public static WireClient register(int port, String name) throws IOException {
        WireClient client = connect(port);
        try {
            return client.register(name);
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** Gives the server's password ({@code /pass}) and reads up to the name prompt. */
    public WireClient pass(String password) throws IOException {
        send("/pass " + password);
        await(ServerLine.NamePrompt.class);
        return this;
    }

    /**
     * Sends {@code name} and reads through the welcome (the welcome, the default room, who is
     * in it, its topic if any) up to and including the hint about {@code /help}; the lines are
     * in {@link #seen()}. Fails the test at once if the name is refused.
     */
    public WireClient register(String name) throws IOException {
        send(name);
        ServerLine answer = await(line -> line instanceof ServerLine.Welcome || line instanceof ServerLine.Error);
        assertThat(answer).as("the answer to the name %s", name).isInstanceOf(ServerLine.Welcome.class);
        await(ServerLine.Info.class);
        return this;
    }

    /**
     * Joins {@code room} (not the default room) and reads through what a newcomer is told up to
     * the room's member list, which it returns; the history follows it.
     */
    public ServerLine.Online join(String room) throws IOException {
        send("/join " + room);
        return awaitIn(room, ServerLine.Online.class);
    }

    /** Sends {@code line} and its LF. */
    public void send(String line) throws IOException {
        sendRaw((line + "\n").getBytes(Protocol.CHARSET));
    }

    /** Sends bytes as they are: half a line, telnet commands, invalid UTF-8. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next line, or null at end of stream; throws after the read timeout. */
    public String readLine() throws IOException {
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
    public byte[] readRawLine() throws IOException {
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
    public WireClient forgetLines() {
        keepSeen = false;
        return this;
    }

    /** The next line, parsed; fails the test at end of stream. */
    public ServerLine next() throws IOException {
        String line = readLine();
        assertThat(line).as("a line from the server (connection ended)").isNotNull();
        return ServerLine.parse(line);
    }

    /** Reads until a line that {@code wanted} accepts, and returns it; fails the test at end of stream. */
    public ServerLine await(Predicate<ServerLine> wanted) throws IOException {
        while (true) {
            ServerLine line = next();
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Reads until a line of {@code type} comes, and returns it. */
    public <T extends ServerLine> T await(Class<T> type) throws IOException {
        return type.cast(await(type::isInstance));
    }

    /** Reads until a line of room {@code room} (tagged with it) wrapping a {@code type} comes; returns the inner line. */
    public <T extends ServerLine> T awaitIn(String room, Class<T> type) throws IOException {
        ServerLine.InRoom line = (ServerLine.InRoom) await(candidate -> candidate instanceof ServerLine.InRoom(
                String r, ServerLine inner) && r.equals(room) && type.isInstance(inner));
        return type.cast(line.line());
    }

    /** Reads until a line whose body (the line without its stamp) is {@code body}. */
    public ServerLine awaitBody(String body) throws IOException {
        return await(line -> line.body().equals(body));
    }

    /** Reads until the server closes the connection; returns the lines read on the way. */
    public List<String> readToEnd() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line; (line = readLine()) != null; ) {
            lines.add(line);
        }
        return lines;
    }

    /** Every line read so far (unless {@link #forgetLines()} was called). */
    public List<String> seen() {
        return seen;
    }

    /** The socket, for a test that stops reading without closing (the buffers fill up) or looks at it. */
    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
