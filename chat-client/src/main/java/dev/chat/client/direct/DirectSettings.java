package dev.chat.client.direct;

import java.time.Duration;

/**
 * How direct connections behave.
 *
 * @param acceptTimeout how long the accepting side listens for the other side to connect
 * @param maxFileBytes  the largest file sent or taken over a direct connection
 */
public record DirectSettings(Duration acceptTimeout, long maxFileBytes) {

    /** The largest file by default: 1 GiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 1L << 30;

    public DirectSettings {
        if (acceptTimeout.isNegative() || acceptTimeout.isZero() || maxFileBytes < 0) {
            throw new IllegalArgumentException("a direct connection needs a positive wait and a limit of 0 or more bytes");
        }
    }

    /** Thirty seconds to connect, files up to 1 GiB. */
    public static DirectSettings defaults() {
        return new DirectSettings(Duration.ofSeconds(30), DEFAULT_MAX_FILE_BYTES);
    }
}
