package dev.chat.dist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.server.ChatServer;
import dev.chat.server.ServerConfig;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up caches, made by {@link StartupCaches} and used by the launcher ({@code ./chat}),
 * as a user gets them: the real training and the real script in a copy of the project's
 * layout (the real jars of the server and the console client, a build stamp so that nothing
 * is built), real processes, a real server. It lives in this module, the last of the build,
 * because every jar the launcher runs is there by then.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StartupCachesTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final List<String> PARTS = List.of("chat-server", "chat-console-client");

    /** Shared by the tests, each in folders of its own, so that the trained copy is made once. */
    @TempDir
    static Path scratch;

    /** A copy of the project, trained once for the tests that start from real caches. */
    private Path trained;

    @BeforeAll
    void train() throws Exception {
        trained = copyProject("trained");
        assertThat(StartupCaches.make(trained)).isTrue();
    }

    @Test
    void make_writesTheCacheOfBothParts_andTheServerLoadsItsClassesFromItQuietly() throws Exception {
        for (String part : PARTS) {
            assertThat(trained.resolve(part + "/target/" + part + ".aot")).isNotEmptyFile();
        }
        Path classes = scratch.resolve("classes.txt");
        Run server = startServer(trained, Map.of("CHAT_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes));
        server.stop();
        assertThat(quiet(server.stderr())).isEmpty();
        assertThat(server.stdout()).singleElement().asString().contains("listening on 127.0.0.1:");
        assertThat(Files.readString(classes)).contains("dev.chat.server.ServerMain source: shared objects file");
    }

    @Test
    void console_startsFromItsCacheAndChatsWithoutAWarning() throws Exception {
        ChatServer server = ChatServer.start(ServerConfig.defaults().withBind("127.0.0.1").withPort(0));
        try {
            Path classes = scratch.resolve("console-classes.txt");
            Path home = Files.createDirectories(scratch.resolve("bob-home"));
            Run console = launch(trained, Map.of("CHAT_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes,
                    "HOME", home.toString()),
                    "console", "--host", "127.0.0.1", "--port", String.valueOf(server.port()), "--name", "bob");
            assertThat(console.awaitExit()).isZero();
            assertThat(quiet(console.stderr())).isEmpty();
            assertThat(console.stdout()).anyMatch(line -> line.endsWith("*** Welcome, bob!"))
                    .allMatch(line -> line.matches("\\[\\d\\d:\\d\\d:\\d\\d] (---|\\*\\*\\*) .*"));
            assertThat(Files.readString(classes))
                    .contains("dev.chat.console.ConsoleMain source: shared objects file");
            assertThat(home.resolve(".chat").resolve("identity")).as("the keys, in $HOME/.chat").isRegularFile();
        } finally {
            server.close();
        }
    }

    @Test
    void server_startsWithoutAWordWhenTheCacheIsBrokenOrAnotherArchiveIsAsked() throws Exception {
        Path project = copyProject("broken");
        Files.write(project.resolve("chat-server/target/chat-server.aot"), new byte[4096]);

        Run broken = startServer(project, Map.of());
        broken.stop();
        assertThat(quiet(broken.stderr())).isEmpty();
        assertThat(broken.stdout()).singleElement().asString().contains("listening on 127.0.0.1:");

        Run ownArchive = startServer(project, Map.of("CHAT_JAVA_OPTS", "-Xshare:off"));
        ownArchive.stop();
        assertThat(quiet(ownArchive.stderr())).isEmpty();
        assertThat(ownArchive.stdout()).singleElement().asString().contains("listening on 127.0.0.1:");
    }

    @Test
    void make_withAPartNotBuilt_makesNothingAndSaysSo() throws Exception {
        Path project = copyProject("unbuilt");
        Files.delete(project.resolve("chat-console-client/target/chat-console-client.jar"));

        assertThat(StartupCaches.make(project)).isFalse();
        for (String part : PARTS) {
            assertThat(project.resolve(part + "/target/" + part + ".aot")).doesNotExist();
        }
    }

    /**
     * {@code stderr} without the server's notice that a signal it was started with ignored does
     * nothing (a test run under nohup, or as a script's background job, passes that on).
     */
    private static List<String> quiet(List<String> stderr) {
        return stderr.stream().filter(line -> !line.contains("is ignored by this process")).toList();
    }

    /**
     * Copies the launcher (and the script it sources), the parts' JVM options and built jars
     * into a new folder, as a checkout looks after ./chat build.
     */
    private Path copyProject(String name) throws IOException {
        Path source = Path.of("..").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(source.resolve("chat")), "the launcher is not there");
        for (String module : PARTS) {
            Assumptions.assumeTrue(Files.isRegularFile(source.resolve(module + "/target/" + module + ".jar")),
                    module + " is not built");
        }
        Path project = scratch.resolve(name);
        Files.createDirectories(project.resolve("target"));
        Files.copy(source.resolve("chat"), project.resolve("chat"), StandardCopyOption.COPY_ATTRIBUTES);
        copyTree(source.resolve("chat-dist/src/dist/lib"), project.resolve("chat-dist/src/dist/lib"));
        for (String module : PARTS) {
            Files.createDirectories(project.resolve(module + "/target"));
            Files.copy(source.resolve(module + "/jvm.options"), project.resolve(module + "/jvm.options"),
                    StandardCopyOption.COPY_ATTRIBUTES);
            copyTree(source.resolve(module + "/target/" + module + ".jar"),
                    project.resolve(module + "/target/" + module + ".jar"));
            copyTree(source.resolve(module + "/target/lib"), project.resolve(module + "/target/lib"));
        }
        // The launcher checks that every part is built; these two are not run here.
        for (String module : List.of("chat-swing-client", "chat-bench")) {
            Files.createDirectories(project.resolve(module + "/target"));
            Files.writeString(project.resolve(module + "/target/" + module + ".jar"), "");
        }
        Files.writeString(project.resolve("target/chat-build.stamp"), "");
        return project;
    }

    private Run startServer(Path project, Map<String, String> environment) throws Exception {
        Path data = Files.createTempDirectory(scratch, "server-");
        Run run = launch(project, environment, "server", "--bind", "127.0.0.1", "--port", "0", "--data-dir", data.toString(),
                "--log-file", data.resolve("chat.log").toString(),
                "--diagnostic-log", data.resolve("chat-server.log").toString());
        run.awaitLine("listening on");
        return run;
    }

    /** Runs {@code ./chat ARGUMENTS} of the copy, with the JDK running this test and no standard input. */
    private Run launch(Path project, Map<String, String> environment, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("bash", project.resolve("chat").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(scratch.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(Files.createTempFile(scratch, "stderr-", ".txt").toFile());
        builder.environment().remove("CHAT_JAVA_OPTS");
        builder.environment().remove("CHAT_AOT_CACHE");
        builder.environment().put("CHAT_JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(environment);
        return new Run(builder.start(), builder.redirectError().file().toPath());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /** One run of the launcher: its output lines as they come, its standard error once it has ended. */
    private static final class Run {

        private final Process process;
        private final Path stderr;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Run(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            this.reader = Thread.ofPlatform().name("launcher-stdout").daemon().start(() -> {
                try (BufferedReader in = process.inputReader(StandardCharsets.UTF_8)) {
                    for (String line; (line = in.readLine()) != null; ) {
                        stdout.add(line);
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // The process is gone.
                }
            });
        }

        void awaitLine(String part) throws InterruptedException {
            long deadline = System.nanoTime() + START.toNanos();
            for (String line; (line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS))
                    != null; ) {
                if (line.contains(part)) {
                    return;
                }
            }
            process.destroyForcibly();
            throw new AssertionError("no line with \"" + part + "\"; output " + stdout);
        }

        /** Stops the server with SIGTERM (the launcher has become the JVM) and waits for it. */
        void stop() throws InterruptedException {
            process.destroy();
            assertThat(awaitExit()).isZero();
        }

        int awaitExit() throws InterruptedException {
            if (!process.waitFor(START.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("still running; output " + stdout);
            }
            reader.join(Duration.ofSeconds(10));
            return process.exitValue();
        }

        List<String> stdout() {
            return List.copyOf(stdout);
        }

        List<String> stderr() throws IOException {
            return Files.readAllLines(stderr, StandardCharsets.UTF_8);
        }
    }
}
