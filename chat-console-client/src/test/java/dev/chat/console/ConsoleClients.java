package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.testkit.Folders;
import dev.chat.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension for the console clients one test runs: each in the test JVM (see
 * {@link ClientRun}) with a home folder made for the test, and all of them closed, and the
 * folder removed, after it.
 *
 * <pre>{@code
 * @RegisterExtension final TestServer server = TestServer.create();
 * @RegisterExtension final ConsoleClients clients = new ConsoleClients();
 * ...
 * ClientRun alice = clients.interactive("--port", String.valueOf(server.port()), "--name", "alice");
 * }</pre>
 */
final class ConsoleClients implements BeforeEachCallback, AfterEachCallback {

    private final List<AutoCloseable> runs = new ArrayList<>();
    private Path home;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        home = Files.createTempDirectory("chat-console-home");
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            for (AutoCloseable run : runs) {
                run.close();
            }
        } finally {
            runs.clear();
            Folders.deleteTree(home);
        }
    }

    /** The home folder the clients of this test share ({@code ~/.chat} is below it). */
    Path home() {
        return home;
    }

    /** A person at a plain dumb terminal, with no environment variables. */
    ClientRun interactive(String... args) {
        return closedAfterTheTest(ClientRun.interactive(home, args));
    }

    /** A person at a JLine dumb terminal of {@code type} ({@code dumb}, {@code dumb-color}, or one with key bindings). */
    ClientRun interactive(String type, Map<String, String> variables, String... args) {
        return closedAfterTheTest(ClientRun.interactive(home, type, variables, args));
    }

    /** A script: input is not a terminal. */
    ClientRun script(String... args) {
        return closedAfterTheTest(ClientRun.script(home, args));
    }

    /** {@code closeable}, closed after the test with the clients. */
    <T extends AutoCloseable> T closedAfterTheTest(T closeable) {
        runs.add(closeable);
        return closeable;
    }

    /**
     * With {@code bot}, a script started with {@code --reconnect} that has signed on as
     * {@code bot}: says a line, has the server stop, types a line while it is away, starts the
     * server again and waits until the new server has echoed that line. What the client said
     * about it meanwhile is in {@code bot.errors}. Takes up to a minute and a half on a busy
     * machine: a test that calls it needs a timeout to match.
     */
    static void sayAcrossARestart(ClientRun bot, TestServer server) throws IOException {
        bot.type("before\n");
        await().atMost(ClientRun.WAIT).until(() -> bot.screen.text().contains("bot: before"));

        server.stop();
        await().atMost(ClientRun.WAIT).until(() -> bot.errors.text().contains("reconnecting."));
        bot.type("while away\n");
        server.start();

        // The new server's echo proves it got the line. The client's next try may be up to the
        // backoff's longest wait (30 s) away, when the server took its time to stop and start.
        await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(bot.screen.text())
                .as(() -> "what the client said meanwhile: " + bot.errors.text()).contains("bot: while away"));
        assertThat(bot.errors.text()).contains("Back online as bot.");
    }
}
