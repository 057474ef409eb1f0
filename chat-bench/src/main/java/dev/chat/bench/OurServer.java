package dev.chat.bench;

import dev.chat.server.ListeningLine;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * This project's server as a process of its own, started from the benchmark's class path on
 * 127.0.0.1 and a free port, so the benchmark knows its PID. Stopped with SIGTERM on close.
 */
final class OurServer implements AutoCloseable {

    /** The server module's own class path, which the launcher passes; else the benchmark's is used. */
    static final String CLASS_PATH_PROPERTY = "chat.server.class-path";
    /** The server's start-up cache, which the launcher passes when it has one. */
    static final String AOT_CACHE_PROPERTY = "chat.server.aot-cache";
    private static final long START_TIMEOUT_SECONDS = 30;

    private final Process process;
    private final int port;
    private final double startSeconds;
    private final Path directory;

    private OurServer(Process process, int port, double startSeconds, Path directory) {
        this.process = process;
        this.port = port;
        this.startSeconds = startSeconds;
        this.directory = directory;
    }

    /**
     * Starts the server with {@code jvmOptions} and extra {@code serverArgs}, flood control
     * off, logging into a new temporary folder.
     */
    static OurServer start(List<String> jvmOptions, List<String> serverArgs, int maxClients)
            throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("chat-bench-");
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        // The JVM options the launcher gives the server (./chat exports them), then the run's own.
        String serverOptions = System.getenv("CHAT_SERVER_JAVA_OPTS");
        if (serverOptions != null && !serverOptions.isBlank()) {
            command.addAll(List.of(serverOptions.strip().split("\\s+")));
        }
        command.addAll(jvmOptions);
        // Started as ./chat server starts it, so that its start-up time is the one users see.
        command.addAll(1, startupCacheOptions(System.getProperty(AOT_CACHE_PROPERTY), command));
        String classPath = System.getProperty(CLASS_PATH_PROPERTY, System.getProperty("java.class.path"));
        command.addAll(List.of("-cp", classPath, "dev.chat.server.ServerMain",
                "--bind", "127.0.0.1", "--port", "0", "--max-clients", Integer.toString(maxClients),
                // The generator sends fast on purpose: flood control off.
                "--flood-rate", "0",
                "--log-file", directory.resolve("chat.log").toString(),
                "--diagnostic-log", directory.resolve("chat-server.log").toString()));
        command.addAll(serverArgs);
        long began = System.nanoTime();
        Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(directory.resolve("stderr.txt").toFile())
                .start();
        BufferedReader stdout = process.inputReader(StandardCharsets.UTF_8);
        ListeningLine listening = awaitListening(process, stdout);
        double startSeconds = (System.nanoTime() - began) / 1e9;
        if (listening == null) {
            process.destroyForcibly();
            throw new IOException("the server did not start; see " + directory.resolve("stderr.txt"));
        }
        Thread.ofPlatform().name("bench-server-stdout").daemon().start(() -> {
            try (stdout) {
                while (stdout.readLine() != null) {
                    // Keeps the pipe from filling.
                }
            } catch (IOException e) {
                // The server is gone.
            }
        });
        return new OurServer(process, listening.port(), startSeconds, directory);
    }

    /**
     * The options that start the server from the start-up cache {@code cache} (JDK 25's AOT
     * cache, which the launcher makes): none when there is no such file, or when {@code command}
     * chooses a class-data archive of its own, which the JVM would refuse beside it.
     */
    static List<String> startupCacheOptions(String cache, List<String> command) {
        if (cache == null || cache.isBlank() || !Files.isRegularFile(Path.of(cache))) {
            return List.of();
        }
        boolean ownArchive = command.stream().anyMatch(option -> option.startsWith("-Xshare")
                || option.startsWith("-XX:AOT") || option.contains("SharedArchiveFile")
                || option.contains("ArchiveClassesAtExit") || option.contains("SharedClassListFile")
                || option.contains("DumpLoadedClassList"));
        // -Xlog:aot*=off, as in the launcher: a cache the JVM cannot use is skipped without a word.
        return ownArchive ? List.of() : List.of("-XX:AOTCache=" + cache, "-Xlog:aot*=off");
    }

    /** The server's plain "listening" line; null when it ends first, or is ended for taking too long. */
    private static ListeningLine awaitListening(Process process, BufferedReader stdout)
            throws IOException, InterruptedException {
        Thread watchdog = Thread.ofPlatform().name("bench-start-watchdog").daemon().start(() -> {
            try {
                if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    // Ending the process ends its output, which ends the blocked read below.
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            // JVM options such as -XX:StartFlightRecording print lines of their own first.
            for (String line; (line = stdout.readLine()) != null; ) {
                ListeningLine listening = ListeningLine.parse(line).orElse(null);
                if (listening != null && !listening.tls()) {
                    return listening;
                }
            }
            return null;
        } finally {
            watchdog.interrupt();
            watchdog.join();
        }
    }

    static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Seconds from starting the process to its "listening" line. */
    double startSeconds() {
        return startSeconds;
    }

    Path directory() {
        return directory;
    }

    /**
     * The server's live heap in KiB, after a full collection asked for with jcmd; -1 when jcmd
     * is not beside the java command or its answer cannot be read.
     */
    long liveHeapKiB() {
        Path jcmd = Path.of(javaCommand()).resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        try {
            run(jcmd.toString(), Long.toString(pid()), "GC.run");
            Matcher used = Pattern.compile("used (\\d+)K").matcher(run(jcmd.toString(), Long.toString(pid()),
                    "GC.heap_info"));
            return used.find() ? Long.parseLong(used.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    /** Sends SIGTERM and returns at once; {@link #close()} waits for the end. */
    void signalStop() {
        process.destroy();
    }

    /** Stops the server with SIGTERM, and by force if it has not ended after 15 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
