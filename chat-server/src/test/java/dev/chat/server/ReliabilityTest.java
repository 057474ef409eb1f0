package dev.chat.server;

import static org.assertj.core.api.Assertions.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Limits that protect the server and its users from floods, crowds and silent connections. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReliabilityTest {

    @RegisterExtension
    final TestServer server = TestServer.create();

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void clientThatStopsReading_isDroppedAlone_andEveryoneElseGetsEveryLine() throws Exception {
        server.configure(config -> config.floodRate(0).sendQueueBytes(256 * 1024));
        WireClient talker = server.register("talker").forgetLines();
        WireClient listener = server.register("listener").forgetLines();
        // Registers, then reads nothing more: the server's writes to it fill its socket, then its queue.
        server.connect(4096).register("stalled");
        String padding = " " + "p".repeat(1_500);
        AtomicBoolean stalledLeft = new AtomicBoolean();
        AtomicInteger talkerHeard = new AtomicInteger();
        AtomicInteger listenerHeard = new AtomicInteger();
        List<Callable<List<String>>> reads = List.of(() -> hear(talker, talkerHeard, stalledLeft),
                () -> hear(listener, listenerHeard, stalledLeft));
        List<String> expected = new ArrayList<>();
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> heard = reads.stream().map(readers::submit).toList();
            // Until the stalled client is dropped (its queue and both sides' socket buffers full).
            while (!stalledLeft.get() && expected.size() < 100_000) {
                // The two reading clients stay within 64 lines (96 KiB) of the talker, well inside
                // their queues, however slowly this test's own readers run on a busy machine.
                int sent = expected.size();
                if (Math.min(talkerHeard.get(), listenerHeard.get()) < sent - 64) {
                    await().atMost(Duration.ofSeconds(20)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                            .until(() -> stalledLeft.get() || Math.min(talkerHeard.get(), listenerHeard.get()) >= sent - 64);
                }
                String text = "line " + sent + padding;
                talker.send(text);
                expected.add(text);
            }
            talker.send("last");
            for (Future<List<String>> each : heard) {
                List<String> lines = each.get(20, TimeUnit.SECONDS);
                assertThat(lines).filteredOn(line -> line.contains(" left: ")).singleElement(as(InstanceOfAssertFactories.STRING))
                        .startsWith("stalled left: ").contains("send queue full");
                assertThat(lines).filteredOn(line -> !line.contains(" left: ")).isEqualTo(expected);
            }
        }
    }

    /**
     * What {@code client} hears up to the line "last": the chat lines' texts (counted in
     * {@code chatLines} as they come), and who left why (noting in {@code stalledLeft} when the
     * stalled client did).
     */
    private static List<String> hear(WireClient client, AtomicInteger chatLines, AtomicBoolean stalledLeft)
            throws IOException {
        List<String> heard = new ArrayList<>();
        while (true) {
            switch (client.next()) {
                case ServerLine.Chat chat when chat.text().equals("last") -> {
                    return heard;
                }
                case ServerLine.Chat chat -> {
                    heard.add(chat.text());
                    chatLines.incrementAndGet();
                }
                case ServerLine.Left left -> {
                    heard.add(left.name() + " left: " + left.reason());
                    stalledLeft.compareAndSet(false, left.name().equals("stalled"));
                }
                default -> {
                }
            }
        }
    }

    @Test
    void lineOverTheFloodRate_isDelayedNotDropped() throws IOException {
        server.configure(config -> config.floodBurst(3).floodRate(20));
        WireClient typist = server.register("typist");
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            typist.send("line " + i);
        }
        for (int i = 0; i < 10; i++) {
            assertThat(typist.await(ServerLine.Chat.class).text()).isEqualTo("line " + i);
        }
        // Three lines go at once; the seven after them wait for a token each, 50 ms apart.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void slowedFlooder_doesNotSlowOthers() throws IOException {
        server.configure(config -> config.floodBurst(1).floodRate(2).floodBacklogBytes(0));
        WireClient flooder = server.register("flooder");
        WireClient other = server.register("other");
        for (int i = 0; i < 20; i++) {
            flooder.send("spam " + i);
        }
        other.send("normal");
        // The flooder's twenty lines take ten seconds to get through; the other user's line does not wait for them.
        List<String> texts = new ArrayList<>();
        while (!texts.contains("normal")) {
            texts.add(other.await(ServerLine.Chat.class).text());
        }
        assertThat(texts).hasSizeLessThan(5);
    }

    @Test
    void close_endsAThrottledSessionWithoutWaitingForItsTokens() throws IOException {
        // The name is a line too: a burst of two lets the name and "one" through at once.
        server.configure(config -> config.floodBurst(2).floodRate(0.1).floodBacklogBytes(0));
        WireClient flooder = server.register("flooder");
        flooder.send("one");
        flooder.send("two, held back for ten seconds");
        flooder.await(ServerLine.Chat.class);
        long started = System.nanoTime();
        server.server().close();
        assertThat(ServerLine.parse(flooder.readToEnd().getLast())).isInstanceOf(ServerLine.ShuttingDown.class);
        assertThat(server.connectionCount()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void flooderWhoseInputPilesUp_isDisconnectedWithAReason() throws IOException, InterruptedException {
        server.configure(config -> config.floodBurst(1).floodRate(1).floodBacklogBytes(16 * 1024));
        WireClient flooder = server.register("flooder");
        WireClient other = server.register("other");
        String line = "z".repeat(1000) + "\n";
        byte[] burst = line.repeat(200).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // The server may cut the connection while the burst is still being written.
        Thread writer = Thread.ofVirtual().name("flooder-writer").start(() -> {
            try {
                flooder.sendRaw(burst);
            } catch (IOException e) {
                // Disconnected mid-burst: what the test expects.
            }
        });
        ServerLine.Left left = other.await(ServerLine.Left.class);
        assertThat(left.name()).isEqualTo("flooder");
        assertThat(left.reason()).isEqualTo("dropped: flooding");
        assertThat(writer.join(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void connectionsOverThePerAddressLimit_areRefusedWithOneLine() throws IOException {
        server.configure(config -> config.maxPerAddress(2).exemptAddresses(List.of()));
        server.register("one");
        server.register("two");
        WireClient third = server.connect();
        List<String> lines = third.readToEnd();
        assertThat(lines).hasSize(1);
        assertThat(((ServerLine.Error) ServerLine.parse(lines.getFirst())).code())
                .isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS);
    }

    @Test
    void exemptAddresses_haveNoPerAddressLimit() throws IOException {
        server.configure(config -> config.maxPerAddress(1));
        server.register("one");
        server.register("two");
        assertThat(server.userCount()).isEqualTo(2);
    }

    @Test
    void connectionWithoutAName_isClosedAfterTheRegistrationTimeout() throws IOException {
        server.configure(config -> config.registrationTimeout(Duration.ofSeconds(1)));
        WireClient silent = server.connect();
        silent.sendRaw(new byte[] {'a', 'b'});   // part of a name, never finished
        List<String> lines = silent.readToEnd();
        ServerLine.Error error = (ServerLine.Error) ServerLine.parse(lines.getLast());
        assertThat(error.code()).isEqualTo(ErrorCode.TIMEOUT);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
    }

    @Test
    void registeredUser_isNotTimedOut() throws Exception {
        server.configure(config -> config.registrationTimeout(Duration.ofSeconds(1)));
        WireClient alice = server.register("alice");
        // Past the timeout, with the watchdog looking twice a second, alice must stay.
        org.awaitility.Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> server.userCount() == 1);
        alice.send("still here");
        assertThat(alice.await(ServerLine.Chat.class).text()).isEqualTo("still here");
    }

    @Test
    void keepAlive_setsThePerSocketTimings() throws IOException {
        ServerConfig config = ServerConfig.defaults().toBuilder()
                .keepAlive(Duration.ofSeconds(45), Duration.ofSeconds(5), 4).build();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                Socket accepted = listener.accept()) {
            KeepAlive.apply(accepted, config);
            assertThat(accepted.getKeepAlive()).isTrue();
            assertThat(accepted.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)).isEqualTo(45);
            assertThat(accepted.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)).isEqualTo(5);
            assertThat(accepted.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT)).isEqualTo(4);
            assertThat(client.isConnected()).isTrue();
        }
    }
}
