package dev.chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.testkit.TestServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every scenario at a tiny size against an in-process server on a free loopback port: nothing
 * lost and every report field sane. Speed is measured by the benchmark itself, not here.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScenariosTest {

    private static final int CLIENTS = 20;

    // The generator sends fast on purpose: flood control off.
    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    private Target target;

    @BeforeEach
    void aimAtTheServer() {
        // The server runs in this process, so its CPU and memory are this process's.
        target = new Target(new InetSocketAddress("127.0.0.1", server.port()), ProcStats.self(), Dialect.chat());
    }

    @Test
    void fanout_deliversEveryMessageToEveryClientAndTimesThem() throws Exception {
        Fanout.Settings settings = new Fanout.Settings(CLIENTS, 4, 200, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(10), 3, 2, 10);

        Fanout.Report report = Fanout.run(target, settings);

        assertThat(report.sent()).isEqualTo(200);
        assertThat(report.expected()).isEqualTo(200L * CLIENTS);
        assertThat(report.received()).isEqualTo(report.expected());
        assertThat(report.lost()).isZero();
        assertThat(report.clientsLost()).isZero();
        assertThat(report.deliveriesPerSecond()).isPositive();
        assertThat(report.p50()).isPositive().isLessThanOrEqualTo(report.p90());
        assertThat(report.p90()).isLessThanOrEqualTo(report.p99());
        assertThat(report.p99()).isLessThanOrEqualTo(report.p999());
        assertThat(report.p999()).isLessThanOrEqualTo(Math.ceil(report.max()));
        assertThat(report.serverCpu()).isNotNaN().isNotNegative();
        assertThat(report.generatorCpu()).isNotNaN().isNotNegative();
        assertThat(report.result()).startsWith("RESULT scenario=fanout clients=20 senders=4 rate=200")
                .contains(" lost=0 ");
        // Once every client has left, the server knows nobody.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == 0);
    }

    @Test
    void idle_holdsEveryClientRegisteredOverSeveralSourceAddresses() throws Exception {
        Idle.Settings settings = new Idle.Settings(CLIENTS, Duration.ofSeconds(1), Duration.ofSeconds(20), 4, 1);

        Idle.Report report = Idle.run(target, settings, () -> 1234);

        assertThat(report.established()).isEqualTo(CLIENTS);
        assertThat(report.connectSeconds()).isPositive();
        assertThat(report.rssBeforeKiB()).isPositive();
        assertThat(report.rssLoadedKiB()).isPositive();
        assertThat(report.rssAfterKiB()).isPositive();
        assertThat(report.heapAfterKiB()).isEqualTo(1234);
        assertThat(report.result()).contains("established=20");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.userCount() == 0);
    }

    @Test
    void idle_whileHeld_theServerSeesEveryClientFromItsOwnSourceAddress() throws Exception {
        try (ClientPool pool = new ClientPool(target, 1, false)) {
            pool.connect("b", CLIENTS, 0, 4, Duration.ofSeconds(20));

            assertThat(server.userCount()).isEqualTo(CLIENTS);
            assertThat(pool.clients()).extracting(client -> client.channel().getLocalAddress().toString())
                    .anyMatch(address -> address.startsWith("/127.0.0.1:"))
                    .anyMatch(address -> address.startsWith("/127.0.0.4:"))
                    .noneMatch(address -> address.startsWith("/127.0.0.5:"));
        }
    }

    @Test
    void churn_completesCyclesWithoutFailures() throws Exception {
        Churn.Report report = Churn.run(target, new Churn.Settings(4, Duration.ofSeconds(1), 3));

        assertThat(report.failures()).as("first failure: %s", report.firstFailure()).isZero();
        assertThat(report.cycles()).isPositive();
        assertThat(report.cyclesPerSecond()).isPositive();
        assertThat(report.p50()).isPositive().isLessThanOrEqualTo(report.p99());
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> server.userCount() == 0);
    }
}
