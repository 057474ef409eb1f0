package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Many clients at once, and clients that misbehave under load. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadTest {

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    @Test
    void twoHundredClientsAtOnce_exactlyOneWinsEachName() throws Exception {
        int port = server.port();
        int clients = 200;
        int names = 50;
        CountDownLatch go = new CountDownLatch(1);
        Map<String, List<String>> winnersByName = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<WireClient>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String name = "user" + (i % names);
                String caseVariant = i % 2 == 0 ? name : name.toUpperCase();
                futures.add(pool.submit(() -> {
                    WireClient client = WireClient.connect(port);
                    go.await();
                    client.send(caseVariant);
                    while (true) {
                        ServerLine line = client.next();
                        if (line instanceof ServerLine.Welcome welcome) {
                            winnersByName.computeIfAbsent(welcome.name().toLowerCase(), k -> new ArrayList<>())
                                    .add(welcome.name());
                            return client;
                        }
                        if (line instanceof ServerLine.Error error) {
                            assertThat(error.code()).isEqualTo(ErrorCode.NAME_TAKEN);
                            return client;
                        }
                    }
                }));
            }
            go.countDown();
            for (Future<WireClient> future : futures) {
                server.closeAfter(future.get(30, TimeUnit.SECONDS));
            }
        }
        assertThat(winnersByName).hasSize(names);
        assertThat(winnersByName.values()).allSatisfy(winners -> assertThat(winners).hasSize(1));
        assertThat(server.userCount()).isEqualTo(names);
        assertThat(server.connectionCount()).isEqualTo(clients);
    }

    @Test
    void clientThatStopsReading_doesNotDelayOthersAndIsDropped() throws Exception {
        server.configure(config -> config.sendQueueBytes(64 * 1024));
        WireClient stalled = server.connect(4096).register("stalled");
        WireClient sender = server.register("sender");
        WireClient reader = server.register("reader");

        // Until the stalled client's socket buffers and its 64 KiB queue are full; each line
        // must reach the reader before the next is sent, so a delay anywhere would show.
        String text = "x".repeat(1000);
        for (int i = 0; i < 20_000 && server.userCount() == 3; i++) {
            sender.send(i + " " + text);
            ServerLine.Chat chat = reader.await(ServerLine.Chat.class);
            assertThat(chat.text()).startsWith(i + " ");
        }
        // The leave notice may have come between two chat lines already; otherwise it is on its way.
        while (reader.seen().stream().noneMatch(line -> ServerLine.parse(line) instanceof ServerLine.Left)) {
            reader.next();
        }
        ServerLine.Left left = reader.seen().stream().map(ServerLine::parse)
                .filter(ServerLine.Left.class::isInstance).map(ServerLine.Left.class::cast).findFirst().orElseThrow();
        assertThat(left.name()).isEqualTo("stalled");
        assertThat(left.reason()).contains("send queue full");
        await().atMost(Duration.ofSeconds(10)).until(() -> server.userCount() == 2);
    }

    @Test
    void connectionOverTheLimit_getsOneErrorLineAndIsClosed() throws Exception {
        server.configure(config -> config.maxClients(2));
        server.register("one");
        server.register("two");
        WireClient third = server.connect();
        List<String> lines = third.readToEnd();
        assertThat(lines).hasSize(1);
        ServerLine.Error error = (ServerLine.Error) ServerLine.parse(lines.getFirst());
        assertThat(error.code()).isEqualTo(ErrorCode.SERVER_FULL);
        assertThat(server.connectionCount()).isEqualTo(2);
    }

    @Test
    void lineWithoutEnd_costsBoundedMemoryAndTheServerGoesOn() throws Exception {
        WireClient flooder = server.register("flooder");
        WireClient other = server.register("other");
        byte[] chunk = new byte[64 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'z');
        for (int i = 0; i < 160; i++) {   // 10 MiB without a newline
            flooder.sendRaw(chunk);
        }
        flooder.send("");
        assertThat(flooder.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.LINE_TOO_LONG);
        other.send("still here");
        assertThat(other.await(ServerLine.Chat.class).text()).isEqualTo("still here");
    }

    @Test
    void closingWithManyClients_endsEverySession() throws Exception {
        for (int i = 0; i < 100; i++) {
            server.closeAfter(new Socket("127.0.0.1", server.port()));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 100);
        long started = System.nanoTime();
        server.server().close();
        assertThat(server.connectionCount()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
}
