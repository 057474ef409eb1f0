package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many clients at once, and clients that misbehave under load. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadTest {

    private ChatServer server;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ChatServer start(ServerConfig config) throws IOException {
        server = ChatServer.start(config.withBind("127.0.0.1").withPort(0).withoutFloodControl());
        return server;
    }

    @Test
    void twoHundredClientsAtOnce_exactlyOneWinsEachName() throws Exception {
        start(ServerConfig.defaults());
        int clients = 200;
        int names = 50;
        CountDownLatch go = new CountDownLatch(1);
        Map<String, List<String>> winnersByName = new ConcurrentHashMap<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<TestClient>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String name = "user" + (i % names);
                String caseVariant = i % 2 == 0 ? name : name.toUpperCase();
                futures.add(pool.submit(() -> {
                    TestClient client = TestClient.connect(server.port());
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
            for (Future<TestClient> future : futures) {
                open.add(future.get(30, TimeUnit.SECONDS));
            }
        }
        assertThat(winnersByName).hasSize(names);
        assertThat(winnersByName.values()).allSatisfy(winners -> assertThat(winners).hasSize(1));
        assertThat(server.userCount()).isEqualTo(names);
        assertThat(server.connectionCount()).isEqualTo(clients);
    }

    @Test
    void clientThatStopsReading_doesNotDelayOthersAndIsDropped() throws Exception {
        start(ServerConfig.defaults().withSendQueueBytes(64 * 1024));
        TestClient stalled = TestClient.register(TestClient.connect(server.port(), 4096), "stalled");
        open.add(stalled);
        TestClient sender = TestClient.register(server.port(), "sender");
        open.add(sender);
        TestClient reader = TestClient.register(server.port(), "reader");
        open.add(reader);

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
        start(ServerConfig.defaults().withMaxClients(2));
        open.add(TestClient.register(server.port(), "one"));
        open.add(TestClient.register(server.port(), "two"));
        TestClient third = TestClient.connect(server.port());
        open.add(third);
        List<String> lines = third.readToEnd();
        assertThat(lines).hasSize(1);
        ServerLine.Error error = (ServerLine.Error) ServerLine.parse(lines.getFirst());
        assertThat(error.code()).isEqualTo(ErrorCode.SERVER_FULL);
        assertThat(server.connectionCount()).isEqualTo(2);
    }

    @Test
    void lineWithoutEnd_costsBoundedMemoryAndTheServerGoesOn() throws Exception {
        start(ServerConfig.defaults());
        TestClient flooder = TestClient.register(server.port(), "flooder");
        open.add(flooder);
        TestClient other = TestClient.register(server.port(), "other");
        open.add(other);
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
        start(ServerConfig.defaults());
        for (int i = 0; i < 100; i++) {
            Socket socket = new Socket("127.0.0.1", server.port());
            open.add(socket);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 100);
        long started = System.nanoTime();
        server.close();
        assertThat(server.connectionCount()).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
}
