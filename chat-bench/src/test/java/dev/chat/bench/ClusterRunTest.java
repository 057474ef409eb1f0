package dev.chat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chat.testkit.NatsServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * The benchmark against a cluster it starts itself: a nats-server and two chat servers in
 * cluster mode, the clients spread over both, nothing lost, each node reported, and every
 * process stopped afterwards. Skipped where nats-server is not installed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterRunTest {

    private static final int CLIENTS = 20;

    @Test
    void fanout_onTwoNodes_deliversEveryMessageToEveryClientAndReportsEachNode() throws Exception {
        assumeTrue(NatsServer.program() != null, "nats-server is not installed (Debian: apt-get install nats-server)");
        Fanout.Report report;
        List<Long> pids;
        try (LocalServers servers = LocalServers.start(2, false, List.of(), List.of(), CLIENTS + 10)) {
            Target target = servers.target(Dialect.chat());
            pids = Stream.concat(target.nodes().stream().map(Target.Node::pid), Stream.of(target.natsPid())).toList();
            assertThat(target.nodes()).extracting(node -> node.address().getPort()).doesNotHaveDuplicates();

            report = Fanout.run(target, new Fanout.Settings(CLIENTS, 2, 100, Duration.ofSeconds(1),
                    Duration.ofSeconds(2), Duration.ofSeconds(10), 3, 1, 0));
        }

        assertThat(report.sent()).isEqualTo(200);
        assertThat(report.received()).isEqualTo(report.expected()).isEqualTo(200L * CLIENTS);
        assertThat(report.clientsLost()).isZero();
        assertThat(report.nodes()).extracting(NodeLoad::name).containsExactly("bench-1", "bench-2");
        // Round robin: half the clients on each node, and each node delivered to its own half.
        assertThat(report.nodes()).allSatisfy(node -> {
            assertThat(node.clients()).isEqualTo(CLIENTS / 2);
            assertThat(node.deliveries()).isEqualTo(200L * CLIENTS / 2);
            assertThat(node.cpuSeconds()).isNotNaN().isPositive();
        });
        assertThat(report.serverCpu()).isEqualTo(report.nodes().get(0).cpuSeconds() + report.nodes().get(1).cpuSeconds());
        assertThat(report.natsCpu()).isNotNaN().isNotNegative();
        assertThat(report.text()).contains("node bench-1", "node bench-2", "NATS server CPU");
        assertThat(report.result()).contains(" lost=0 ", " nodes=2 ", " node1=bench-1 ", " node2=bench-2 ",
                " node1_deliveries=2000 ", " node2_deliveries=2000 ", " nats_cpu_s=");
        // Everything the run started is gone once it is closed.
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> pids.stream()
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    @Test
    void runningServers_needOnePidAPort() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = BenchMain.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int status = commandLine.execute("fanout", "--port", "5555,5565", "--pid", "1234");

        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).isEqualTo(
                "chat-bench: --pid names 1 processes for 2 ports; give one PID a port, in the same order"
                        + System.lineSeparator());
    }

    @Test
    void nodes_areStartedOnlyForARunThatStartsItsServers() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = BenchMain.commandLine();
        commandLine.setErr(new PrintWriter(err, true));

        int status = commandLine.execute("idle", "--port", "5555", "--nodes", "2");

        assertThat(status).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).startsWith("chat-bench: --nodes and --cluster start servers;")
                .doesNotContain("Exception");
    }
}
