package dev.chat.server;

import java.time.Duration;
import java.util.Arrays;

/** Delivery latencies of one measuring period, in nanoseconds; safe from any thread. */
final class Latencies {

    private long[] samples = new long[1024];
    private int count;

    synchronized void add(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
    }

    synchronized int count() {
        return count;
    }

    /** The {@code p}-th percentile (0 to 100), by the nearest-rank method; zero without samples. */
    synchronized Duration percentile(double p) {
        if (count == 0) {
            return Duration.ZERO;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * count);
        return Duration.ofNanos(sorted[Math.max(0, rank - 1)]);
    }

    /** "p50 1.2 ms, p99 8.4 ms, max 20.1 ms (123456 deliveries)". */
    String summary() {
        return "p50 " + millis(percentile(50)) + ", p99 " + millis(percentile(99)) + ", max "
                + millis(percentile(100)) + " (" + count() + " deliveries)";
    }

    static String millis(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f ms", duration.toNanos() / 1e6);
    }
}
