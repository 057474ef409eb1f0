package dev.chat.bench;

/**
 * Counts latencies: to the microsecond below 100 ms, to the millisecond up to 60 s, and the
 * largest exactly. Not thread-safe: one I/O thread owns an instance; they are merged at the end.
 */
final class LatencyHistogram {

    private static final int MICRO_SLOTS = 100_000;
    private static final int MILLI_SLOTS = 60_000;

    private final long[] micros = new long[MICRO_SLOTS];
    private final long[] millis = new long[MILLI_SLOTS];
    private long count;
    private long maxNanos;

    void record(long nanos) {
        long value = Math.max(0, nanos);
        long micro = value / 1_000;
        if (micro < MICRO_SLOTS) {
            micros[(int) micro]++;
        } else {
            millis[(int) Math.min(MILLI_SLOTS - 1, micro / 1_000)]++;
        }
        count++;
        maxNanos = Math.max(maxNanos, value);
    }

    void add(LatencyHistogram other) {
        for (int i = 0; i < MICRO_SLOTS; i++) {
            micros[i] += other.micros[i];
        }
        for (int i = 0; i < MILLI_SLOTS; i++) {
            millis[i] += other.millis[i];
        }
        count += other.count;
        maxNanos = Math.max(maxNanos, other.maxNanos);
    }

    long count() {
        return count;
    }

    /** The latency, in milliseconds, that a fraction {@code quantile} of the values do not pass; 0 when empty. */
    double percentileMillis(double quantile) {
        if (count == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * count));
        long seen = 0;
        for (int i = 0; i < MICRO_SLOTS; i++) {
            seen += micros[i];
            if (seen >= rank) {
                return (i + 1) / 1_000.0;
            }
        }
        for (int i = 0; i < MILLI_SLOTS; i++) {
            seen += millis[i];
            if (seen >= rank) {
                return Math.min(i + 1.0, maxMillis());
            }
        }
        return maxMillis();
    }

    double maxMillis() {
        return maxNanos / 1_000_000.0;
    }
}
