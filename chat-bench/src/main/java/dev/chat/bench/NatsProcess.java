package dev.chat.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code nats-server -js} of the benchmark's own, on 127.0.0.1 and a free port with a store in
 * a new temporary folder, for the chat servers of a cluster run. Stopped with SIGTERM on close,
 * which deletes its store and keeps its log.
 */
final class NatsProcess implements AutoCloseable {

    /** Where Debian and hand installs put the program when it is not on PATH. */
    private static final List<Path> PLACES = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"),
            Path.of("/usr/local/bin"));
    private static final long START_TIMEOUT_SECONDS = 15;

    private final Process process;
    private final int port;
    private final Path directory;

    private NatsProcess(Process process, int port, Path directory) {
        this.process = process;
        this.port = port;
        this.directory = directory;
    }

    /** The {@code nats-server} program, or null when none is installed. */
    static Path program() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(":")).filter(dir -> !dir.isEmpty()).map(Path::of), PLACES.stream())
                .map(dir -> dir.resolve("nats-server")).filter(Files::isExecutable).findFirst().orElse(null);
    }

    /**
     * Starts the server and waits, at most 15 s, for its "Server is ready" line.
     *
     * @throws IOException when nats-server is not installed, or does not get ready
     */
    static NatsProcess start() throws IOException, InterruptedException {
        Path program = program();
        if (program == null) {
            throw new IOException("a cluster run needs nats-server, which is not installed "
                    + "(Debian: apt-get install nats-server)");
        }
        Path directory = Files.createTempDirectory("chat-bench-nats-");
        int port;
        // A free port, asked of the kernel; NATS binds it a moment later.
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process process = new ProcessBuilder(program.toString(), "-js", "-a", "127.0.0.1", "-p",
                Integer.toString(port), "-sd", directory.resolve("store").toString())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        NatsProcess nats = new NatsProcess(process, port, directory);
        CountDownLatch ready = new CountDownLatch(1);
        Path log = directory.resolve("nats.log");
        Thread.ofPlatform().name("bench-nats-output").daemon().start(() -> copyOutput(process, log, ready));
        if (!ready.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            nats.close();
            throw new IOException("nats-server did not get ready on port " + port + "; see " + log);
        }
        return nats;
    }

    /** Writes the server's output to {@code log}, counting {@code ready} down at its "Server is ready" line. */
    private static void copyOutput(Process process, Path log, CountDownLatch ready) {
        try (BufferedReader out = process.inputReader(StandardCharsets.UTF_8);
                var writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (String line; (line = out.readLine()) != null; ) {
                writer.write(line);
                writer.newLine();
                if (line.contains("Server is ready")) {
                    writer.flush();
                    ready.countDown();
                }
            }
        } catch (IOException e) {
            // The process is gone, or its log cannot be written; the start's timeout says so.
        }
    }

    /** The URL the chat servers are given: {@code nats://127.0.0.1:PORT}. */
    String url() {
        return "nats://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    Path directory() {
        return directory;
    }

    /** Stops the server with SIGTERM, and by force if it has not ended after 10 s; then deletes its store. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        // A run's stream is of no use after it, and a long run's is large.
        try (Stream<Path> files = Files.walk(directory.resolve("store"))) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // No store was written, or it is gone already.
        }
    }
}
