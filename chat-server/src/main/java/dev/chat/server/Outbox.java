package dev.chat.server;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One client's bounded queue of outgoing lines, drained by that client's own writer thread.
 * Senders never touch the socket, so nobody waits on somebody else's slow connection.
 */
final class Outbox {

    /** What became of an offered line. */
    enum Offer {
        /** Queued; the writer will send it. */
        QUEUED,
        /** Not queued: the queue would go over its limit. The client cannot keep up. */
        OVERFLOW,
        /** Not queued: the outbox is finishing and takes nothing more. */
        CLOSED
    }

    private final OutputStream out;
    private final int limitBytes;

    /** Guards {@link #queue}, {@link #queuedBytes} and {@link #finishing}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean finishing;

    Outbox(OutputStream out, int limitBytes) {
        this.out = out;
        this.limitBytes = limitBytes;
    }

    /** Queues an encoded line without blocking. Safe from any thread. */
    Offer offer(byte[] line) {
        lock.lock();
        try {
            if (finishing) {
                return Offer.CLOSED;
            }
            if (queuedBytes + line.length > limitBytes) {
                return Offer.OVERFLOW;
            }
            queue.add(line);
            queuedBytes += line.length;
            changed.signal();
            return Offer.QUEUED;
        } finally {
            lock.unlock();
        }
    }

    /** Takes no more lines; the writer sends what is queued and then returns. Safe from any thread. */
    void finish() {
        lock.lock();
        try {
            finishing = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The writer loop: sends queued lines until {@link #finish()} and an empty queue. Runs on
     * the client's writer thread and blocks in socket writes.
     *
     * @throws IOException when the socket fails (the client is gone)
     */
    void drain() throws IOException {
        while (true) {
            byte[] batch = takeAll();
            if (batch == null) {
                return;
            }
            // One write per wake-up, however many lines were waiting: fewer system calls under load.
            out.write(batch);
            out.flush();
        }
    }

    /** Waits for lines and takes them all, joined; null when finished and empty. */
    private byte[] takeAll() {
        lock.lock();
        try {
            while (queue.isEmpty() && !finishing) {
                changed.awaitUninterruptibly();
            }
            if (queue.isEmpty()) {
                return null;
            }
            if (queue.size() == 1) {
                byte[] only = queue.poll();
                queuedBytes = 0;
                return only;
            }
            byte[] batch = new byte[Math.toIntExact(queuedBytes)];
            int at = 0;
            for (byte[] line; (line = queue.poll()) != null; ) {
                System.arraycopy(line, 0, batch, at, line.length);
                at += line.length;
            }
            queuedBytes = 0;
            return batch;
        } finally {
            lock.unlock();
        }
    }
}
