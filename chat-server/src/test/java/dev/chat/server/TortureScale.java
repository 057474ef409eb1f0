package dev.chat.server;

import java.time.Duration;

/**
 * How hard the torture suite pushes: the short figures run in every build, the full ones
 * when {@code -Dtorture.scale=full} is given (the {@code torture} Maven profile sets it).
 * {@code -Dtorture.soak.minutes=N} sets the soak's length in the full run.
 */
record TortureScale(boolean full, int fuzzLines, int fuzzClients, int fuzzCounterLines, int slowChatters,
        Duration slowPhase, int floodChatters, int flooders, Duration floodPhase, int stormCycles,
        int stormWorkers, int shutdownClients, Duration shutdownLoad, Duration soak, Duration soakSample,
        int soakClients) {

    static TortureScale current() {
        if (!"full".equals(System.getProperty("torture.scale", "short"))) {
            return new TortureScale(false, 20_000, 50, 500, 100, Duration.ofSeconds(1), 10, 10,
                    Duration.ofSeconds(2), 2_000, 32, 200, Duration.ofSeconds(2), Duration.ofSeconds(10),
                    Duration.ofSeconds(2), 50);
        }
        Duration soak = Duration.ofMinutes(Long.getLong("torture.soak.minutes", 60));
        return new TortureScale(true, 1_000_000, 50, 10_000, 100, Duration.ofSeconds(20), 10, 10,
                Duration.ofSeconds(20), 100_000, 64, 200, Duration.ofSeconds(10), soak,
                Duration.ofSeconds(Math.max(10, soak.toSeconds() / 30)), 50);
    }

    String name() {
        return full ? "full" : "short";
    }
}
