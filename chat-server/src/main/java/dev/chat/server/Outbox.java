package dev.chat.server;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client's bounded queue of outgoing lines. Senders never touch the socket, so nobody
 * waits on somebody else's slow connection.
 *
 * <p>The queue is written out by a writer thread that exists only while there is something
 * to write: the offer that finds the outbox idle starts one, and it ends once the queue is
 * empty. At most one writer runs at a time, so lines go out in the order they were queued.
 * An idle connection thus costs no writer thread, and a writer that falls behind sends
 * everything that piled up meanwhile in one write.
 */
final class Outbox {

    /** What became of an offered line. */
    enum Offer {
        /** Queued; a writer will send it. */
        QUEUED,
        /**
         * Queued, and the outbox was idle: the caller must call {@link #startWriter()} (after
         * releasing any lock it holds, so that starting the thread happens outside it).
         */
        QUEUED_IDLE,
        /** Not queued: the queue would go over its limit. The client cannot keep up. */
        OVERFLOW,
        /** Not queued: the outbox is finishing, or its connection failed, and takes nothing more. */
        CLOSED
    }

    /** How the connection learns that its outbox ended. */
    interface Listener {
        /** Called once, on the writer, after {@link Outbox#finish()} and the last queued line. */
        void finished() throws IOException;

        /** Called once, on the writer, when a write failed: the client is gone. */
        void failed(Exception e);
    }

    /** The most bytes joined into one write; a longer line goes out alone. */
    private static final int MAX_BATCH_BYTES = 64 * 1024;

    /** Makes the writers; a factory, unlike a builder, is safe to share between threads. */
    private static final ThreadFactory WRITERS = Thread.ofVirtual().factory();

    private static final int IDLE = 0;
    private static final int WRITING = 1;
    private static final int DONE = 2;

    private final OutputStream out;
    private final int limitBytes;
    private final Listener listener;

    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    /** Bytes offered and not yet taken by a writer; reserved before a line is queued. */
    private final AtomicLong queuedBytes = new AtomicLong();
    /** IDLE (no writer), WRITING (one writer runs or is starting) or DONE (finished or failed). */
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile boolean finishing;
    private final CountDownLatch done = new CountDownLatch(1);
    /** The writer's body, made once rather than per writer started. */
    private final Runnable writer = this::write;

    Outbox(OutputStream out, int limitBytes, Listener listener) {
        this.out = out;
        this.limitBytes = limitBytes;
        this.listener = listener;
    }

    /**
     * Queues an encoded line without blocking and, when the outbox was idle, starts its
     * writer. Safe from any thread.
     *
     * @return {@code QUEUED}, {@code OVERFLOW} or {@code CLOSED}
     */
    Offer offer(byte[] line) {
        Offer offer = enqueue(line);
        if (offer == Offer.QUEUED_IDLE) {
            startWriter();
            return Offer.QUEUED;
        }
        return offer;
    }

    /**
     * Queues an encoded line without blocking and without starting anything; on
     * {@code QUEUED_IDLE} the caller must call {@link #startWriter()}. Lets a room queue one
     * line for all its members under its lock and start their writers after releasing it.
     * Safe from any thread.
     */
    Offer enqueue(byte[] line) {
        if (finishing) {
            return Offer.CLOSED;
        }
        long reserved = queuedBytes.addAndGet(line.length);
        // Looked at again once the bytes are reserved: a finishing writer ends only when no bytes
        // are reserved, so a line either sees the finish here or is sent before the stream ends.
        if (finishing) {
            queuedBytes.addAndGet(-line.length);
            return Offer.CLOSED;
        }
        if (reserved > limitBytes) {
            queuedBytes.addAndGet(-line.length);
            return Offer.OVERFLOW;
        }
        queue.add(line);
        return state.compareAndSet(IDLE, WRITING) ? Offer.QUEUED_IDLE : Offer.QUEUED;
    }

    /** Bytes queued and not yet taken by the writer, for the metrics. Any thread; takes no lock. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    /** Starts the writer that an offer answered with {@code QUEUED_IDLE} asked for. */
    void startWriter() {
        // Unnamed: a writer lives for one burst of lines, and a name would be built per burst.
        WRITERS.newThread(writer).start();
    }

    /**
     * Takes no more lines; what is queued is still sent, and then the listener's
     * {@link Listener#finished()} ends the stream. Safe from any thread.
     */
    void finish() {
        finishing = true;
        if (state.compareAndSet(IDLE, WRITING)) {
            startWriter();
        }
    }

    /**
     * Waits until everything queued before {@link #finish()} was sent and the listener told,
     * or the connection failed and the listener was told. Returns false when that took longer
     * than {@code timeout}: the client is not reading.
     */
    boolean awaitFinished(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The writer: sends what is queued until the queue is empty, then ends (or finishes the stream). */
    private void write() {
        try {
            while (true) {
                if (writeQueued()) {
                    continue;
                }
                if (finishing) {
                    // A line queued just before finish() may have come after the look above.
                    if (writeQueued()) {
                        continue;
                    }
                    if (queuedBytes.get() != 0) {
                        // An offer between reserving its bytes and queueing its line (or giving
                        // them back): a few instructions away, never blocked.
                        Thread.yield();
                        continue;
                    }
                    listener.finished();
                    end();
                    return;
                }
                state.set(IDLE);
                // A line queued after writeQueued found the queue empty, or a finish() since, may have
                // seen WRITING and started nobody: this writer takes it on, unless another started.
                if ((queue.isEmpty() && !finishing) || !state.compareAndSet(IDLE, WRITING)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            listener.failed(e);
            end();
        }
    }

    private void end() {
        finishing = true;
        state.set(DONE);
        queue.clear();
        done.countDown();
    }

    /**
     * Sends what is queued in one write: a lone line as it is, several joined (up to
     * {@link #MAX_BATCH_BYTES}; the rest goes in the next write). Returns false when the
     * queue was empty. Writer only: no other thread takes from the queue.
     */
    private boolean writeQueued() throws IOException {
        byte[] first = queue.poll();
        if (first == null) {
            return false;
        }
        if (queue.peek() == null) {
            queuedBytes.addAndGet(-first.length);
            out.write(first);
            out.flush();
            return true;
        }
        // Every queued line's bytes are counted in queuedBytes, so it is enough for all of them.
        byte[] batch = new byte[(int) Math.max(first.length, Math.min(queuedBytes.get(), MAX_BATCH_BYTES))];
        System.arraycopy(first, 0, batch, 0, first.length);
        int length = first.length;
        byte[] next;
        while ((next = queue.peek()) != null && length + next.length <= batch.length) {
            queue.poll();
            System.arraycopy(next, 0, batch, length, next.length);
            length += next.length;
        }
        queuedBytes.addAndGet(-length);
        out.write(batch, 0, length);
        out.flush();
        return true;
    }
}
