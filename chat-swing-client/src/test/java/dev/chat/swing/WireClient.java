package dev.chat.swing;

import dev.chat.protocol.LineDecoder;
import dev.chat.protocol.LineTooLongException;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.function.Predicate;

/** A bare socket client for tests, like a user on nc: every read times out after five seconds. */
public final class WireClient implements Closeable {

    private static final int READ_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final OutputStream out;
    private final LineDecoder lines;

    private WireClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.lines = new LineDecoder(socket.getInputStream(), 64 * 1024, 8192);
    }

    /** Connects to the server on the loopback address and registers as {@code name}. */
    public static WireClient register(int port, String name) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        WireClient client = new WireClient(socket);
        client.await(ServerLine.NamePrompt.class::isInstance);
        client.send(name);
        client.await(line -> line instanceof ServerLine.Welcome);
        return client;
    }

    public void send(String line) throws IOException {
        out.write((line + "\n").getBytes(Protocol.CHARSET));
        out.flush();
    }

    /**
     * Reads lines until one matches and returns it.
     *
     * @throws IOException when the connection ends or no line comes within five seconds
     */
    public ServerLine await(Predicate<ServerLine> wanted) throws IOException {
        while (true) {
            String raw;
            try {
                raw = lines.readLine();
            } catch (LineTooLongException e) {
                continue;
            }
            if (raw == null) {
                throw new IOException("the server closed the connection");
            }
            ServerLine line = ServerLine.parse(raw);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
