package dev.chat.client;

import dev.chat.protocol.LineDecoder;
import dev.chat.protocol.LineTooLongException;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One TCP connection to a chat server: lines go out through {@link #send(String)}, lines
 * coming in are parsed and handed to a {@link ConnectionListener} by a reader thread named
 * {@code net-reader}.
 */
public final class Connection implements Closeable {

    /**
     * The longest server line read. The longest is the {@code Online} list: 22 bytes a name,
     * so this holds some 47,000 names, more than one server process can have connected.
     */
    private static final int MAX_SERVER_LINE_BYTES = 1024 * 1024;

    private final String host;
    private final int port;
    private final Socket socket;
    private final OutputStream out;
    private final Object writeLock = new Object();
    private final AtomicBoolean closedByUs = new AtomicBoolean();
    private final Thread reader;

    private Connection(String host, int port, Socket socket, ConnectionListener listener) throws IOException {
        this.host = host;
        this.port = port;
        this.socket = socket;
        this.out = socket.getOutputStream();
        LineDecoder lines = new LineDecoder(socket.getInputStream(), MAX_SERVER_LINE_BYTES, 8192);
        this.reader = Thread.ofPlatform().daemon().name("net-reader").unstarted(() -> readLoop(lines, listener));
    }

    /**
     * Connects, blocking the calling thread for at most {@code timeout}, and starts reading.
     *
     * @throws ConnectFailedException when no connection could be made; its message is fit for users
     */
    public static Connection open(String host, int port, Duration timeout, ConnectionListener listener)
            throws ConnectFailedException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
            socket.setTcpNoDelay(true);
            Connection connection = new Connection(host, port, socket, listener);
            connection.reader.start();
            return connection;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ConnectFailedException(host, port, reasonOf(e), e);
        }
    }

    private static ConnectFailedException.Reason reasonOf(IOException e) {
        if (e instanceof UnknownHostException) {
            return ConnectFailedException.Reason.UNKNOWN_HOST;
        }
        if (e instanceof ConnectException) {
            return ConnectFailedException.Reason.REFUSED;
        }
        if (e instanceof SocketTimeoutException) {
            return ConnectFailedException.Reason.TIMED_OUT;
        }
        return ConnectFailedException.Reason.NETWORK;
    }

    /** The host this connection was opened to, as given. */
    public String host() {
        return host;
    }

    /** The port this connection was opened to. */
    public int port() {
        return port;
    }

    /**
     * Sends one line; the terminator is added. Safe from any thread; blocks while the socket
     * does not take the bytes.
     *
     * @throws IOException when the connection is gone
     */
    public void send(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(Protocol.CHARSET);
        synchronized (writeLock) {
            out.write(bytes);
            out.flush();
        }
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return !socket.isClosed();
    }

    /** Closes the connection; the listener hears {@code onClosed(true)} on the reader thread. */
    @Override
    public void close() {
        closedByUs.set(true);
        closeQuietly(socket);
    }

    /** Waits up to {@code timeout} for the reader thread to end; returns whether it has. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return reader.join(timeout);
    }

    private void readLoop(LineDecoder lines, ConnectionListener listener) {
        try {
            String line;
            while ((line = readLineSkippingOverlong(lines)) != null) {
                listener.onLine(ServerLine.parse(line));
            }
        } catch (IOException e) {
            // The server went away or close() was called; either way the connection is over.
        } finally {
            closeQuietly(socket);
            listener.onClosed(closedByUs.get());
        }
    }

    private static String readLineSkippingOverlong(LineDecoder lines) throws IOException {
        while (true) {
            try {
                return lines.readLine();
            } catch (LineTooLongException e) {
                // A server line this long breaks the protocol; it is dropped, the connection goes on.
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }
}
