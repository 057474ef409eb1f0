package dev.chat.client.identity;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The id of one sealed message, 16 bytes: when the sender sealed it (milliseconds since
 * 1970, by the sender's clock, 8 bytes big-endian) and 8 random bytes. Ids order by time, then
 * by the random part read as an unsigned number; the recipient's {@link ReplayGuard} relies on
 * that order.
 */
record MessageId(long millis, long random) implements Comparable<MessageId> {

    static final int BYTES = 16;

    private static final SecureRandom RANDOM = new SecureRandom();
    // Never twice the same millisecond from this process, and never back when the clock goes back.
    private static final AtomicLong LAST_MILLIS = new AtomicLong();

    /** A new id, later than every id this process made before. */
    static MessageId next() {
        long now = System.currentTimeMillis();
        long millis = LAST_MILLIS.updateAndGet(last -> Math.max(now, last + 1));
        return new MessageId(millis, RANDOM.nextLong());
    }

    static MessageId read(ByteBuffer buffer) {
        return new MessageId(buffer.getLong(), buffer.getLong());
    }

    void write(ByteBuffer buffer) {
        buffer.putLong(millis).putLong(random);
    }

    /** When the sender sealed the message, by its clock. */
    Instant sentAt() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public int compareTo(MessageId other) {
        int byTime = Long.compare(millis, other.millis);
        return byTime != 0 ? byTime : Long.compareUnsigned(random, other.random);
    }
}
