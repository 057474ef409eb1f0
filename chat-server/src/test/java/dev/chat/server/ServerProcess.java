package dev.chat.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server as a real process, for what only a process has: signals, exit status, stdout. */
final class ServerProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on .*:(\\d+),");

    private final Process process;
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> stderr = java.util.Collections.synchronizedList(new ArrayList<>());

    private ServerProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().name("server-stdout").start(() -> pump(process.inputReader(StandardCharsets.UTF_8), stdout));
        Thread.ofVirtual().name("server-stderr").start(() -> pump(process.errorReader(StandardCharsets.UTF_8), stderr));
    }

    /** Starts {@code chat-server} with {@code args} in {@code directory}. */
    static ServerProcess start(Path directory, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"),
                ServerMain.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return new ServerProcess(process);
    }

    private static void pump(BufferedReader reader, java.util.Collection<String> into) {
        try (reader) {
            for (String line; (line = reader.readLine()) != null; ) {
                into.add(line);
            }
        } catch (IOException e) {
            // The process is gone.
        }
    }

    /** Waits for the "listening" line and returns the port it names. */
    int awaitPort(Duration timeout) throws InterruptedException {
        String line = stdout.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            throw new AssertionError("server did not start; stderr: " + stderr);
        }
        Matcher matcher = LISTENING.matcher(line);
        if (!matcher.find()) {
            throw new AssertionError("unexpected first line: " + line);
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** Sends a signal by name (HUP, INT, TERM) with the system's kill command. */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** Waits for the exit status; null when the process is still running after {@code timeout}. */
    Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** What the process wrote to stderr so far. */
    List<String> stderr() {
        synchronized (stderr) {
            return List.copyOf(stderr);
        }
    }

    /** Kills the process if it still runs, and waits for it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
