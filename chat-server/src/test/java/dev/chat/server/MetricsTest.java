package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.ServerProcess;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The metrics endpoint, scraped over HTTP as Prometheus would: each figure moves when its event happens. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MetricsTest {

    private static final Duration SETTLE = Duration.ofMillis(50);

    @RegisterExtension
    final TestServer server = TestServer.create()
            .configure(config -> config.floodRate(0).metrics(new ServerConfig.Metrics("127.0.0.1", 0)));

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void closeHttpClient() {
        http.close();
    }

    @Test
    void endpoint_isOffByDefault() throws IOException {
        try (ChatServer plain = ChatServer.start(ServerConfig.defaults().toBuilder().bind("127.0.0.1").port(0)
                .bansFile(server.directory().resolve("bans.tsv")).build())) {
            assertThat(plain.metricsPort()).isEqualTo(-1);
        }
        assertThat(options().metrics()).isNull();
    }

    @Test
    void metricsPortInUse_stopsTheStartSayingItIsTheMetricsPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ServerConfig config = ServerConfig.defaults().toBuilder().bind("127.0.0.1").port(0)
                    .bansFile(server.directory().resolve("bans.tsv"))
                    .metrics(new ServerConfig.Metrics("127.0.0.1", taken.getLocalPort())).build();
            assertThatThrownBy(() -> ChatServer.start(config).close())
                    .isInstanceOf(IOException.class).isNotInstanceOf(BindException.class)
                    .hasMessageStartingWith("cannot serve metrics on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
    }

    @Test
    void options_turnTheEndpointOnOnLoopbackUnlessToldAnotherAddress() {
        assertThat(options("--metrics-port", "9464").metrics()).isEqualTo(new ServerConfig.Metrics("127.0.0.1", 9464));
        assertThat(options("--metrics-port", "0", "--metrics-bind", "0.0.0.0").metrics())
                .isEqualTo(new ServerConfig.Metrics("0.0.0.0", 0));
    }

    @Test
    void scrape_isPrometheusTextWithEveryMetricDescribed() throws Exception {
        HttpResponse<String> response = get(server.server().metricsPort());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain"));
        assertThat(response.body()).contains(
                "# TYPE chat_connections_open gauge", "# TYPE chat_connections_accepted_total counter",
                "# TYPE chat_connections_refused_total counter", "# TYPE chat_users gauge",
                "# TYPE chat_sign_ons_total counter", "# TYPE chat_messages_total counter",
                "# TYPE chat_deliveries_total counter", "# TYPE chat_received_bytes_total counter",
                "# TYPE chat_sent_bytes_total counter", "# TYPE chat_clients_dropped_total counter",
                "# TYPE chat_flood_delayed_lines_total counter", "# TYPE chat_send_queue_bytes gauge",
                "# TYPE chat_send_queue_max_bytes gauge", "# TYPE chat_rooms gauge");
        assertThat(response.body().lines().filter(line -> line.startsWith("# TYPE chat_")).count())
                .isEqualTo(response.body().lines().filter(line -> line.startsWith("# HELP chat_")).count());
    }

    @Test
    void connectionsAndSignOns_areCountedAsTheyComeAndGo() throws Exception {
        expect("chat_connections_open", 0);
        WireClient alice = server.register("alice");
        WireClient unnamed = server.connect();
        unnamed.await(ServerLine.NamePrompt.class);
        expect("chat_connections_accepted_total", 2);
        expect("chat_connections_open", 2);
        expect("chat_users", 1);
        expect("chat_sign_ons_total", 1);

        alice.send("/quit");
        alice.readToEnd();
        expect("chat_connections_open", 1);
        expect("chat_users", 0);
        // Counters count what happened; they do not go down.
        expect("chat_sign_ons_total", 1);
        expect("chat_connections_accepted_total", 2);
    }

    @Test
    void refusedConnection_isCountedByItsReason() throws Exception {
        server.configure(config -> config.maxClients(1));
        server.register("alice");
        List<String> refused = server.connect().readToEnd();
        assertThat(((ServerLine.Error) ServerLine.parse(refused.getLast())).code()).isEqualTo(ErrorCode.SERVER_FULL);
        expect("chat_connections_refused_total{reason=\"server-full\"}", 1);
        expect("chat_connections_refused_total{reason=\"banned\"}", 0);
        expect("chat_connections_accepted_total", 1);
    }

    @Test
    void roomLine_isOneMessageAndOneDeliveryPerMember() throws Exception {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        WireClient carol = server.register("carol");
        WireClient dave = server.register("dave");
        double deliveries = settled("chat_deliveries_total");

        alice.send("hello, all four of us");
        for (WireClient member : List.of(alice, bob, carol, dave)) {
            member.await(ServerLine.Chat.class);
        }
        expect("chat_messages_total{kind=\"room\"}", 1);
        expect("chat_deliveries_total", deliveries + 4);

        alice.send("/me waves");
        for (WireClient member : List.of(alice, bob, carol, dave)) {
            member.await(ServerLine.Action.class);
        }
        expect("chat_messages_total{kind=\"room\"}", 2);
        expect("chat_deliveries_total", deliveries + 8);
        expect("chat_messages_total{kind=\"private\"}", 0);
    }

    @Test
    void privateMessage_isOneMessageDeliveredToItsTargetAndConfirmedToItsSender() throws Exception {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        double deliveries = settled("chat_deliveries_total");

        alice.send("/msg bob psst");
        bob.await(ServerLine.PrivateMessage.class);
        alice.await(ServerLine.PrivateSent.class);
        expect("chat_messages_total{kind=\"private\"}", 1);
        expect("chat_messages_total{kind=\"room\"}", 0);
        expect("chat_deliveries_total", deliveries + 2);
    }

    @Test
    void bytes_areCountedAsTheyCrossTheWire() throws Exception {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        double received = settled("chat_received_bytes_total");
        double sent = settled("chat_sent_bytes_total");

        String line = "twenty-six bytes of text\n";
        alice.sendRaw(line.getBytes(StandardCharsets.UTF_8));
        int chatBytes = bob.await(ServerLine.Chat.class).toWire().length;
        alice.await(ServerLine.Chat.class);
        expect("chat_received_bytes_total", received + line.length());
        expect("chat_sent_bytes_total", sent + 2 * chatBytes);
    }

    @Test
    void clientThatStopsReading_fillsTheQueueGaugesAndIsCountedAsASlowConsumerDropped() throws Exception {
        server.configure(config -> config.sendQueueBytes(256 * 1024));
        server.connect(4096).register("stalled");
        WireClient sender = server.register("sender");
        expect("chat_send_queue_bytes", 0);

        String text = "x".repeat(1000);
        boolean queued = false;
        for (int i = 0; i < 20_000 && server.userCount() == 2; i++) {
            sender.send(i + " " + text);
            sender.await(ServerLine.Chat.class);
            if (!queued && i % 50 == 0) {
                Map<String, Double> metrics = scrape();
                double longest = metrics.get("chat_send_queue_max_bytes");
                if (longest > 0) {
                    queued = true;
                    assertThat(longest).isLessThanOrEqualTo(256 * 1024);
                    assertThat(metrics.get("chat_send_queue_bytes")).isPositive();
                }
            }
        }
        assertThat(queued).as("the stalled client's queue was seen in the gauge").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.userCount() == 1);
        expect("chat_clients_dropped_total{reason=\"slow_consumer\"}", 1);
        expect("chat_clients_dropped_total{reason=\"flooding\"}", 0);
        expect("chat_send_queue_bytes", 0);
    }

    @Test
    void flooder_isCountedWhenSlowedDownAndWhenDropped() throws Exception {
        server.configure(config -> config.floodBurst(1).floodRate(1).floodBacklogBytes(16 * 1024));
        WireClient flooder = server.register("flooder");
        WireClient other = server.register("other");
        expect("chat_flood_delayed_lines_total", 0);

        flooder.send("one");
        flooder.send("two, a second later");
        other.await(chat -> chat instanceof ServerLine.Chat said && said.text().startsWith("two"));
        assertThat(settled("chat_flood_delayed_lines_total")).isGreaterThanOrEqualTo(1);
        expect("chat_clients_dropped_total{reason=\"flooding\"}", 0);

        byte[] burst = ("z".repeat(1000) + "\n").repeat(200).getBytes(StandardCharsets.UTF_8);
        Thread writer = Thread.ofVirtual().name("flooder-writer").start(() -> {
            try {
                flooder.sendRaw(burst);
            } catch (IOException e) {
                // Disconnected mid-burst: what the test is after.
            }
        });
        assertThat(other.await(ServerLine.Left.class).reason()).isEqualTo("dropped: flooding");
        assertThat(writer.join(Duration.ofSeconds(10))).isTrue();
        expect("chat_clients_dropped_total{reason=\"flooding\"}", 1);
        expect("chat_clients_dropped_total{reason=\"slow_consumer\"}", 0);
    }

    @Test
    void rooms_areCountedAsTheyAreMadeAndRemoved() throws Exception {
        WireClient alice = server.register("alice");
        expect("chat_rooms", 1);
        alice.join("#dev");
        expect("chat_rooms", 2);
        alice.send("/part #dev");
        expect("chat_rooms", 1);
    }

    @Test
    void reload_keepsTheEndpointWhereItIsUntilARestart() throws Exception {
        ChatServer running = server.server();
        int port = running.metricsPort();
        running.reload(ServerConfig.defaults().toBuilder().bansFile(server.directory().resolve("bans.tsv")).build());
        assertThat(running.metricsPort()).isEqualTo(port);
        assertThat(get(port).statusCode()).isEqualTo(200);
        assertThat(running.config().metrics()).isEqualTo(new ServerConfig.Metrics("127.0.0.1", 0));
    }

    @Test
    void endpoint_stopsWithTheServer() throws Exception {
        int port = server.server().metricsPort();
        assertThat(port).isPositive();
        assertThat(get(port).statusCode()).isEqualTo(200);
        server.stop();
        assertThatThrownBy(() -> get(port)).isInstanceOf(ConnectException.class);
    }

    @Test
    void configurationFile_turnsItOnInAServerProcess_whichPrintsItsLineAndStopsItOnSigterm(@TempDir Path directory)
            throws Exception {
        Path config = Files.writeString(directory.resolve("chat-server.properties"),
                "metrics-port=0\nmetrics-bind=127.0.0.1\n");
        try (ServerProcess process = ServerProcess.start(directory, "--bind", "127.0.0.1", "--port", "0",
                "--config", config.toString())) {
            int chatPort = process.awaitPort(Duration.ofSeconds(20));
            int port = process.awaitMetricsPort(Duration.ofSeconds(5));
            try (WireClient alice = WireClient.register(chatPort, "alice")) {
                alice.send("hello");
                alice.await(ServerLine.Chat.class);
                assertThat(get(port).body()).contains("chat_users 1", "chat_sign_ons_total 1",
                        "chat_messages_total{kind=\"room\"} 1");
                process.assumeHandles("TERM");
                process.signal("TERM");
                assertThat(process.awaitExit(Duration.ofSeconds(10))).isZero();
            }
            assertThatThrownBy(() -> get(port)).isInstanceOf(ConnectException.class);
        }
    }

    /** What the options on a command line make of the metrics settings, as {@code ServerMain} reads them. */
    private static ServerConfig options(String... args) {
        ServerMain main = new ServerMain(args);
        new CommandLine(main).parseArgs(args);
        return main.toConfig();
    }

    private HttpResponse<String> get(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Every sample of a scrape, by its name and labels as written: {@code chat_messages_total{kind="room"}}. */
    private Map<String, Double> scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = get(server.server().metricsPort());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        response.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#")).forEach(line -> {
            int space = line.lastIndexOf(' ');
            samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        });
        return samples;
    }

    /**
     * Waits until {@code sample} is {@code value}, and stays so a moment: a count is added just
     * after its line is queued, so a client may read the line a moment before the count moves.
     */
    private void expect(String sample, double value) {
        await().pollInterval(SETTLE).during(SETTLE.multipliedBy(2)).atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(scrape()).containsEntry(sample, value));
    }

    /**
     * The value of {@code sample} once two scrapes in a row agree: a count is added just after its
     * line is queued, so a client may read the line a moment before the count moves.
     */
    private double settled(String sample) throws IOException, InterruptedException {
        Double[] last = {null};
        await().pollInterval(SETTLE).atMost(Duration.ofSeconds(10)).until(() -> {
            Double now = scrape().get(sample);
            assertThat(now).as("the sample %s in the scrape", sample).isNotNull();
            boolean same = now.equals(last[0]);
            last[0] = now;
            return same;
        });
        return last[0];
    }
}
