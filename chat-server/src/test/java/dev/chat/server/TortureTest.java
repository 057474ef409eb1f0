package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.Text;
import dev.chat.testkit.ServerProcess;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The torture suite: the six abuse scenarios, each against a real server process on
 * loopback, each printing one line of figures ({@code torture <scenario>: ...}). The short
 * figures run in every build; {@code mvn -Ptorture verify} (or {@code ./chat torture}) runs
 * the full ones. docs/reliability.md records the figures and how to reproduce them.
 *
 * <p>The {@code @Timeout}s fit the short run; the full run turns JUnit's timeouts off and is
 * bounded by its own figures and by Surefire's fork timeout.
 */
class TortureTest {

    private static final Duration START = Duration.ofSeconds(20);
    /** The server's heap: fixed, so memory figures compare across runs. */
    private static final List<String> SERVER_JVM = List.of("-Xms64m", "-Xmx512m");
    private static final Pattern SEQUENCE = Pattern.compile("n(\\d+)");

    private final TortureScale scale = TortureScale.current();
    private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("torture-", 0).factory());

    @TempDir
    Path directory;

    @AfterEach
    void stopEverything() throws Exception {
        stopping.set(true);
        for (AutoCloseable closeable : open) {
            try {
                closeable.close();
            } catch (IOException e) {
                // Already broken: that is what these tests do to connections.
            }
        }
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).as("test threads ended").isTrue();
    }

    private ServerProcess startServer(String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0"));
        args.addAll(List.of(options));
        ServerProcess server = ServerProcess.start(directory, SERVER_JVM, args.toArray(String[]::new));
        open.add(server);
        return server;
    }

    private WireClient keep(WireClient client) {
        open.add(client);
        return client;
    }

    /** Runs {@code task} on a virtual thread; a failure other than at shutdown fails the test. */
    private Future<?> background(String what, ThrowingRunnable task) {
        return threads.submit(() -> {
            try {
                task.run();
            } catch (Throwable e) {
                if (!stopping.get()) {
                    failures.add(new AssertionError(what + " failed: " + e, e));
                }
            }
        });
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private void print(String summary) {
        System.out.println("torture " + summary + " [" + scale.name() + " run]");
    }

    // 1. Fuzz

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void fuzz_serverSurvivesAndAWellBehavedClientGetsEveryLineClean() throws Exception {
        ServerProcess server = startServer("--flood-rate", "0");
        int port = server.awaitPort(START);
        WireClient observer = keep(WireClient.register(port, "observer").forgetLines());
        WireClient counter = keep(WireClient.register(port, "counter").forgetLines());
        background("counter's reader", () -> drain(counter));

        AtomicInteger counted = new AtomicInteger();
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicLong fromFuzzers = new AtomicLong();
        AtomicLong observed = new AtomicLong();
        List<String> unsafe = new CopyOnWriteArrayList<>();
        // The fuzz runs at most a few counter lines ahead of what the observer has read: a
        // client that reads slower than the server writes is dropped (rightly), and the
        // observer must not be.
        int every = scale.fuzzLines() / scale.fuzzCounterLines();
        Semaphore fuzzAllowance = new Semaphore(3 * every);
        background("observer", () -> {
            for (byte[] raw; (raw = observer.readRawLine()) != null; ) {
                observed.incrementAndGet();
                String line = checkClean(raw, unsafe);
                ServerLine parsed = ServerLine.parse(line);
                if (parsed instanceof ServerLine.Chat chat && chat.from().equals("counter")) {
                    if (!chat.text().equals("seq " + counted.get())) {
                        outOfOrder.incrementAndGet();
                    }
                    counted.incrementAndGet();
                    fuzzAllowance.release(every);
                } else if (parsed instanceof ServerLine.Chat || parsed instanceof ServerLine.PrivateMessage) {
                    fromFuzzers.incrementAndGet();
                }
            }
            if (!stopping.get()) {
                throw new AssertionError("the server closed the observer's connection");
            }
        });

        // The counter sends one numbered line per share of fuzz lines sent, spread over the run.
        Semaphore counterTurns = new Semaphore(0);
        background("counter", () -> {
            for (int i = 0; i < scale.fuzzCounterLines(); i++) {
                counterTurns.acquire();
                counter.send("seq " + i);
            }
        });

        AtomicLong sent = new AtomicLong();
        AtomicLong connections = new AtomicLong();
        long started = System.nanoTime();
        List<Future<?>> fuzzers = new ArrayList<>();
        for (int f = 0; f < scale.fuzzClients(); f++) {
            int id = f;
            fuzzers.add(background("fuzzer " + id, () -> fuzz(port, id, sent, connections, every, counterTurns, fuzzAllowance)));
        }
        for (Future<?> fuzzer : fuzzers) {
            fuzzer.get(scale.full() ? 3600 : 90, TimeUnit.SECONDS);
        }
        counterTurns.release(scale.fuzzCounterLines());
        await().atMost(Duration.ofSeconds(60)).until(() -> counted.get() >= scale.fuzzCounterLines() || !failures.isEmpty());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failures).isEmpty();
        assertThat(server.isAlive()).as("server alive").isTrue();
        try (WireClient late = WireClient.register(port, "late")) {
            late.send("still serving");
            assertThat(late.await(ServerLine.Chat.class).text()).isEqualTo("still serving");
        }
        print(String.format(java.util.Locale.ROOT,
                "fuzz: %d lines from %d clients over %d connections in %.1f s, %d server errors, "
                        + "observer received %d/%d numbered lines (%d out of order) and %d fuzz lines "
                        + "(%d lines in all), %d with a control or bidi character or invalid UTF-8",
                sent.get(), scale.fuzzClients(), connections.get(), took.toMillis() / 1e3, server.errors().size(),
                counted.get(), scale.fuzzCounterLines(), outOfOrder.get(), fromFuzzers.get(), observed.get(),
                unsafe.size()));
        assertThat(server.errors()).as("server errors").isEmpty();
        assertThat(counted.get()).isEqualTo(scale.fuzzCounterLines());
        assertThat(outOfOrder.get()).isZero();
        assertThat(unsafe).as("lines with control characters that reached the observer").isEmpty();
        assertThat(fromFuzzers.get()).as("fuzz lines that reached the observer, cleaned").isPositive();
    }

    /**
     * One fuzzing client: (re)connects, registers half of the time, sends hostile lines, and
     * now and then ends a connection in the middle of a line, by close or by reset.
     */
    private void fuzz(int port, int id, AtomicLong sent, AtomicLong connections, int every, Semaphore counterTurns,
            Semaphore allowance) throws Exception {
        SplittableRandom random = new SplittableRandom(id);
        FuzzLines lines = new FuzzLines(random, Protocol.DEFAULT_MAX_LINE_BYTES);
        while (sent.get() < scale.fuzzLines()) {
            WireClient client = WireClient.connect(port).forgetLines();
            connections.incrementAndGet();
            Future<?> reader = threads.submit(() -> drainQuietly(client));
            try {
                if (random.nextBoolean()) {
                    client.send("f" + id + "-" + connections.get());
                }
                while (sent.get() < scale.fuzzLines()) {
                    if (random.nextInt(200) == 0) {
                        client.sendRaw(lines.partial());
                        break;
                    }
                    while (!allowance.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                        if (stopping.get()) {
                            return;
                        }
                    }
                    client.sendRaw(lines.next());
                    if (sent.incrementAndGet() % every == 0) {
                        counterTurns.release();
                    }
                }
            } catch (IOException e) {
                // The fuzz sent /quit, or was dropped: connect again.
            } finally {
                if (random.nextBoolean()) {
                    client.socket().setSoLinger(true, 0);
                }
                client.close();
                reader.cancel(true);
            }
        }
    }

    /**
     * Returns the line decoded; adds it to {@code unsafe} when it holds a control character
     * (other than tab), a bidirectional control or invalid UTF-8.
     */
    private static String checkClean(byte[] raw, List<String> unsafe) {
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            unsafe.add("invalid UTF-8: " + new String(raw, StandardCharsets.UTF_8));
            return new String(raw, StandardCharsets.UTF_8);
        }
        if (line.chars().anyMatch(c -> Text.isUnsafe((char) c))) {
            unsafe.add(line);
        }
        return line;
    }

    private static void drain(WireClient client) throws IOException {
        while (client.readRawLine() != null) {
            // Read only so that the server never has to drop this client.
        }
    }

    private static void drainQuietly(WireClient client) {
        try {
            drain(client);
        } catch (IOException e) {
            // The connection ended.
        }
    }

    // 2. Slow consumer

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void slowConsumer_isDroppedAtItsQueueLimitAndNobodyElseWaits() throws Exception {
        ServerProcess server = startServer("--flood-rate", "0");
        int port = server.awaitPort(START);
        Phases phases = new Phases();
        List<Future<Chatter>> joining = new ArrayList<>();
        for (int i = 0; i < scale.slowChatters(); i++) {
            String name = "c" + i;
            joining.add(threads.submit(() -> new Chatter(port, name, 4, phases)));
        }
        List<Chatter> chatters = new ArrayList<>();
        for (Future<Chatter> chatter : joining) {
            chatters.add(chatter.get(60, TimeUnit.SECONDS));
            // Lines of a few hundred bytes fill the stalled client's buffers and queue in seconds.
            chatters.getLast().padding = " " + "p".repeat(300);
        }
        long heapBefore = server.heapAfterFullGcKib();
        chatters.forEach(chatter -> chatter.start(Duration.ZERO));

        phases.warmUp(scale.slowPhase());
        Latencies without = phases.measure(scale.slowPhase());

        WireClient stalled = keep(WireClient.connect(port, 4096).register("stalled"));
        long stalledAt = System.nanoTime();
        Latencies with = phases.startMeasuring();
        Chatter watcher = chatters.getFirst();
        await().atMost(Duration.ofSeconds(60)).until(() -> watcher.left.containsKey("stalled"));
        Duration dropAfter = Duration.ofNanos(watcher.leftAt.get("stalled") - stalledAt);
        phases.continueUntil(stalledAt + Math.max(scale.slowPhase().toNanos(), dropAfter.toNanos()));
        phases.stop();

        long expected = chatters.stream().mapToLong(chatter -> chatter.sent.get()).sum();
        await().atMost(Duration.ofSeconds(60)).until(() -> chatters.stream().allMatch(c -> c.received.get() >= expected));
        long heapAfter = server.heapAfterFullGcKib();
        assertThat(failures).isEmpty();
        print(String.format(java.util.Locale.ROOT,
                "slow consumer: %d chatters, %d lines each delivered to all %d; stalled client dropped after %.1f s "
                        + "(%s); latency without it %s, with it %s; p99 ratio %.2f; server heap after full GC "
                        + "%d KiB before, %d KiB after; %d server errors",
                scale.slowChatters(), expected, scale.slowChatters(), dropAfter.toMillis() / 1e3,
                watcher.left.get("stalled"), without.summary(), with.summary(),
                ratio(with.percentile(99), without.percentile(99)), heapBefore, heapAfter, server.errors().size()));
        assertThat(watcher.left.get("stalled")).contains("send queue full");
        assertThat(chatters).allSatisfy(c -> assertThat(c.left.keySet()).containsExactly("stalled"));
        assertThat(server.errors()).isEmpty();
        // Bounded: the stalled client's queue is 1 MiB; nothing it left behind may stay on the heap.
        assertThat(heapAfter).isLessThan(heapBefore + 64 * 1024);
        if (scale.full()) {
            assertThat(with.percentile(99)).isLessThanOrEqualTo(without.percentile(99).multipliedBy(2));
        }
    }

    private static double ratio(Duration a, Duration b) {
        return b.isZero() ? Double.NaN : (double) a.toNanos() / b.toNanos();
    }

    /** Which measuring period a line belongs to, by the time it was sent. */
    private static final class Phases {
        private final List<long[]> periods = new CopyOnWriteArrayList<>();
        private final List<Latencies> latencies = new CopyOnWriteArrayList<>();
        private volatile boolean running = true;

        void warmUp(Duration duration) throws InterruptedException {
            // Load generation, not synchronisation: the chatters run meanwhile.
            TimeUnit.NANOSECONDS.sleep(duration.toNanos());
        }

        Latencies measure(Duration duration) throws InterruptedException {
            Latencies result = startMeasuring();
            continueUntil(System.nanoTime() + duration.toNanos());
            return result;
        }

        Latencies startMeasuring() {
            Latencies result = new Latencies();
            long[] period = {System.nanoTime(), Long.MAX_VALUE};
            latencies.add(result);
            periods.add(period);
            return result;
        }

        /** Lets the load run until {@code endNanos}, then closes the current period. */
        void continueUntil(long endNanos) throws InterruptedException {
            long left = endNanos - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);
            }
            periods.getLast()[1] = endNanos;
        }

        void stop() {
            running = false;
        }

        void record(long sentNanos, long latency) {
            for (int i = 0; i < periods.size(); i++) {
                long[] period = periods.get(i);
                if (sentNanos >= period[0] && sentNanos < period[1]) {
                    latencies.get(i).add(latency);
                }
            }
        }
    }

    /**
     * A well-behaved client under load: sends timestamped lines with up to {@code window} of
     * its own not yet echoed, and records the delivery latency of every chat line it receives.
     */
    private final class Chatter {
        final WireClient client;
        final String name;
        final Semaphore window;
        final Phases phases;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final Map<String, String> left = new ConcurrentHashMap<>();
        final Map<String, Long> leftAt = new ConcurrentHashMap<>();
        /** Added to every line, to make lines as long as the scenario wants. */
        volatile String padding = "";

        /** Set before this client's connection is closed on purpose. */
        volatile boolean leaving;

        Chatter(int port, String name, int window, Phases phases) throws IOException {
            this.client = keep(WireClient.register(port, name).forgetLines());
            this.name = name;
            this.window = new Semaphore(window);
            this.phases = phases;
        }

        /** Leaves by {@code /quit} or by a reset. */
        void leave(boolean reset) throws IOException {
            leaving = true;
            if (reset) {
                client.socket().setSoLinger(true, 0);
            } else {
                client.send("/quit");
            }
            client.close();
        }

        /** Starts sending (a line per {@code pause} at most) and reading. */
        void start(Duration pause) {
            background(name + " reader", () -> {
                try {
                    read();
                } catch (IOException e) {
                    if (!leaving) {
                        throw e;
                    }
                }
            });
            background(name + " writer", () -> {
                try {
                    while (phases.running && !leaving && !stopping.get()) {
                        if (window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            client.send("t" + System.nanoTime() + " n" + sent.getAndIncrement() + padding);
                            if (!pause.isZero()) {
                                TimeUnit.NANOSECONDS.sleep(pause.toNanos());
                            }
                        }
                    }
                } catch (IOException e) {
                    if (!leaving) {
                        throw e;
                    }
                }
            });
        }

        private void read() throws IOException {
            for (String line; (line = client.readLine()) != null; ) {
                long now = System.nanoTime();
                switch (ServerLine.parse(line)) {
                    case ServerLine.Chat chat when chat.text().startsWith("t") -> {
                        long sentNanos = Long.parseLong(chat.text().substring(1, chat.text().indexOf(' ')));
                        phases.record(sentNanos, now - sentNanos);
                        received.incrementAndGet();
                        if (chat.from().equals(name)) {
                            window.release();
                        }
                    }
                    case ServerLine.Left gone -> {
                        leftAt.putIfAbsent(gone.name(), now);
                        left.put(gone.name(), gone.reason());
                    }
                    default -> {
                        // Joins, flood lines and the like are not measured here.
                    }
                }
            }
        }
    }

    // 3. Flood

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void flood_floodersAreSlowedThenDroppedAndOthersChatOn() throws Exception {
        int burst = 10;
        int rate = 5;
        ServerProcess server = startServer("--flood-burst", Integer.toString(burst), "--flood-rate",
                Integer.toString(rate), "--flood-backlog", "65536");
        int port = server.awaitPort(START);
        Phases phases = new Phases();
        List<Chatter> chatters = new ArrayList<>();
        for (int i = 0; i < scale.floodChatters(); i++) {
            chatters.add(new Chatter(port, "c" + i, 1, phases));
        }
        // Typing speed: well under the flood rate.
        chatters.forEach(chatter -> chatter.start(Duration.ofMillis(250)));
        Latencies quiet = phases.measure(scale.floodPhase());

        FloodWatch watch = new FloodWatch();
        WireClient watcher = keep(WireClient.register(port, "watcher").forgetLines());
        background("flood watcher", () -> watch.read(watcher));
        Latencies flooded = phases.startMeasuring();
        long floodStarted = System.nanoTime();
        AtomicInteger sessions = new AtomicInteger();
        AtomicInteger toldFlooding = new AtomicInteger();
        AtomicLong floodBytes = new AtomicLong();
        for (int f = 0; f < scale.flooders(); f++) {
            int id = f;
            background("flooder " + id, () -> {
                while (System.nanoTime() - floodStarted < scale.floodPhase().toNanos() && !stopping.get()) {
                    flood(port, "flood" + id + "-" + sessions.incrementAndGet(), toldFlooding, floodBytes);
                }
            });
        }
        phases.continueUntil(floodStarted + scale.floodPhase().toNanos());
        phases.stop();
        await().atMost(Duration.ofSeconds(30)).until(() -> watch.joined.keySet().equals(watch.left.keySet()));

        long expected = chatters.stream().mapToLong(chatter -> chatter.sent.get()).sum();
        await().atMost(Duration.ofSeconds(30)).until(() -> chatters.stream().allMatch(c -> c.received.get() >= expected));
        assertThat(failures).isEmpty();
        int mostLines = watch.lines.values().stream().mapToInt(AtomicInteger::get).max().orElse(0);
        print(String.format(java.util.Locale.ROOT,
                "flood: %d flooders sent %d MiB over %d connections in %.1f s; each was dropped (%d told 'flooding', "
                        + "%d left as 'dropped: flooding'), at most %d of one connection's lines got through; "
                        + "%d chatters' latency without flood %s, under flood %s; %d server errors",
                scale.flooders(), floodBytes.get() >> 20, sessions.get(), scale.floodPhase().toMillis() / 1e3,
                toldFlooding.get(), watch.left.values().stream().filter("dropped: flooding"::equals).count(), mostLines,
                scale.floodChatters(), quiet.summary(), flooded.summary(), server.errors().size()));
        assertThat(watch.left).isNotEmpty().allSatisfy((name, reason) -> assertThat(reason).isEqualTo("dropped: flooding"));
        for (Map.Entry<String, AtomicInteger> entry : watch.lines.entrySet()) {
            double lived = (watch.leftAt.get(entry.getKey()) - watch.joinedAt.get(entry.getKey())) / 1e9;
            // The name takes one token of the burst; then the bucket refills at the rate.
            assertThat(entry.getValue().get()).as(entry.getKey() + " lines through in %.2f s", lived)
                    .isLessThanOrEqualTo((int) (burst + rate * lived) + 1);
        }
        assertThat(chatters).allSatisfy(c -> assertThat(c.left.keySet()).allMatch(name -> name.startsWith("flood")));
        assertThat(server.errors()).isEmpty();
    }

    /** One flooding connection: registers, then writes lines as fast as TCP takes them until dropped. */
    private void flood(int port, String name, AtomicInteger toldFlooding, AtomicLong floodBytes) throws IOException {
        WireClient flooder = keep(WireClient.register(port, name).forgetLines());
        Future<?> reader = threads.submit(() -> {
            try {
                for (String line; (line = flooder.readLine()) != null; ) {
                    if (ServerLine.parse(line) instanceof ServerLine.Error error && error.code() == ErrorCode.FLOODING) {
                        toldFlooding.incrementAndGet();
                    }
                }
            } catch (IOException e) {
                // Dropped: the reset may come before the last line.
            }
        });
        byte[] chunk = ("spam " + "z".repeat(90) + "\n").repeat(600).getBytes(StandardCharsets.UTF_8);
        try {
            while (!stopping.get()) {
                flooder.sendRaw(chunk);
                floodBytes.addAndGet(chunk.length);
            }
        } catch (IOException e) {
            // Dropped by the server, as the policy says.
        }
        try {
            reader.get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("flooder's reader did not end", e);
        } finally {
            flooder.close();
        }
    }

    /** What a quiet user sees of the flooders: who came, how many of their lines, who left and why. */
    private static final class FloodWatch {
        final Map<String, Long> joinedAt = new ConcurrentHashMap<>();
        final Map<String, Boolean> joined = new ConcurrentHashMap<>();
        final Map<String, AtomicInteger> lines = new ConcurrentHashMap<>();
        final Map<String, String> left = new ConcurrentHashMap<>();
        final Map<String, Long> leftAt = new ConcurrentHashMap<>();

        void read(WireClient client) throws IOException {
            for (String line; (line = client.readLine()) != null; ) {
                long now = System.nanoTime();
                switch (ServerLine.parse(line)) {
                    case ServerLine.Joined j when j.name().startsWith("flood") -> {
                        joinedAt.put(j.name(), now);
                        joined.put(j.name(), true);
                    }
                    case ServerLine.Chat chat when chat.from().startsWith("flood") ->
                            lines.computeIfAbsent(chat.from(), k -> new AtomicInteger()).incrementAndGet();
                    case ServerLine.Left gone when gone.name().startsWith("flood") -> {
                        leftAt.put(gone.name(), now);
                        left.put(gone.name(), gone.reason());
                    }
                    default -> {
                        // The chatters' lines are measured by the chatters.
                    }
                }
            }
        }
    }

    // 4. Connection storm

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void connectionStorm_leavesNoUserNoThreadAndNoFileBehind() throws Exception {
        ServerProcess server = startServer("--flood-rate", "0", "--registration-timeout", "1");
        int port = server.awaitPort(START);
        // Warm up (classes loaded, log files open, carrier threads started), then take the baseline.
        storm(port, "warm", 200, 8);
        awaitOnlyProbe(port);
        int baseFiles = server.openFiles();
        int baseThreads = server.kernelThreads();

        long started = System.nanoTime();
        Map<String, Integer> kinds = storm(port, "s", scale.stormCycles(), scale.stormWorkers());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        int filesRightAfter = server.openFiles();
        int threadsRightAfter = server.kernelThreads();

        awaitOnlyProbe(port);
        await().atMost(Duration.ofSeconds(60)).until(() -> server.openFiles() <= baseFiles);
        await().atMost(Duration.ofSeconds(90)).until(() -> server.kernelThreads() <= baseThreads);
        assertThat(failures).isEmpty();
        print(String.format(java.util.Locale.ROOT,
                "storm: %d cycles %s in %.1f s (%.0f/s) with %d workers; afterwards 0 users, open files %d "
                        + "(baseline %d, %d right after), kernel threads %d (baseline %d, %d right after); "
                        + "%d server errors",
                scale.stormCycles(), kinds, took.toMillis() / 1e3, scale.stormCycles() / (took.toNanos() / 1e9),
                scale.stormWorkers(), server.openFiles(), baseFiles, filesRightAfter, server.kernelThreads(), baseThreads,
                threadsRightAfter, server.errors().size()));
        assertThat(server.errors()).isEmpty();
    }

    /** Waits until a probe's {@code /who} names only the probe: the registry is empty. */
    private static void awaitOnlyProbe(int port) {
        AtomicInteger probes = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String name = "probe" + probes.incrementAndGet();
            try (WireClient probe = WireClient.register(port, name)) {
                probe.send("/who");
                return probe.await(ServerLine.Online.class).names().equals(List.of(name));
            }
        });
    }

    /**
     * Runs {@code cycles} connections, {@code workers} at a time, of five kinds: registered and
     * quit; registered and reset; reset before a name; half a name then half-closed; no name
     * until the registration timeout closes it (every 50th). Returns how many of each kind.
     */
    private Map<String, Integer> storm(int port, String prefix, int cycles, int workers) throws Exception {
        AtomicInteger next = new AtomicInteger();
        Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
        Semaphore silentOnes = new Semaphore(200);
        List<Future<?>> running = new ArrayList<>();
        List<Future<?>> silent = new CopyOnWriteArrayList<>();
        for (int w = 0; w < workers; w++) {
            running.add(threads.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < cycles; ) {
                    InetAddress from = InetAddress.getByAddress(new byte[] {127, 0, (byte) (i % 7), (byte) (1 + i % 31)});
                    String kind = i % 50 == 49 ? "timed-out" : switch (i % 4) {
                        case 0 -> "quit";
                        case 1 -> "registered-reset";
                        case 2 -> "unnamed-reset";
                        default -> "half-closed";
                    };
                    counts.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
                    WireClient client = WireClient.connectFrom(from, port).forgetLines();
                    if (kind.equals("timed-out")) {
                        silentOnes.acquire();
                        silent.add(threads.submit(() -> {
                            try (client) {
                                List<String> lines = client.readToEnd();
                                assertThat(ServerLine.parse(lines.getLast())).isInstanceOf(ServerLine.Error.class);
                            } finally {
                                silentOnes.release();
                            }
                            return null;
                        }));
                        continue;
                    }
                    try (client) {
                        switch (kind) {
                            case "quit" -> {
                                client.register(prefix + i);
                                client.send("/quit");
                                client.readToEnd();
                            }
                            case "registered-reset" -> {
                                client.register(prefix + i);
                                client.socket().setSoLinger(true, 0);
                            }
                            case "unnamed-reset" -> client.socket().setSoLinger(true, 0);
                            default -> {
                                client.sendRaw(("h" + i).getBytes(StandardCharsets.US_ASCII));
                                client.socket().shutdownOutput();
                                client.readToEnd();
                            }
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : running) {
            worker.get(scale.full() ? 3600 : 90, TimeUnit.SECONDS);
        }
        for (Future<?> one : silent) {
            one.get(30, TimeUnit.SECONDS);
        }
        Map<String, Integer> result = new java.util.TreeMap<>();
        counts.forEach((kind, count) -> result.put(kind, count.get()));
        return result;
    }

    // 5. Shutdown under load

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void shutdownUnderLoad_logsEveryAcceptedLineOnceInOrderAndExitsZeroInTime() throws Exception {
        ServerProcess server = startServer("--flood-rate", "0");
        int port = server.awaitPort(START);
        Map<String, List<Integer>> echoed = new ConcurrentHashMap<>();
        AtomicLong sent = new AtomicLong();
        List<Future<WireClient>> joining = new ArrayList<>();
        for (int i = 0; i < scale.shutdownClients(); i++) {
            String name = "w" + i;
            joining.add(threads.submit(() -> keep(WireClient.register(port, name).forgetLines())));
        }
        List<Future<?>> clients = new ArrayList<>();
        for (int i = 0; i < scale.shutdownClients(); i++) {
            String name = "w" + i;
            WireClient client = joining.get(i).get(60, TimeUnit.SECONDS);
            List<Integer> mine = Collections.synchronizedList(new ArrayList<>());
            echoed.put(name, mine);
            Semaphore window = new Semaphore(8);
            clients.add(threads.submit(() -> {
                try {
                    for (String line; (line = client.readLine()) != null; ) {
                        if (ServerLine.parse(line) instanceof ServerLine.Chat chat && chat.from().equals(name)) {
                            Matcher m = SEQUENCE.matcher(chat.text());
                            assertThat(m.matches()).isTrue();
                            mine.add(Integer.parseInt(m.group(1)));
                            window.release();
                        }
                    }
                } catch (IOException e) {
                    // The server closed by force a connection that did not take its lines in time.
                }
                return null;
            }));
            background(name + " writer", () -> {
                try {
                    for (int seq = 0; !stopping.get(); seq++) {
                        while (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            if (!server.isAlive()) {
                                return;
                            }
                        }
                        client.send("n" + seq);
                        sent.incrementAndGet();
                    }
                } catch (IOException e) {
                    // The server has stopped reading: what was sent after that is not accepted.
                }
            });
        }
        TimeUnit.NANOSECONDS.sleep(scale.shutdownLoad().toNanos());   // load runs meanwhile

        long signalled = System.nanoTime();
        server.signal("TERM");
        Integer status = server.awaitExit(Duration.ofSeconds(15));
        Duration exitAfter = Duration.ofNanos(System.nanoTime() - signalled);
        for (Future<?> client : clients) {
            client.get(30, TimeUnit.SECONDS);
        }
        assertThat(failures).isEmpty();

        Map<String, List<Integer>> logged = new HashMap<>();
        List<String> log = chatLogLines();
        Pattern said = Pattern.compile(".{19} <(w\\d+)> n(\\d+)");
        for (String line : log) {
            Matcher m = said.matcher(line);
            if (m.matches()) {
                logged.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Integer.parseInt(m.group(2)));
            }
        }
        long accepted = echoed.values().stream().mapToLong(List::size).sum();
        long inLog = logged.values().stream().mapToLong(List::size).sum();
        List<String> problems = new ArrayList<>();
        echoed.forEach((name, seqs) -> {
            List<Integer> inOrder = logged.getOrDefault(name, List.of());
            for (int i = 0; i < inOrder.size(); i++) {
                if (inOrder.get(i) != i) {
                    problems.add(name + ": line " + i + " of chat.log is n" + inOrder.get(i));
                    break;
                }
            }
            for (int seq : seqs) {
                if (seq >= inOrder.size()) {
                    problems.add(name + ": echoed n" + seq + " not in chat.log");
                    break;
                }
            }
        });
        print(String.format(java.util.Locale.ROOT,
                "shutdown: SIGTERM after %.1f s of %d clients sending (%d lines sent); %d lines echoed, all among the "
                        + "%d in chat.log, each once and in its sender's order; %d problems; exit status %s after %.2f s",
                scale.shutdownLoad().toMillis() / 1e3, scale.shutdownClients(), sent.get(), accepted, inLog,
                problems.size(), status, exitAfter.toMillis() / 1e3));
        assertThat(problems).isEmpty();
        assertThat(status).isZero();
        assertThat(exitAfter).isLessThan(Duration.ofSeconds(5));
        assertThat(accepted).isPositive();
        assertThat(log.getLast()).endsWith("*** server stopped");
    }

    /** chat.log and any files it rolled over into, oldest first. */
    private List<String> chatLogLines() throws IOException {
        List<Path> rolled;
        try (var files = Files.list(directory)) {
            rolled = files.filter(p -> p.getFileName().toString().startsWith("chat.log."))
                    .sorted(java.util.Comparator.comparing(p -> Integer.parseInt(
                            p.getFileName().toString().replaceAll(".*\\.", ""))))
                    .toList();
        }
        List<String> lines = new ArrayList<>();
        for (Path file : rolled) {
            lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
        }
        lines.addAll(Files.readAllLines(directory.resolve("chat.log"), StandardCharsets.UTF_8));
        return lines;
    }

    // 6. Soak

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void soak_heapAndThreadsStayFlat() throws Exception {
        ServerProcess server = startServer("--flood-rate", "0");
        int port = server.awaitPort(START);
        Phases phases = new Phases();
        List<Chatter> chatters = new CopyOnWriteArrayList<>();
        for (int i = 0; i < scale.soakClients(); i++) {
            Chatter chatter = new Chatter(port, "soak" + i, 1, phases);
            chatters.add(chatter);
            chatter.start(Duration.ofMillis(200));
        }
        Latencies latencies = phases.startMeasuring();
        List<long[]> samples = new ArrayList<>();   // seconds, heap KiB, kernel threads, open files, RSS KiB
        long started = System.nanoTime();
        int churned = 0;
        SplittableRandom random = new SplittableRandom(6);
        for (long next = started; next - started <= scale.soak().toNanos(); next += scale.soakSample().toNanos()) {
            long left = next - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.sleep(left);   // the load runs meanwhile
            }
            samples.add(new long[] {(System.nanoTime() - started) / 1_000_000_000L, server.heapAfterFullGcKib(),
                    server.kernelThreads(), server.openFiles(), server.residentKib()});
            // Churn: a few users leave (by /quit or by reset) and new ones come, so leaks on those paths show.
            for (int k = 0; k < 5; k++) {
                chatters.remove(random.nextInt(chatters.size())).leave(random.nextBoolean());
                Chatter fresh = new Chatter(port, "churn" + churned++, 1, phases);
                chatters.add(fresh);
                fresh.start(Duration.ofMillis(200));
            }
        }
        phases.stop();
        assertThat(failures).isEmpty();
        long[] first = samples.getFirst();
        long[] last = samples.getLast();
        long maxHeap = samples.stream().mapToLong(s -> s[1]).max().orElseThrow();
        StringBuilder series = new StringBuilder();
        for (long[] s : samples) {
            series.append(String.format(java.util.Locale.ROOT, " %ds:%dK/%dt/%df", s[0], s[1], s[2], s[3]));
        }
        print(String.format(java.util.Locale.ROOT,
                "soak: %d s, %d clients at 5 lines/s each, %d churned; heap after full GC first %d KiB, last %d KiB, "
                        + "max %d KiB; kernel threads %d -> %d; open files %d -> %d; RSS %d -> %d KiB; latency %s; "
                        + "%d server errors; samples (heap/threads/files):%s",
                scale.soak().toSeconds(), scale.soakClients(), churned, first[1], last[1], maxHeap, first[2], last[2],
                first[3], last[3], first[4], last[4], latencies.summary(), server.errors().size(), series));
        assertThat(server.errors()).isEmpty();
        // Flat: the same clients' worth of threads and files, and no heap growth beyond noise.
        assertThat(last[2]).isLessThanOrEqualTo(first[2] + 2);
        assertThat(last[3]).isLessThanOrEqualTo(first[3] + 5);
        assertThat(last[1]).isLessThan(first[1] * 3 / 2 + 8 * 1024);
    }
}
