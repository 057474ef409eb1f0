package dev.chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.Folders;
import dev.chat.testkit.WireClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's server process: it is found on the port it says it listens on, and starts
 * from the launcher's start-up cache only where the JVM will take it.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OurServerTest {

    @TempDir
    Path directory;

    @Test
    void startupCacheOptions_useTheCacheQuietly() throws Exception {
        Path cache = Files.writeString(directory.resolve("chat-server.aot"), "cache");

        assertThat(OurServer.startupCacheOptions(cache.toString(), List.of("java", "-Xmx1g")))
                .containsExactly("-XX:AOTCache=" + cache, "-Xlog:aot*=off");
    }

    @Test
    void startupCacheOptions_leaveOutACacheThatIsNotThere() {
        assertThat(OurServer.startupCacheOptions(null, List.of("java"))).isEmpty();
        assertThat(OurServer.startupCacheOptions("", List.of("java"))).isEmpty();
        assertThat(OurServer.startupCacheOptions(directory.resolve("missing.aot").toString(), List.of("java")))
                .isEmpty();
    }

    @Test
    void startupCacheOptions_giveWayToAnArchiveTheRunChoseItself() throws Exception {
        // The JVM refuses to start with two class-data archives; the run's own choice wins.
        String cache = Files.writeString(directory.resolve("chat-server.aot"), "cache").toString();

        assertThat(OurServer.startupCacheOptions(cache, List.of("java", "-Xshare:off"))).isEmpty();
        assertThat(OurServer.startupCacheOptions(cache, List.of("java", "-XX:SharedArchiveFile=app.jsa"))).isEmpty();
        assertThat(OurServer.startupCacheOptions(cache, List.of("java", "-XX:AOTCacheOutput=other.aot"))).isEmpty();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void start_findsTheServerOnThePortItsListeningLineNames() throws Exception {
        Path logs;
        try (OurServer server = OurServer.start(List.of(), List.of(), 10);
                WireClient alice = WireClient.register(server.port(), "alice")) {
            logs = server.directory();
            assertThat(server.startSeconds()).isPositive();
            alice.send("/who");
            assertThat(alice.await(ServerLine.Online.class).names()).containsExactly("alice");
        }
        Folders.deleteTree(logs);
    }
}
