package dev.chat.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;

/**
 * What carries one session's lines: a TCP socket ({@link SocketTransport}) or a WebSocket
 * ({@link WebSocketTransport}). The session reads LF-terminated bytes from {@link #input()}
 * and its outbox writes LF-terminated lines to {@link #output()}; everything else about a
 * session is the same whatever carries it.
 */
interface Transport {

    /**
     * Completes what must come before the first line, such as a TLS handshake, on the session's
     * handler thread, within a time limit. Returns false when it failed (and says why in the log).
     */
    boolean open();

    /**
     * The client's bytes: lines ending in LF. Its {@code available()} counts the bytes that
     * arrived and were not read yet, which flood control weighs.
     */
    InputStream input() throws IOException;

    /** Where the client's lines go; written by the outbox's writer only. */
    OutputStream output() throws IOException;

    /** The client's IP address, as bans and the limits per address see it. */
    InetAddress address();

    /** The client's address and port, e.g. {@code 127.0.0.1:41234}, for the logs. */
    String remote();

    /**
     * Whether the client reached this server itself over TLS, so that the certificate it saw,
     * which its signatures cover, is the server's.
     */
    boolean tls();

    /** Stops reading: the session's next read ends as at the end of the stream. Any thread. */
    void shutdownInput() throws IOException;

    /** Ends the stream of lines once the last one was written, so the client sees a clean end. Writer only. */
    void shutdownOutput() throws IOException;

    /** Closes the connection now: a blocked read or write fails. Any thread; never blocks on the client. */
    void close() throws IOException;
}
