package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.NatsServer;
import dev.chat.testkit.ServerProcess;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a cluster does when a part of it fails: NATS not there at start, a node killed or
 * stopped, a second node of one name, and NATS itself going away and coming back. Nodes that
 * are killed or signalled are real processes; the others run in this JVM.
 */
@Timeout(120)
class ClusterFailureTest {

    @RegisterExtension
    static final NatsServer nats = new NatsServer();

    private static final AtomicInteger NODES = new AtomicInteger();

    @RegisterExtension
    final TestServer a = node();

    @RegisterExtension
    final TestServer b = node();

    @TempDir
    Path directory;

    private final List<ServerProcess> processes = new ArrayList<>();

    private static TestServer node() {
        return TestServer.create().inCluster(nats, "failing" + NODES.incrementAndGet());
    }

    @AfterEach
    void stopProcesses() {
        processes.forEach(ServerProcess::close);
    }

    private ServerProcess startNode(String nodeName) throws IOException {
        ServerProcess process = ServerProcess.start(directory, "--bind", "127.0.0.1", "--port", "0",
                "--cluster", nats.url(), "--node-name", nodeName, "--log-file",
                directory.resolve(nodeName + "-chat.log").toString(), "--diagnostic-log",
                directory.resolve(nodeName + "-diagnostic.log").toString());
        processes.add(process);
        return process;
    }

    @Test
    void withoutNatsTheServerSaysSoInOneLineAndExitsWithItsOwnStatus() throws Exception {
        int closed;
        try (ServerSocket probe = new ServerSocket(0)) {
            closed = probe.getLocalPort();
        }
        ServerProcess server = ServerProcess.start(directory, "--bind", "127.0.0.1", "--port", "0",
                "--cluster", "nats://127.0.0.1:" + closed);
        processes.add(server);
        assertThat(server.awaitExit(Duration.ofSeconds(30))).isEqualTo(ServerMain.EXIT_CLUSTER_UNREACHABLE);
        assertThat(server.stderr()).hasSize(1).first().asString()
                .startsWith("chat-server: cannot join the cluster: no NATS server answers at nats://127.0.0.1:" + closed);
    }

    @Test
    void aNodeOfANameAlreadyRunningExitsWithItsOwnStatus() throws Exception {
        a.start();
        ServerProcess twin = startNode(a.server().nodeName());
        assertThat(twin.awaitExit(Duration.ofSeconds(30))).isEqualTo(ServerMain.EXIT_NODE_NAME_TAKEN);
        assertThat(twin.stderr()).hasSize(1).first().asString().contains("is running in the cluster");
    }

    @Test
    void theUsersOfAKilledNodeAreAnnouncedGoneAndTakeTheirNamesOnAnother() throws Exception {
        WireClient alice = a.register("alice");
        ServerProcess doomed = startNode("doomed" + NODES.incrementAndGet());
        int port = doomed.awaitPort(Duration.ofSeconds(30));
        WireClient bob = a.closeAfter(WireClient.register(port, "bob"));
        assertThat(alice.await(ServerLine.Joined.class).name()).isEqualTo("bob");

        long killedAt = System.nanoTime();
        doomed.signal("KILL");
        ServerLine.Left left = alice.await(ServerLine.Left.class);
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(15));
        assertThat(left.name()).isEqualTo("bob");
        assertThat(left.reason()).isEqualTo("connection lost");
        bob.close();
        b.register("bob");
        assertThat(alice.await(ServerLine.Joined.class).name()).isEqualTo("bob");
    }

    @Test
    void aNodeStoppedWithSigtermTellsItsUsersAndFreesTheirNamesAtOnce() throws Exception {
        WireClient alice = a.register("alice");
        String nodeName = "stopping" + NODES.incrementAndGet();
        ServerProcess stopping = startNode(nodeName);
        int port = stopping.awaitPort(Duration.ofSeconds(30));
        WireClient carol = a.closeAfter(WireClient.register(port, "carol"));
        alice.await(ServerLine.Joined.class);

        stopping.signal("TERM");
        assertThat(carol.await(ServerLine.ShuttingDown.class)).isNotNull();
        ServerLine.Left left = alice.await(ServerLine.Left.class);
        assertThat(left.name()).isEqualTo("carol");
        assertThat(left.reason()).isEqualTo("server shutdown");
        assertThat(stopping.awaitExit(Duration.ofSeconds(30))).isZero();
        b.registerWhenFree("carol");
        assertThat(Files.readAllLines(directory.resolve(nodeName + "-chat.log")))
                .anyMatch(line -> line.endsWith("[" + nodeName + "] *** carol left (server shutdown)"));
    }

    @Test
    void whileNatsIsAwayEachNodeKeepsItsUsersTalkingAndSaysSoThenJoinsUpAgain() throws Exception {
        WireClient alice = a.register("alice");
        WireClient carol = a.register("carol");
        WireClient bob = b.register("bob");
        alice.await(ServerLine.Joined.class);
        alice.await(ServerLine.Joined.class);

        nats.stop();
        assertThat(alice.await(ServerLine.Info.class).text()).contains("reach only the users of this server");
        carol.await(ServerLine.Info.class);
        bob.await(ServerLine.Info.class);
        alice.send("only node a hears this");
        assertThat(carol.await(ServerLine.Chat.class).text()).isEqualTo("only node a hears this");

        nats.start();
        for (WireClient user : List.of(alice, bob)) {
            user.await(line -> line instanceof ServerLine.Info info && info.text().contains("whole again"));
        }
        alice.send("all of us hear this");
        assertThat(bob.await(ServerLine.Chat.class).text()).isEqualTo("all of us hear this");
        bob.send("/who");
        assertThat(bob.await(ServerLine.Online.class).names()).containsExactly("alice", "bob", "carol");
    }
}
