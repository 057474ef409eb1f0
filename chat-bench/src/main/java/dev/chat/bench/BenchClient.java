package dev.chat.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.locks.LockSupport;

/** One generated client: its socket, the node it is on, its handshake state, and its unfinished last line. */
final class BenchClient {

    private static final long WRITE_RETRY_NANOS = 50_000;

    private final String name;
    private final boolean sender;
    private final SocketChannel channel;
    private final ClientPool pool;
    /** Index of its server among the target's nodes. */
    private final int node;

    /** Bytes of a line whose end has not arrived yet; owned by the client's I/O thread. */
    byte[] partial;
    int partialLength;

    private volatile boolean ready;
    private volatile boolean closed;
    private boolean joined;
    private boolean awaitingOper;
    /** Measured messages this client received; counted by its I/O thread. */
    private long measuredReceived;

    BenchClient(String name, boolean sender, SocketChannel channel, ClientPool pool, int node) {
        this.name = name;
        this.sender = sender;
        this.channel = channel;
        this.pool = pool;
        this.node = node;
    }

    int node() {
        return node;
    }

    /** Counts one measured delivery; on the client's I/O thread only. */
    void measured() {
        measuredReceived++;
    }

    /** Measured deliveries so far; exact once the client's I/O thread has stopped. */
    long measuredReceived() {
        return measuredReceived;
    }

    String name() {
        return name;
    }

    boolean sender() {
        return sender;
    }

    SocketChannel channel() {
        return channel;
    }

    boolean isReady() {
        return ready;
    }

    boolean isClosed() {
        return closed;
    }

    void ready() {
        if (!ready) {
            ready = true;
            pool.readied(this);
        }
    }

    void joined() {
        joined = true;
    }

    boolean hasJoined() {
        return joined;
    }

    void awaitingOper(boolean waiting) {
        awaitingOper = waiting;
    }

    boolean isAwaitingOper() {
        return awaitingOper;
    }

    /** The server refused the handshake; the client counts as failed. */
    void failed(String line) {
        pool.failed(this, line);
    }

    /** Marks the connection gone (the server closed it or a read failed). */
    void closed() {
        if (!closed) {
            closed = true;
            pool.lost(this);
        }
    }

    /**
     * Writes all of {@code bytes} on a non-blocking socket, parking briefly while the socket's
     * buffer is full. Returns how many times it had to wait.
     */
    int write(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int waits = 0;
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                waits++;
                LockSupport.parkNanos(WRITE_RETRY_NANOS);
            }
        }
        return waits;
    }
}
