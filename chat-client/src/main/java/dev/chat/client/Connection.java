package dev.chat.client;

import dev.chat.protocol.LineDecoder;
import dev.chat.protocol.LineTooLongException;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * One TCP connection to a chat server, in plain text or with TLS: lines go out through {@link #send(String)}, lines
 * coming in are parsed and handed to a {@link ConnectionListener} by a reader thread named
 * {@code net-reader}.
 */
public final class Connection implements Closeable {

    /**
     * The longest server line read. The longest is the {@code Online} list: 22 bytes a name,
     * so this holds some 47,000 names, more than one server process can have connected.
     */
    private static final int MAX_SERVER_LINE_BYTES = 1024 * 1024;

    /** Offered in this order; nothing older. */
    private static final String[] TLS_PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final String host;
    private final int port;
    /** The TCP connection; closing it ends the connection at once, also under TLS. */
    private final Socket transport;
    /** What lines are read from and written to: the TLS socket over {@link #transport}, or the transport itself. */
    private final Socket socket;
    private final String serverFingerprint;
    private final OutputStream out;
    private final Object writeLock = new Object();
    private final AtomicBoolean closedByUs = new AtomicBoolean();
    private final Thread reader;

    private Connection(String host, int port, Socket transport, Socket socket, ConnectionListener listener)
            throws IOException {
        this.host = host;
        this.port = port;
        this.transport = transport;
        this.socket = socket;
        this.serverFingerprint = socket instanceof SSLSocket tls
                ? Fingerprint.of(tls.getSession().getPeerCertificates()[0]) : null;
        this.out = socket.getOutputStream();
        LineDecoder lines = new LineDecoder(socket.getInputStream(), MAX_SERVER_LINE_BYTES, 8192);
        this.reader = Thread.ofPlatform().daemon().name("net-reader").unstarted(() -> readLoop(lines, listener));
    }

    /**
     * Connects, blocking the calling thread for at most {@code timeout} to connect and, with
     * TLS, as long again for the handshake, and starts reading. With TLS, a server that
     * neither an authority nor the known servers vouch for is put to {@code prompt} on the
     * calling thread, with no connection open, for as long as the user takes; if accepted, it
     * is remembered and connected to again.
     *
     * @throws ConnectFailedException when no connection could be made; its message is fit for users
     */
    public static Connection open(Endpoint endpoint, Duration timeout, TrustPrompt prompt,
            ConnectionListener listener) throws ConnectFailedException {
        if (!endpoint.isTls()) {
            Socket transport = connectTcp(endpoint.host(), endpoint.port(), timeout);
            return start(endpoint, transport, transport, listener);
        }
        TlsSocket tls = connectTls(endpoint, timeout, prompt);
        return start(endpoint, tls.transport(), tls.socket(), listener);
    }

    private static Connection start(Endpoint endpoint, Socket transport, Socket socket, ConnectionListener listener)
            throws ConnectFailedException {
        try {
            Connection connection = new Connection(endpoint.host(), endpoint.port(), transport, socket, listener);
            connection.reader.start();
            return connection;
        } catch (IOException e) {
            closeQuietly(socket);
            closeQuietly(transport);
            throw new ConnectFailedException(endpoint.host(), endpoint.port(), reasonOf(e), e);
        }
    }

    private static Socket connectTcp(String host, int port, Duration timeout) throws ConnectFailedException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), Math.toIntExact(timeout.toMillis()));
            socket.setTcpNoDelay(true);
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            throw new ConnectFailedException(host, port, reasonOf(e), e);
        }
    }

    /** A TLS socket and the TCP connection under it. */
    private record TlsSocket(Socket transport, SSLSocket socket) {
    }

    /** Connects and completes a TLS handshake, asking the user about a server seen for the first time. */
    private static TlsSocket connectTls(Endpoint endpoint, Duration timeout, TrustPrompt prompt)
            throws ConnectFailedException {
        String host = endpoint.host();
        int port = endpoint.port();
        ServerTrust trust = endpoint.tls();
        boolean asked = false;
        while (true) {
            Socket transport = connectTcp(host, port, timeout);
            ServerTrustManager check = trust.forHandshake(host, port);
            boolean mayAsk = !asked;
            try {
                return new TlsSocket(transport, handshake(transport, host, port, check, timeout));
            } catch (IOException e) {
                closeQuietly(transport);
                switch (check.verdict()) {
                    case ServerTrustManager.Verdict.Unknown unknown when mayAsk -> {
                        asked = true;
                        if (!prompt.trustFirstTime(host, port, unknown.presented())) {
                            throw new ConnectFailedException(host, port, ConnectFailedException.Reason.NOT_TRUSTED,
                                    null, e, null, unknown.presented());
                        }
                        try {
                            trust.knownServers().remember(host, port, unknown.presented());
                        } catch (IOException notWritten) {
                            throw new ConnectFailedException(host, port, ConnectFailedException.Reason.KNOWN_SERVERS,
                                    notWritten.getMessage(), notWritten, null, unknown.presented());
                        }
                        // Connected again: the server would have timed out the handshake while the user read.
                    }
                    case ServerTrustManager.Verdict.Unknown unknown -> throw new ConnectFailedException(host, port,
                            ConnectFailedException.Reason.NOT_TRUSTED, null, e, null, unknown.presented());
                    case ServerTrustManager.Verdict.Changed changed -> throw new ConnectFailedException(host, port,
                            ConnectFailedException.Reason.CERTIFICATE_CHANGED, null, e, changed.known(),
                            changed.presented());
                    case ServerTrustManager.Verdict.Unreadable unreadable -> throw new ConnectFailedException(host,
                            port, ConnectFailedException.Reason.KNOWN_SERVERS, unreadable.problem().getMessage(), e,
                            null, null);
                    default -> throw new ConnectFailedException(host, port, handshakeReason(e),
                            e instanceof SSLException && !isNotTls(e) ? e.getMessage() : null, e, null, null);
                }
            }
        }
    }

    private static SSLSocket handshake(Socket transport, String host, int port, ServerTrustManager check,
            Duration timeout) throws IOException {
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {check}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS", e);
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(transport, host, port, true);
        tls.setEnabledProtocols(TLS_PROTOCOLS);
        SSLParameters parameters = tls.getSSLParameters();
        // An authority's certificate must be for this host; a known server's is pinned instead.
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.setSoTimeout(Math.toIntExact(timeout.toMillis()));
        tls.startHandshake();
        tls.setSoTimeout(0);
        return tls;
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

    /** Why a TLS handshake failed, the certificate being no part of it. */
    private static ConnectFailedException.Reason handshakeReason(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return ConnectFailedException.Reason.TLS_TIMED_OUT;
        }
        if (isNotTls(e)) {
            return ConnectFailedException.Reason.NOT_TLS;
        }
        return e instanceof SSLException ? ConnectFailedException.Reason.TLS_FAILED : ConnectFailedException.Reason.NETWORK;
    }

    /**
     * Whether a handshake failed because the other side does not speak TLS: it sent bytes
     * that are no TLS record (the chat server's plain port greets at once), or it hung up.
     */
    private static boolean isNotTls(IOException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof EOFException
                    || String.valueOf(cause.getMessage()).contains("Unsupported or unrecognized SSL message")) {
                return true;
            }
        }
        return false;
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

    /** The address of this end of the connection: the interface that reaches the server. */
    public java.net.InetAddress localAddress() {
        return transport.getLocalAddress();
    }

    /** Whether the connection is made with TLS. */
    public boolean isTls() {
        return serverFingerprint != null;
    }

    /** The fingerprint of the server's certificate (see {@link Fingerprint}), or empty without TLS. */
    public Optional<String> serverFingerprint() {
        return Optional.ofNullable(serverFingerprint);
    }

    /** Whether the connection is still open. */
    public boolean isOpen() {
        return !transport.isClosed() && !socket.isClosed();
    }

    /** Closes the connection; the listener hears {@code onClosed(true)} on the reader thread. */
    @Override
    public void close() {
        closedByUs.set(true);
        // The TCP connection, not the TLS socket: no close_notify that could wait on a full send buffer.
        closeQuietly(transport);
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
            closeQuietly(transport);
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
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }
}
