package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client as a separate process in a real terminal (tmux): messages arriving while the
 * user types appear above the input line, which stays as typed with the cursor at its end.
 * Skipped where tmux is not installed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class TmuxTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int COLUMNS = 100;
    private static final int ROWS = 24;

    @TempDir
    Path home;

    /** A tmux server of our own, so that no user's sessions are touched. */
    private final String socket = "chat-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    @RegisterExtension
    final TestServer server = TestServer.create();

    @BeforeEach
    void needsTmux() {
        Assumptions.assumeTrue(tmuxAvailable(), "tmux is not installed");
    }

    @AfterEach
    void stopTmux() throws Exception {
        if (tmuxAvailable()) {
            // The client writes its files in the test's home as it ends: wait for it before the home goes.
            List<ProcessHandle> clients = tmux("list-panes", "-a", "-F", "#{pane_pid}").lines()
                    .filter(line -> line.matches("[0-9]+")).map(Long::parseLong)
                    .flatMap(pid -> ProcessHandle.of(pid).stream()).toList();
            tmux("kill-server");
            for (ProcessHandle client : clients) {
                client.onExit().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * With native access (as the launcher runs the client) JLine talks to the terminal through
     * FFM; without it, through stty. Either way the screen shows nothing but the chat.
     */
    @ParameterizedTest(name = "native access {0}")
    @ValueSource(booleans = {true, false})
    void messagesAppearAboveAHalfTypedLineThatStaysIntact(boolean nativeAccess) throws Exception {
        List<String> client = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        if (nativeAccess) {
            client.add("--enable-native-access=ALL-UNNAMED");
        }
        client.addAll(List.of(
                "-Duser.home=" + home,
                "-cp", System.getProperty("java.class.path"),
                ConsoleMain.class.getName(),
                "--host", "127.0.0.1", "--port", String.valueOf(server.port()), "--name", "alice", "--no-color"));
        List<String> start = new ArrayList<>(List.of("new-session", "-d", "-s", "chat",
                "-x", String.valueOf(COLUMNS), "-y", String.valueOf(ROWS)));
        start.addAll(client);
        tmux(start.toArray(String[]::new));
        // capture-pane drops trailing blanks: the empty prompt reads "alice #lobby>".
        await().atMost(WAIT).untilAsserted(() -> assertThat(lastLine(screen())).isEqualTo("alice #lobby>"));

        WireClient bob = server.register("bob");
        tmux("send-keys", "-t", "chat", "-l", "half typed li");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(lastLine(screen())).isEqualTo("alice #lobby> half typed li"));

        bob.send("first message");
        bob.send("second message");
        bob.send("/msg alice third, private");
        await().atMost(WAIT).untilAsserted(() -> assertThat(screen()).contains("[PM] bob: third, private"));

        List<String> rows = screen().lines().toList();
        assertThat(rows).noneMatch(row -> row.contains("WARNING"));
        int inputRow = lastNonBlankRow(rows);
        assertThat(rows.get(inputRow)).isEqualTo("alice #lobby> half typed li");
        assertThat(rows.subList(0, inputRow)).anyMatch(row -> row.endsWith("bob: first message"))
                .anyMatch(row -> row.endsWith("bob: second message"))
                .anyMatch(row -> row.endsWith("[PM] bob: third, private"));
        assertThat(tmux("display-message", "-p", "-t", "chat", "#{cursor_x} #{cursor_y}").strip())
                .isEqualTo("alice #lobby> half typed li".length() + " " + inputRow);

        // The line is intact in the editor too, not only on screen: finishing it sends the whole.
        tmux("send-keys", "-t", "chat", "-l", "ne");
        tmux("send-keys", "-t", "chat", "Enter");
        bob.awaitBody("alice: half typed line");

        // Another room: the prompt names it, and lines of the lobby now show where they come from.
        tmux("send-keys", "-t", "chat", "-l", "/join #dev");
        tmux("send-keys", "-t", "chat", "Enter");
        await().atMost(WAIT).untilAsserted(() -> assertThat(lastLine(screen())).isEqualTo("alice #dev>"));
        bob.send("meanwhile in the lobby");
        await().atMost(WAIT).untilAsserted(() -> assertThat(screen()).contains("#lobby bob: meanwhile in the lobby"));
        assertThat(lastLine(screen())).isEqualTo("alice #dev>");
    }

    private String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", "chat");
    }

    private static String lastLine(String screen) {
        List<String> rows = screen.lines().toList();
        int row = lastNonBlankRow(rows);
        return row < 0 ? "" : rows.get(row);
    }

    private static int lastNonBlankRow(List<String> rows) {
        for (int i = rows.size() - 1; i >= 0; i--) {
            if (!rows.get(i).isBlank()) {
                return i;
            }
        }
        return -1;
    }

    /** Runs a tmux command on our own tmux server and returns its output. */
    private String tmux(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("tmux did not answer: " + command);
        }
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static boolean tmuxAvailable() {
        try {
            Process process = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
