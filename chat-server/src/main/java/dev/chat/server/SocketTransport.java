package dev.chat.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** A session carried by a TCP socket, plain or TLS: the bytes on the wire are the lines. */
final class SocketTransport implements Transport {

    private static final Logger log = LogManager.getLogger(SocketTransport.class);

    /** How long a TLS client has to complete its handshake. */
    private static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final Socket socket;
    private final String remote;

    SocketTransport(Socket socket) {
        this.socket = socket;
        this.remote = describe(socket);
    }

    private static String describe(Socket socket) {
        if (socket.getRemoteSocketAddress() instanceof InetSocketAddress address) {
            return address.getAddress().getHostAddress() + ":" + address.getPort();
        }
        return String.valueOf(socket.getRemoteSocketAddress());
    }

    /**
     * Completes a TLS handshake before anything is written, within a time limit, so that a
     * plain-text client on the TLS port is closed rather than left hanging. Nothing to do for
     * a plain socket.
     */
    @Override
    public boolean open() {
        if (!(socket instanceof SSLSocket tls)) {
            return true;
        }
        try {
            tls.setSoTimeout(Math.toIntExact(TLS_HANDSHAKE_TIMEOUT.toMillis()));
            tls.startHandshake();
            tls.setSoTimeout(0);
            return true;
        } catch (IOException e) {
            log.info("{}: TLS handshake failed: {}", remote, e.getMessage());
            return false;
        }
    }

    @Override
    public InputStream input() throws IOException {
        return socket.getInputStream();
    }

    @Override
    public OutputStream output() throws IOException {
        return socket.getOutputStream();
    }

    @Override
    public InetAddress address() {
        return socket.getInetAddress();
    }

    @Override
    public boolean tls() {
        return socket instanceof SSLSocket;
    }

    @Override
    public String remote() {
        return remote;
    }

    @Override
    public void shutdownInput() throws IOException {
        socket.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
