package dev.chat.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Flood control for one client: a token bucket of {@code burst} lines that refills at
 * {@code rate} lines per second. A line over the rate is not dropped but waits for its token
 * ("fake lag"), so a pasted paragraph still arrives whole and in order, only slower. Used by
 * the client's handler thread alone.
 */
final class FloodGate {

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final double burst;
    private final double nanosPerToken;
    private double tokens;
    private long refilledAt;

    FloodGate(int burst, double rate) {
        this.burst = burst;
        this.nanosPerToken = NANOS_PER_SECOND / rate;
        this.tokens = burst;
        this.refilledAt = System.nanoTime();
    }

    /**
     * How long the next line must wait for its token, in nanoseconds, after taking it; 0 when
     * it may go at once.
     */
    long take() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) / nanosPerToken);
        refilledAt = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * nanosPerToken);
    }

    /**
     * Blocks the calling (handler) thread for {@code nanos}, or until it is unparked while
     * {@code cancelled} is true.
     */
    static void await(long nanos, BooleanSupplier cancelled) {
        long deadline = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !cancelled.getAsBoolean(); left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
