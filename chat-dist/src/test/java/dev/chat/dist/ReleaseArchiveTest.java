package dev.chat.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.testkit.ServerProcess;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive as someone who downloads it uses it: unpacked into an empty folder
 * with the system's {@code tar}, its {@code bin/} scripts started as processes on the JDK
 * running this test, nothing of the project's build on their class path.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReleaseArchiveTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path scratch;

    /** The unpacked release's folder, {@code chat-VERSION}. */
    private Path release;
    /** What the scripts are started with: the test's JDK, found as a user sets it. */
    private final Map<String, String> environment = Map.of("CHAT_JAVA_HOME", System.getProperty("java.home"));

    @BeforeAll
    void unpack() throws Exception {
        Path archive;
        try (Stream<Path> built = Files.list(Path.of("target"))) {
            archive = built.filter(path -> path.getFileName().toString().matches("chat-.+\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new AssertionError("no chat-VERSION.tar.gz in target"));
        }
        Path folder = Files.createDirectories(scratch.resolve("unpacked"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toAbsolutePath().toString(), "-C", folder.toString())
                .inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS) && tar.exitValue() == 0).as("tar unpacks it").isTrue();
        try (Stream<Path> folders = Files.list(folder)) {
            release = folders.toList().getFirst();
        }
    }

    @Test
    void holdsTheScriptsTheConfigurationTheServiceAndTheDocs() throws IOException {
        assertThat(release.getFileName().toString()).matches("chat-\\d+\\.\\d+\\.\\d+.*");
        for (String script : List.of("chat-server", "chat-console", "chat-gui")) {
            assertThat(Files.getPosixFilePermissions(release.resolve("bin").resolve(script)))
                    .as(script).contains(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        }
        assertThat(release.resolve("conf/chat-server.properties")).isNotEmptyFile();
        assertThat(release.resolve("conf/log4j2.xml")).isNotEmptyFile();
        assertThat(release.resolve("systemd/chat-server.service")).content()
                .contains("ExecStart=/opt/chat/bin/chat-server", "ExecReload=/bin/kill -HUP $MAINPID");
        assertThat(release.resolve("docs/admin.md")).isNotEmptyFile();
        assertThat(release.resolve("README.md")).isNotEmptyFile();
    }

    @Test
    void theServerAndTheConsoleClientChat_andTheServerStopsCleanlyOnSigterm() throws Exception {
        Path data = Files.createDirectories(scratch.resolve("data"));
        try (ServerProcess server = ServerProcess.run(List.of(release.resolve("bin/chat-server").toString(),
                "--bind", "127.0.0.1", "--port", "0", "--config", release.resolve("conf/chat-server.properties").toString(),
                "--data-dir", data.toString(), "--log-file", data.resolve("chat.log").toString(),
                "--diagnostic-log", data.resolve("chat-server.log").toString()), data, environment)) {
            int port = server.awaitPort(WAIT);
            try (WireClient bob = WireClient.register(port, "bob")) {
                // With keys, made in the ~/.chat of the HOME it is given, not of whoever runs the test.
                Path home = Files.createDirectories(scratch.resolve("alice-home"));
                ProcessBuilder console = script("chat-console", "--host", "127.0.0.1", "--port", String.valueOf(port),
                        "--name", "alice");
                console.environment().put("HOME", home.toString());
                Process alice = console.start();
                try (OutputStream typed = alice.getOutputStream()) {
                    typed.write("hello from the release\n".getBytes(StandardCharsets.UTF_8));
                }
                bob.awaitBody("alice: hello from the release");
                assertThat(alice.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the client ends with its input").isTrue();
                assertThat(alice.exitValue()).isZero();
                assertThat(new String(alice.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .contains("*** Welcome, alice!", "alice: hello from the release");
                assertThat(home.resolve(".chat").resolve("identity")).as("the keys, in $HOME/.chat").isRegularFile();
            }
            server.signal("TERM");
            assertThat(server.awaitExit(WAIT)).isZero();
            assertThat(server.errors()).isEmpty();
        }
        assertThat(data.resolve("chat.log")).content()
                .contains("<alice> hello from the release", "*** server stopped");
    }

    @Test
    void theDesktopClientAnswersHelpWithoutADisplay() throws Exception {
        Process gui = script("chat-gui", "--help").start();
        gui.getOutputStream().close();
        String output = new String(gui.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gui.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(gui.exitValue()).isZero();
        assertThat(output).contains("Usage: chat gui");
    }

    @Test
    void withoutAJavaOf25OrNewer_theScriptsSaySoInOneLine() throws Exception {
        ProcessBuilder noJava = script("chat-server", "--help");
        noJava.environment().put("CHAT_JAVA_HOME", scratch.toString());
        Process refused = noJava.start();
        String output = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(refused.exitValue()).isEqualTo(1);
        assertThat(output).isEqualTo("chat: CHAT_JAVA_HOME (" + scratch + ") is not a Java 25 or newer\n");
    }

    /** Runs {@code bin/NAME ARGUMENTS} of the release, with the test's JDK, output and errors together. */
    private ProcessBuilder script(String name, String... arguments) {
        List<String> command = new ArrayList<>(List.of(release.resolve("bin").resolve(name).toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return builder;
    }
}
