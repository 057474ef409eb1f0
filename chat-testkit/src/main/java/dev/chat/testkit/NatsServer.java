package dev.chat.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code nats-server -js} on 127.0.0.1 and a free port, with a JetStream store of its
 * own, for the tests of a class: a JUnit 5 extension on a static field that starts it before
 * the class and stops it, and deletes its store, after. Tests are skipped, saying why, where
 * no {@code nats-server} is installed ({@code .ci/run} installs it).
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NatsServer nats = new NatsServer();
 * }</pre>
 */
public final class NatsServer implements BeforeAllCallback, AfterAllCallback {

    private static final List<Path> PLACES = List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/usr/local/bin"));

    private final List<String> options;
    private Path store;
    private int port;
    private Process process;

    /** A server with JetStream and nothing more. */
    public NatsServer() {
        this(List.of());
    }

    /** A server given {@code options} besides JetStream and its address, e.g. {@code --user} and {@code --pass}. */
    public NatsServer(List<String> options) {
        this.options = List.copyOf(options);
    }

    /** The {@code nats-server} program, or null when none is installed. */
    public static Path program() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(":")).filter(dir -> !dir.isEmpty()).map(Path::of), PLACES.stream())
                .map(dir -> dir.resolve("nats-server")).filter(Files::isExecutable).findFirst().orElse(null);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException, InterruptedException {
        Assumptions.assumeTrue(program() != null, "nats-server is not installed (Debian: apt-get install nats-server)");
        store = Files.createTempDirectory("nats-store");
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException, InterruptedException {
        stop();
        if (store != null) {
            Folders.deleteTree(store);
        }
    }

    /** The URL the chat servers are given: {@code nats://127.0.0.1:PORT}. */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts the server, again after {@link #stop()}: on the same port, with the same store. */
    public void start() throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(program().toString(), "-js", "-a", "127.0.0.1", "-p",
                Integer.toString(port), "-sd", store.toString()));
        command.addAll(options);
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        CountDownLatch ready = new CountDownLatch(1);
        Process started = process;
        Thread.ofVirtual().name("nats-server-output").start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(started.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.contains("Server is ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
        });
        if (!ready.await(15, TimeUnit.SECONDS)) {
            stop();
            throw new UncheckedIOException(new IOException("nats-server did not start on port " + port));
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 5 s); its store stays for {@link #start()}. */
    public void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        process = null;
    }
}
