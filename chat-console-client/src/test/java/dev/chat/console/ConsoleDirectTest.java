package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two console clients with keys connect directly through a real server on loopback: /direct
 * asked and answered, private lines marked [direct], a file sent with /send saved in the
 * downloads folder under a free name, /decline and /hangup.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsoleDirectTest {

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));
    @RegisterExtension
    final ConsoleClients clients = new ConsoleClients();

    /** A person at a terminal with a home of their own, signed on as {@code name} with a key published. */
    private ClientRun signedOn(String name, String... more) throws Exception {
        Path folder = Files.createDirectories(clients.home().resolve(name));
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(server.port()),
                "--no-color", "--name", name));
        all.addAll(List.of(more));
        ClientRun run = clients.closedAfterTheTest(ClientRun.interactive(folder, all.toArray(String[]::new)));
        run.awaitScreen("Published key ");
        return run;
    }

    private static void connect(ClientRun alice, ClientRun bob) {
        alice.type("/direct bob\n");
        bob.awaitScreen("alice offers a direct connection");
        bob.type("/direct alice\n");
        alice.awaitScreen("Direct connection with bob open (127.0.0.1:");
        bob.awaitScreen("Direct connection with alice open (127.0.0.1:");
    }

    @Test
    void aDirectConnection_carriesPrivateLinesAndFiles_savedWithoutOverwriting() throws Exception {
        ClientRun alice = signedOn("alice");
        ClientRun bob = signedOn("bob");
        connect(alice, bob);

        alice.type("/msg bob past the server\n");
        bob.awaitScreen("[direct] [PM] alice: past the server");
        alice.awaitScreen("[direct] [PM to bob] past the server");

        byte[] content = new byte[2 * 1024 * 1024 + 3];
        new Random(3).nextBytes(content);
        Path file = Files.write(clients.home().resolve("alice").resolve("notes 2026.bin"), content);
        Path downloads = clients.home().resolve("bob/.chat/downloads");
        alice.type("/send bob " + file + "\n");
        bob.awaitScreen("notes 2026.bin from alice saved as " + downloads.resolve("notes 2026.bin"));
        alice.awaitScreen("notes 2026.bin reached bob whole.");
        assertThat(Files.readAllBytes(downloads.resolve("notes 2026.bin"))).isEqualTo(content);

        alice.type("/send bob " + file + "\n");
        bob.awaitScreen("saved as " + downloads.resolve("notes 2026 (1).bin"));
        assertThat(Files.readAllBytes(downloads.resolve("notes 2026 (1).bin"))).isEqualTo(content);
        assertThat(Files.readAllBytes(downloads.resolve("notes 2026.bin"))).isEqualTo(content);

        alice.type("/hangup bob\n");
        alice.awaitScreen("Direct connection with bob closed.");
        bob.awaitScreen("Direct connection with alice ended: alice closed the direct connection.");
        alice.type("/msg bob through the server again\n");
        bob.awaitScreen("[sealed] [PM] alice: through the server again");
    }

    @Test
    void aDeclinedOffer_andAFileWithoutAConnection_areExplained() throws Exception {
        ClientRun alice = signedOn("alice");
        ClientRun bob = signedOn("bob", "--downloads", clients.home().resolve("elsewhere").toString());

        alice.type("/send bob nothing.txt\n");
        alice.awaitScreen("Not sent: no direct connection with bob is open; /direct bob asks for one.");
        alice.type("/direct bob\n");
        bob.awaitScreen("/decline alice declines it.");
        bob.type("/decline alice\n");

        alice.awaitScreen("No direct connection with bob: bob declined the direct connection; /msg bob still reaches "
                + "them through the server, end-to-end encrypted.");
        bob.type("/decline alice\n");
        bob.awaitScreen("alice offered you no direct connection.");
        alice.type("/send bob\n");
        alice.awaitScreen("Usage: /send NAME FILE");
    }
}
