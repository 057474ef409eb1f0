package dev.chat.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A WebSocket's incoming bytes as a stream for the session's handler: the frames' payloads,
 * each line followed by its LF, in a bounded buffer. When the buffer holds {@code capacity}
 * bytes, no further frame is asked for until the handler has read some ({@code demand} asks
 * for one): the client's bytes then wait in its TCP connection, as a TCP client's do. Filled
 * by Jetty's thread of the connection, read by the session's handler thread.
 */
final class FrameInput extends InputStream {

    /** Guards {@link #chunks}, {@link #first}, {@link #available}, {@link #ended} and {@link #demandWaiting}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    /** Bytes of the first chunk already read. */
    private int first;
    private int available;
    /** No more bytes will come: the client closed, or the session stopped reading. */
    private boolean ended;
    /** A frame is to be asked for once the handler has made room. */
    private boolean demandWaiting;

    private final int capacity;
    private final Runnable demand;

    /**
     * @param capacity how many bytes may wait before no more frames are asked for
     * @param demand   asks the connection for the next frame; called outside the lock
     */
    FrameInput(int capacity, Runnable demand) {
        this.capacity = capacity;
        this.demand = demand;
    }

    /**
     * Adds the bytes of one frame (with an LF at the end of a message) for the handler. Jetty's
     * thread only.
     *
     * @return whether the next frame may be asked for now; if not, it is asked for once the
     *         handler has read enough
     */
    boolean offer(byte[] bytes) {
        lock.lock();
        try {
            if (ended) {
                return false;
            }
            if (bytes.length > 0) {
                chunks.add(bytes);
                available += bytes.length;
                arrived.signal();
            }
            if (available < capacity) {
                return true;
            }
            demandWaiting = true;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** The client closed: what is buffered is still read, then the end of the stream. Any thread. */
    void end() {
        lock.lock();
        try {
            ended = true;
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Stops reading: what is buffered is dropped, and the next read ends the stream. Any thread. */
    void shutdown() {
        lock.lock();
        try {
            ended = true;
            chunks.clear();
            first = 0;
            available = 0;
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    /** Blocks the handler until bytes have arrived or the stream ended. */
    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        boolean demandNow;
        int read = 0;
        lock.lock();
        try {
            while (available == 0 && !ended) {
                arrived.await();
            }
            if (available == 0) {
                return -1;
            }
            while (read < length && !chunks.isEmpty()) {
                byte[] chunk = chunks.peek();
                int n = Math.min(length - read, chunk.length - first);
                System.arraycopy(chunk, first, into, offset + read, n);
                read += n;
                first += n;
                if (first == chunk.length) {
                    chunks.poll();
                    first = 0;
                }
            }
            available -= read;
            demandNow = demandWaiting && available < capacity;
            if (demandNow) {
                demandWaiting = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the client");
        } finally {
            lock.unlock();
        }
        if (demandNow) {
            demand.run();
        }
        return read;
    }

    /** The bytes that arrived and were not read yet. */
    @Override
    public int available() {
        lock.lock();
        try {
            return available;
        } finally {
            lock.unlock();
        }
    }
}
