package dev.chat.dist;

import dev.chat.server.ListeningLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Makes the start-up caches of the server and the console client: JDK 25's AOT cache
 * (JEP 483, JEP 514), which the JVM writes when a training run given
 * {@code -XX:AOTCacheOutput} ends, and which {@code ./chat} then passes to every start.
 *
 * <p>One training run does both: a server on a free loopback port, and a console client
 * (in a pseudo-terminal where util-linux {@code script} is there, so that the terminal code
 * is recorded too) that signs on, says a line and quits; then the server is stopped with
 * SIGTERM, the way an admin stops it. Each runs with its module's {@code jvm.options} and the
 * class path {@code ./chat} gives it, since the JVM uses a cache only with those. The build
 * runs this after packaging the parts; a training that fails leaves no cache and says so,
 * and never fails the build: every part starts without its cache, only more slowly.
 */
public final class StartupCaches {

    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration EXIT = Duration.ofSeconds(120);
    private static final String TRAINEE = "aot-training";

    /** A part that has a start-up cache: its module and main class. */
    record Part(String module, String mainClass) {

        static final Part SERVER = new Part("chat-server", "dev.chat.server.ServerMain");
        static final Part CONSOLE = new Part("chat-console-client", "dev.chat.console.ConsoleMain");

        Path target(Path project) {
            return project.resolve(module).resolve("target");
        }

        /** The class path exactly as {@code ./chat} writes it. */
        String classPath(Path project) {
            return target(project).resolve(module + ".jar") + ":" + target(project).resolve("lib") + "/*";
        }

        Path cache(Path project) {
            return target(project).resolve(module + ".aot");
        }

        Path log(Path project) {
            return target(project).resolve(module + ".aot.log");
        }

        /** The options in the module's {@code jvm.options}: one or more a line, {@code #} starts a comment line. */
        List<String> jvmOptions(Path project) throws IOException {
            try (Stream<String> lines = Files.lines(project.resolve(module).resolve("jvm.options"))) {
                return lines.map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .flatMap(line -> Stream.of(line.split("\\s+")))
                        .toList();
            }
        }
    }

    private final Path project;
    private final Path java;
    private final Path work;

    private StartupCaches(Path project, Path java, Path work) {
        this.project = project;
        this.java = java;
        this.work = work;
    }

    /** {@code StartupCaches PROJECT}: makes the caches of the parts built in folder PROJECT. */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: StartupCaches PROJECT_FOLDER");
            System.exit(2);
        }
        make(Path.of(args[0]));
    }

    /**
     * Makes both caches, with the JDK running this method. Blocks for the training run, about
     * 10-20 s; reports on standard output and in each part's {@code target/MODULE.aot.log}.
     *
     * @return whether both caches were made
     */
    public static boolean make(Path project) throws IOException, InterruptedException {
        Path root = project.toRealPath();
        for (Part part : List.of(Part.SERVER, Part.CONSOLE)) {
            if (!Files.isRegularFile(part.target(root).resolve(part.module() + ".jar"))) {
                System.out.println("chat: " + part.module() + " is not built; no start-up cache made");
                return false;
            }
        }
        Path work = Files.createTempDirectory("chat-aot");
        try {
            System.out.println("chat: making the start-up caches of the server and the console client ...");
            return new StartupCaches(root, Path.of(System.getProperty("java.home"), "bin", "java"), work).train();
        } finally {
            try (Stream<Path> paths = Files.walk(work)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private boolean train() throws IOException, InterruptedException {
        for (Part part : List.of(Part.SERVER, Part.CONSOLE)) {
            Files.writeString(part.log(project), "");
        }
        Process server = start(Part.SERVER, List.of("--bind", "127.0.0.1", "--port", "0",
                "--data-dir", work.toString(), "--log-file", work.resolve("chat.log").toString(),
                "--diagnostic-log", work.resolve("chat-server.log").toString()));
        try {
            Output serverOutput = Output.of(server, "training-server-output");
            Optional<ListeningLine> listening = serverOutput.await(
                    text -> text.lines().anyMatch(line -> ListeningLine.parse(line).isPresent()), START)
                    .flatMap(text -> text.lines().map(ListeningLine::parse).flatMap(Optional::stream).findFirst());
            if (listening.isPresent()) {
                trainConsole(listening.get().port());
            } else {
                note(Part.SERVER, "the server did not start listening within " + START.toSeconds() + " s");
            }
            // SIGTERM alone: Process.destroy() would also close the output the server still writes to.
            server.toHandle().destroy();
            if (!server.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)) {
                note(Part.SERVER, "the server did not stop within " + EXIT.toSeconds() + " s");
            }
            serverOutput.appendTo(Part.SERVER.log(project));
        } finally {
            server.destroyForcibly();
        }
        return install(Part.SERVER) & install(Part.CONSOLE);
    }

    /** Runs the console client against the server on {@code port}: it signs on, says a line and quits. */
    private void trainConsole(int port) throws IOException, InterruptedException {
        List<String> client = new ArrayList<>(List.of("-Duser.home=" + work, "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--name", TRAINEE));
        Process console = hasUtilLinuxScript() ? startInTerminal(client) : start(Part.CONSOLE, client);
        try {
            Output output = Output.of(console, "training-console-output");
            if (output.await(text -> text.contains("Welcome, " + TRAINEE), START).isEmpty()) {
                note(Part.CONSOLE, "the console client did not sign on within " + START.toSeconds() + " s");
            }
            // Typed ahead of the prompt, as a quick user does; the line reader takes both lines in turn.
            try (OutputStream keys = console.getOutputStream()) {
                keys.write("hello from the start-up training\r/quit\r".getBytes(StandardCharsets.UTF_8));
            }
            if (!console.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)) {
                note(Part.CONSOLE, "the console client did not quit within " + EXIT.toSeconds() + " s");
            }
            output.appendTo(Part.CONSOLE.log(project));
        } finally {
            console.destroyForcibly();
        }
    }

    /** Starts {@code part} recording its cache into the scratch folder; its standard error goes to its log. */
    private Process start(Part part, List<String> arguments) throws IOException {
        return new ProcessBuilder(command(part, arguments))
                .redirectError(ProcessBuilder.Redirect.appendTo(part.log(project).toFile()))
                .start();
    }

    /** Starts the console client in a pseudo-terminal of util-linux {@code script}, 100 columns by 30 rows. */
    private Process startInTerminal(List<String> arguments) throws IOException {
        String client = command(Part.CONSOLE, arguments).stream()
                .map(word -> "'" + word.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
        ProcessBuilder builder = new ProcessBuilder("script", "-qec", "stty cols 100 rows 30; exec " + client,
                "/dev/null").redirectErrorStream(true);
        builder.environment().put("TERM", "xterm-256color");
        builder.environment().put("SHELL", "/bin/sh");
        return builder.start();
    }

    private List<String> command(Part part, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(part.jvmOptions(project));
        command.add("-XX:AOTCacheOutput=" + work.resolve(part.module() + ".aot"));
        // JVM options among the arguments go before the class path; the rest are the program's.
        arguments.stream().filter(argument -> argument.startsWith("-D")).forEach(command::add);
        command.addAll(List.of("-cp", part.classPath(project), part.mainClass()));
        arguments.stream().filter(argument -> !argument.startsWith("-D")).forEach(command::add);
        return command;
    }

    /** Moves the cache the training wrote into the part's target folder, or removes an old one. */
    private boolean install(Part part) throws IOException {
        Path made = work.resolve(part.module() + ".aot");
        Path cache = part.cache(project);
        if (Files.isRegularFile(made) && Files.size(made) > 0) {
            Path next = cache.resolveSibling(cache.getFileName() + ".new");
            Files.move(made, next, StandardCopyOption.REPLACE_EXISTING);
            Files.move(next, cache, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            System.out.printf("chat: %s (%d MiB)%n", project.relativize(cache), Files.size(cache) >> 20);
            return true;
        }
        Files.deleteIfExists(cache);
        System.out.printf("chat: no start-up cache for %s this time (see %s)%n", part.module(),
                project.relativize(part.log(project)));
        return false;
    }

    private void note(Part part, String problem) throws IOException {
        Files.writeString(part.log(project), "start-up training: " + problem + System.lineSeparator(),
                StandardOpenOption.APPEND);
    }

    private static boolean hasUtilLinuxScript() throws InterruptedException {
        try {
            Process version = new ProcessBuilder("script", "--version").redirectErrorStream(true).start();
            String text = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return version.waitFor(10, TimeUnit.SECONDS) && text.contains("util-linux");
        } catch (IOException e) {
            return false;
        }
    }

    /** What a process writes on its standard output, gathered by a reader thread, and waited for. */
    private static final class Output {

        private static final Pattern ESCAPES = Pattern.compile("\u001b(\\[[0-9;?]*[A-Za-z]|[=>])");

        /** Guards {@link #text} and {@link #ended}; waited on for new output. */
        private final Object lock = new Object();
        private final StringBuilder text = new StringBuilder();
        private boolean ended;

        static Output of(Process process, String threadName) {
            Output output = new Output();
            Thread.ofPlatform().name(threadName).daemon().start(() -> output.read(process.getInputStream()));
            return output;
        }

        private void read(InputStream in) {
            byte[] buffer = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buffer)) != -1; ) {
                    synchronized (lock) {
                        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        lock.notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process is gone; what it wrote until then is kept.
            } finally {
                synchronized (lock) {
                    ended = true;
                    lock.notifyAll();
                }
            }
        }

        /**
         * Waits until the output, without terminal escape sequences, satisfies {@code condition};
         * empty when the process ended or {@code timeout} passed first.
         */
        Optional<String> await(Predicate<String> condition, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (lock) {
                while (true) {
                    String plain = ESCAPES.matcher(text).replaceAll("");
                    if (condition.test(plain)) {
                        return Optional.of(plain);
                    }
                    long left = deadline - System.nanoTime();
                    if (ended || left <= 0) {
                        return Optional.empty();
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            }
        }

        /** Appends all the output to {@code log}, once the process has closed it (or after a few seconds). */
        void appendTo(Path log) throws InterruptedException {
            String all;
            synchronized (lock) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                for (long left; !ended && (left = deadline - System.nanoTime()) > 0; ) {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
                all = text.toString();
            }
            try {
                Files.writeString(log, all, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
