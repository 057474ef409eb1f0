package dev.chat.console;

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
import java.util.function.Predicate;

/** Another chat user on a raw socket, as with nc: every read is under a timeout. */
final class WireUser implements AutoCloseable {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private WireUser(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), Protocol.CHARSET));
        this.out = socket.getOutputStream();
    }

    /** Connects to the server on {@code port} and registers {@code name}, reading up to the welcome's help hint. */
    static WireUser register(int port, String name) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_TIMEOUT.toMillis());
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        WireUser user = new WireUser(socket);
        user.send(name);
        user.await(line -> line instanceof ServerLine.Welcome);
        user.await(line -> line instanceof ServerLine.Info);
        return user;
    }

    void send(String line) throws IOException {
        out.write((line + "\n").getBytes(Protocol.CHARSET));
        out.flush();
    }

    /** Reads until a line that {@code wanted} accepts; fails at end of stream or after the read timeout. */
    ServerLine await(Predicate<ServerLine> wanted) throws IOException {
        while (true) {
            String raw = in.readLine();
            assertThat(raw).as("a line from the server (connection ended)").isNotNull();
            ServerLine line = ServerLine.parse(raw);
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Reads until a line whose body is {@code body}. */
    ServerLine awaitBody(String body) throws IOException {
        return await(line -> line.body().equals(body));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
