package dev.chat.bench;

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
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher ({@code ./chat}) and its start-up cache, run as a user runs them: the real
 * script in a copy of the project's layout (the real jars of the server and the console client,
 * a build stamp so that nothing is built), real processes, a real server. It lives in this
 * module, the last of the build, because every jar the launcher runs is there by then.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StartupCacheTest {

    private static final Duration START = Duration.ofSeconds(120);
    private static final String MAKING = "chat: making the start-up cache";

    @TempDir
    Path scratch;

    private Path project;
    private Path serverCache;

    /** Copies the launcher and the built jars into {@code project}, as a checkout looks after ./chat build. */
    @BeforeEach
    void copyProject() throws IOException {
        Path source = Path.of("..").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(source.resolve("chat")), "the launcher is not there");
        for (String module : List.of("chat-server", "chat-console-client")) {
            Assumptions.assumeTrue(Files.isRegularFile(source.resolve(module + "/target/" + module + ".jar")),
                    module + " is not built");
        }
        project = scratch.resolve("project");
        Files.createDirectories(project.resolve("target"));
        Files.copy(source.resolve("chat"), project.resolve("chat"), StandardCopyOption.COPY_ATTRIBUTES);
        for (String module : List.of("chat-server", "chat-console-client")) {
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
        serverCache = project.resolve("chat-server/target/chat-server.aot");
    }

    @Test
    void server_firstStartMakesTheCache_laterStartsLoadFromItQuietly_aRebuildMakesItAgain() throws Exception {
        Run first = startServer(Map.of());
        first.stop();
        assertThat(first.stderr()).singleElement().asString().startsWith(MAKING);
        assertThat(first.stdout()).singleElement().asString().contains("listening on 127.0.0.1:");
        assertThat(serverCache).isNotEmptyFile();

        Path classes = scratch.resolve("classes.txt");
        Run second = startServer(Map.of("CHAT_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes));
        second.stop();
        assertThat(second.stderr()).isEmpty();
        assertThat(second.stdout()).singleElement().asString().contains("listening on 127.0.0.1:");
        assertThat(Files.readString(classes)).contains("dev.chat.server.ServerMain source: shared objects file");

        Instant made = Files.getLastModifiedTime(serverCache).toInstant();
        Files.setLastModifiedTime(project.resolve("chat-server/target/chat-server.jar"),
                FileTime.from(made.plusSeconds(5)));
        Run afterBuild = startServer(Map.of());
        afterBuild.stop();
        assertThat(afterBuild.stderr()).singleElement().asString().startsWith(MAKING);
        assertThat(Files.getLastModifiedTime(serverCache).toInstant()).isAfter(made);
    }

    @Test
    void server_startsWithoutAWordWhenTheCacheIsBrokenOrAnotherArchiveIsAsked() throws Exception {
        startServer(Map.of()).stop();
        Files.write(serverCache, new byte[4096]);

        Run broken = startServer(Map.of());
        broken.stop();
        assertThat(broken.stderr()).isEmpty();
        assertThat(broken.stdout()).singleElement().asString().contains("listening on 127.0.0.1:");

        Run ownArchive = startServer(Map.of("CHAT_JAVA_OPTS", "-Xshare:off"));
        ownArchive.stop();
        assertThat(ownArchive.stderr()).isEmpty();
        assertThat(ownArchive.stdout()).singleElement().asString().contains("listening on 127.0.0.1:");
    }

    @Test
    void console_firstStartMakesItsCacheThenChatsWithoutAWarning() throws Exception {
        ChatServer server = ChatServer.start(ServerConfig.defaults().withBind("127.0.0.1").withPort(0));
        try {
            Run first = launch(Map.of(), "console", "--host", "127.0.0.1", "--port", String.valueOf(server.port()),
                    "--name", "alice");
            assertThat(first.awaitExit()).isZero();
            assertThat(first.stderr()).singleElement().asString().startsWith(MAKING);
            assertThat(first.stdout()).anyMatch(line -> line.endsWith("*** Welcome, alice!"));
            assertThat(project.resolve("chat-console-client/target/chat-console-client.aot")).isNotEmptyFile();

            Run second = launch(Map.of(), "console", "--host", "127.0.0.1", "--port", String.valueOf(server.port()),
                    "--name", "bob");
            assertThat(second.awaitExit()).isZero();
            assertThat(second.stderr()).isEmpty();
            assertThat(second.stdout()).anyMatch(line -> line.endsWith("*** Welcome, bob!"))
                    .allMatch(line -> line.matches("\\[\\d\\d:\\d\\d:\\d\\d] (---|\\*\\*\\*) .*"));
        } finally {
            server.close();
        }
    }

    private Run startServer(Map<String, String> environment) throws Exception {
        Path data = Files.createTempDirectory(scratch, "server-");
        Run run = launch(environment, "server", "--bind", "127.0.0.1", "--port", "0", "--data-dir", data.toString(),
                "--log-file", data.resolve("chat.log").toString(),
                "--diagnostic-log", data.resolve("chat-server.log").toString());
        run.awaitLine("listening on");
        return run;
    }

    /** Runs {@code ./chat ARGUMENTS} of the copy, with the JDK running this test and no standard input. */
    private Run launch(Map<String, String> environment, String... arguments) throws IOException {
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
        private final List<String> stdout = java.util.Collections.synchronizedList(new ArrayList<>());
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
