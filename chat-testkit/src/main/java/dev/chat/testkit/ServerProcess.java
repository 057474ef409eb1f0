package dev.chat.testkit;

import dev.chat.server.ListeningLine;
import dev.chat.server.ServerMain;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The server as a real process, started from the test's class path, for what only a process
 * has: signals, exit status, stdout and stderr, its memory and threads. {@link #close()}
 * kills it if it still runs. Used by the test thread; two threads of its own read its output.
 */
public final class ServerProcess implements AutoCloseable {

    /** In {@code jcmd GC.heap_info}: "garbage-first heap   total reserved 524288K, committed 65536K, used 10219K [...". */
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total .*?used (\\d+)K");
    /** The numbers of the signals a test sends, for the signal masks in /proc. */
    private static final Map<String, Integer> SIGNAL_NUMBERS = Map.of("HUP", 1, "INT", 2, "TERM", 15);

    /** Put into {@link #stdout} after its last line; compared by identity. */
    private static final String END_OF_STDOUT = new String("(end of stdout)");

    private final Process process;
    /** What the process wrote to stdout and nobody has read yet, then {@link #END_OF_STDOUT}. */
    private final BlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

    private ServerProcess(Process process) {
        this.process = process;
        Thread.ofVirtual().name("server-stdout").start(() -> {
            pump(process.inputReader(StandardCharsets.UTF_8), stdout);
            stdout.add(END_OF_STDOUT);
        });
        Thread.ofVirtual().name("server-stderr").start(() -> pump(process.errorReader(StandardCharsets.UTF_8), stderr));
    }

    /** Starts {@code chat-server} with {@code args} in {@code directory}. */
    public static ServerProcess start(Path directory, String... args) throws IOException {
        return start(directory, List.of(), args);
    }

    /** Starts {@code chat-server} with {@code args} in {@code directory}, its JVM given {@code jvmOptions}. */
    public static ServerProcess start(Path directory, List<String> jvmOptions, String... args) throws IOException {
        return start(List.of(), directory, jvmOptions, args);
    }

    /**
     * Starts {@code chat-server} as {@link #start(Path, List, String...)} does, through
     * {@code wrapper} (a command that runs the rest, e.g. {@code nohup}).
     */
    public static ServerProcess start(List<String> wrapper, Path directory, List<String> jvmOptions, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerMain.class.getName()));
        command.addAll(List.of(args));
        return run(command, directory, Map.of());
    }

    /**
     * Runs {@code command}, which starts the server some other way (a launcher script, say),
     * in {@code directory} with {@code environment} added to the test's, and no standard input.
     */
    public static ServerProcess run(List<String> command, Path directory, Map<String, String> environment)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        return new ServerProcess(builder.start());
    }

    private static void pump(BufferedReader reader, Collection<String> into) {
        try (reader) {
            for (String line; (line = reader.readLine()) != null; ) {
                into.add(line);
            }
        } catch (IOException e) {
            // The process is gone.
        }
    }

    /**
     * Waits for the plain-text listener's "listening" line ({@link ListeningLine}) and returns
     * the port it names; other lines before it (a JVM option's own output) are passed over.
     *
     * @throws AssertionError when the process ends first, or no such line comes within {@code timeout}
     */
    public int awaitPort(Duration timeout) throws InterruptedException {
        return awaitPortIn(timeout, "listening", line -> ListeningLine.parse(line)
                .filter(listening -> !listening.tls() && !listening.web()).map(ListeningLine::port).orElse(-1));
    }

    /**
     * Waits for the metrics endpoint's line ({@link ListeningLine#parseMetricsPort}), printed
     * after the "listening" lines, and returns the port it names.
     *
     * @throws AssertionError when the process ends first, or no such line comes within {@code timeout}
     */
    public int awaitMetricsPort(Duration timeout) throws InterruptedException {
        return awaitPortIn(timeout, "serving metrics", line -> ListeningLine.parseMetricsPort(line).orElse(-1));
    }

    /** The port that {@code portIn} finds (not -1) in the next line of stdout that names one. */
    private int awaitPortIn(Duration timeout, String what, ToIntFunction<String> portIn) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> before = new ArrayList<>();
        while (true) {
            String line = stdout.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("the server was not " + what + " within " + timeout.toSeconds()
                        + " s; stdout: " + before + "; stderr: " + stderr());
            }
            if (line == END_OF_STDOUT) {
                stdout.add(END_OF_STDOUT);
                Integer status = awaitExit(Duration.ofSeconds(5));
                throw new AssertionError("the server ended (exit status " + status + ") before " + what
                        + "; stdout: " + before + "; stderr: " + stderr());
            }
            int port = portIn.applyAsInt(line);
            if (port >= 0) {
                return port;
            }
            before.add(line);
        }
    }

    /**
     * Skips the test, with the reason, when the process has {@code signal} (HUP, INT, TERM)
     * ignored, so that sending it could not do what the test is about. A process inherits
     * ignored signals from whoever started it, and the JVM leaves them ignored: a test run
     * under {@code nohup} has SIGHUP ignored, one started as a background job of a script
     * SIGINT. Call it once the server listens (its handlers are installed by then).
     */
    public void assumeHandles(String signal) throws IOException {
        Assumptions.assumeFalse(ignores(signal), () -> "SIG" + signal + " is ignored by the server process, as by "
                + "this test run that started it (under nohup, or as a background job of a script): kill -" + signal
                + " could not reach the server, so this test cannot do its job here");
    }

    /**
     * Whether the process has {@code signal} ignored, from the {@code SigIgn} mask in
     * /proc/PID/status; false where there is no /proc.
     */
    public boolean ignores(String signal) throws IOException {
        Integer number = SIGNAL_NUMBERS.get(signal);
        if (number == null) {
            throw new IllegalArgumentException("not a signal these tests send: " + signal);
        }
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        if (!Files.isReadable(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
                return (mask & (1L << (number - 1))) != 0;
            }
        }
        return false;
    }

    /** Sends a signal by name (HUP, INT, TERM) with the system's kill command. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }

    /** Waits for the exit status; null when the process is still running after {@code timeout}. */
    public Integer awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** How many file descriptors the process has open (sockets, files, the JVM's own), from /proc. */
    public int openFiles() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(process.pid()), "fd"))) {
            return (int) fds.count();
        }
    }

    /**
     * How many kernel threads the process has, from /proc: the JVM's own, the platform threads
     * and the carriers of the virtual threads (virtual threads themselves are not kernel threads).
     */
    public int kernelThreads() throws IOException {
        return Integer.parseInt(statusField("Threads:"));
    }

    /** The resident memory of the process in KiB, from /proc. */
    public long residentKib() throws IOException {
        return Long.parseLong(statusField("VmRSS:").replaceAll("[^0-9]", ""));
    }

    private String statusField(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith(name)) {
                return line.substring(name.length()).strip();
            }
        }
        throw new AssertionError("no " + name + " line in /proc/" + process.pid() + "/status");
    }

    /**
     * The heap in use right after a full collection, in KiB: runs {@code jcmd <pid> GC.run},
     * then reads {@code GC.heap_info}. Blocks for the collection (well under a second for a
     * chat server's heap).
     */
    public long heapAfterFullGcKib() throws IOException, InterruptedException {
        jcmd("GC.run");
        String info = jcmd("GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new AssertionError("no heap figure in GC.heap_info: " + info);
        }
        return Long.parseLong(used.group(1));
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process run = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), command)
                .redirectErrorStream(true).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!run.waitFor(30, TimeUnit.SECONDS) || run.exitValue() != 0) {
            run.destroyForcibly();
            throw new AssertionError("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    /** The lines the server logged at ERROR level on stderr (where WARN and ERROR go). */
    public List<String> errors() {
        return stderr().stream().filter(line -> line.contains(" ERROR ")).toList();
    }

    /** What the process wrote to stderr so far. */
    public List<String> stderr() {
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
