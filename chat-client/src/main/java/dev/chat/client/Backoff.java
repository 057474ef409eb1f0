package dev.chat.client;

import java.time.Duration;

/** The waits between reconnection attempts: 1 s, doubling each time, at most 30 s. Not thread-safe. */
public final class Backoff {

    private static final Duration FIRST = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(30);

    private Duration next = FIRST;

    /** The wait before the next attempt; each call doubles the one after, up to the maximum. */
    public Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(MAX) > 0 ? MAX : doubled;
        return current;
    }

    /** Starts again from the first wait, after a success. */
    public void reset() {
        next = FIRST;
    }
}
