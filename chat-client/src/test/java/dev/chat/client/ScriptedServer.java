package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * A server a test speaks for, line by line, on a real loopback socket: for what the real
 * server does not send (an older server's welcome, say). Every read times out.
 */
final class ScriptedServer implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ServerSocket listener;
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    ScriptedServer() throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setSoTimeout((int) TIMEOUT.toMillis());
    }

    Endpoint endpoint() {
        return Endpoint.plain("127.0.0.1", listener.getLocalPort());
    }

    /** Waits for the client to connect. */
    ScriptedServer accept() throws IOException {
        socket = listener.accept();
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), Protocol.CHARSET));
        out = socket.getOutputStream();
        return this;
    }

    /** Sends each line, a terminator added. */
    ScriptedServer send(String... lines) throws IOException {
        for (String line : lines) {
            out.write((line + "\n").getBytes(Protocol.CHARSET));
        }
        out.flush();
        return this;
    }

    /** The next line the client sent. */
    String read() throws IOException {
        String line = in.readLine();
        assertThat(line).as("a line from the client").isNotNull();
        return line;
    }

    /** Reads what the client sends until it hangs up, or the read times out. */
    void drain() throws IOException {
        while (in.readLine() != null) {
            // Nothing more is scripted.
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        listener.close();
    }
}
