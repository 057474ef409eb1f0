package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.ServerProcess;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --host a,b}: the console client signs on to the first server that answers and moves on when it goes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleFailoverTest {

    @RegisterExtension
    final TestServer first = TestServer.create();
    @RegisterExtension
    final TestServer second = TestServer.create();
    @RegisterExtension
    final ConsoleClients clients = new ConsoleClients();

    @TempDir
    Path directory;

    private static String at(int port) {
        return "127.0.0.1:" + port;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    @Test
    void aClosedServer_isLeftForTheNext_withTheSameNameAndTheRoomsRejoined() throws Exception {
        String one = at(first.port());
        String two = at(second.port());
        ClientRun alice = clients.interactive("--host", one + "," + two, "--name", "alice", "--no-color");
        alice.awaitScreen("Welcome, alice!");
        alice.type("/join #ops\n");
        alice.awaitScreen("alice #ops> ");
        alice.type("/join #dev\n");
        alice.awaitScreen("alice #dev> ");

        first.stop();

        alice.awaitScreen("-!- Disconnected from " + one + "; trying " + two + ".");
        alice.awaitScreen("-!- Back online as alice on " + two + ".");
        WireClient bob = second.register("bob");
        bob.send("/who #ops");
        assertThat(bob.awaitIn("#ops", ServerLine.Online.class).names()).containsExactly("alice");
        bob.join("#dev");
        alice.type("still here\n");
        assertThat(bob.awaitIn("#dev", ServerLine.Chat.class).text()).isEqualTo("still here");
        assertThat(alice.exited()).isFalse();

        alice.type("/quit\n");
        assertThat(alice.awaitExit()).isZero();
    }

    @Test
    void aServerProcessKilledWithSigkill_isLeftForTheNext_withTheSameName() throws Exception {
        try (ServerProcess killed = ServerProcess.start(directory, "--bind", "127.0.0.1", "--port", "0")) {
            String one = at(killed.awaitPort(Duration.ofSeconds(20)));
            String two = at(second.port());
            ClientRun alice = clients.interactive("--host", one + "," + two, "--name", "alice", "--no-color");
            alice.awaitScreen("Welcome, alice!");

            killed.signal("KILL");

            assertThat(killed.awaitExit(Duration.ofSeconds(10))).as("killed, not shut down").isEqualTo(128 + 9);
            alice.awaitScreen("-!- Disconnected from " + one + "; trying " + two + ".");
            alice.awaitScreen("-!- Back online as alice on " + two + ".");
            WireClient bob = second.register("bob");
            alice.type("after the kill\n");
            bob.awaitBody("alice: after the kill");
        }
    }

    @Test
    void aScript_passesAServerThatIsDown_andSaysSo() throws Exception {
        String down = at(closedPort());
        String two = at(second.port());
        WireClient bob = second.register("bob");

        ClientRun bot = clients.script("--host", down + "," + two, "--name", "bot");
        bot.type("made it\n");

        bob.awaitBody("bot: made it");
        await().atMost(ClientRun.WAIT).until(() -> bot.errors.text().contains("Cannot connect to " + down
                + ": connection refused (is the server running?); trying " + two + "."));
        bot.keyboard.close();
        assertThat(bot.awaitExit()).isZero();
    }

    @Test
    void aBareHost_takesThePortOption() throws Exception {
        WireClient bob = second.register("bob");

        ClientRun bot = clients.script("--host", at(closedPort()) + ",127.0.0.1", "--port",
                String.valueOf(second.port()), "--name", "bot");
        bot.type("on the default port\n");

        bob.awaitBody("bot: on the default port");
        bot.keyboard.close();
        assertThat(bot.awaitExit()).isZero();
    }

    @Test
    void aBadListOfServers_isRefusedInOneLine() throws Exception {
        ClientRun bot = clients.script("--host", "127.0.0.1,,127.0.0.2", "--name", "bot");

        assertThat(bot.awaitExit()).isEqualTo(2);
        assertThat(bot.errors.text().lines()).singleElement().asString()
                .isEqualTo("--host: an empty server in the list (servers are separated by commas) (see --help)");
    }
}
