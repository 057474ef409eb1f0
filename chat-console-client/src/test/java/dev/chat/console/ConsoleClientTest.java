package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The interactive client over a JLine dumb terminal, against a real server on a free port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleClientTest {

    private static final String ESC = "\u001b[";

    @RegisterExtension
    final TestServer server = TestServer.create();
    @RegisterExtension
    final ConsoleClients clients = new ConsoleClients();

    private ClientRun client(String... args) {
        return client(server.port(), args);
    }

    /** A client of a server on {@code port}, which need not be running. */
    private ClientRun client(int port, String... args) {
        return clients.interactive(withPort(port, args));
    }

    /** A client on a terminal with key bindings (JLine gives a "dumb" terminal no Tab or history keys). */
    private ClientRun clientWithKeys(String... args) {
        return clients.interactive("xterm-256color", Map.of(), withPort(server.port(), args));
    }

    private static String[] withPort(int port, String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(port)));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    @Test
    void typedLinesAreSentAndIncomingLinesShown() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");
        bob.awaitBody("*** alice joined");

        alice.type("hello bob\n");
        ServerLine said = bob.await(line -> line instanceof ServerLine.Chat);
        assertThat(said).isInstanceOfSatisfying(ServerLine.Chat.class, chat -> {
            assertThat(chat.from()).isEqualTo("alice");
            assertThat(chat.text()).isEqualTo("hello bob");
        });
    }

    @Test
    void incomingChatAndPrivateMessagesAreShown() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");
        bob.awaitBody("*** alice joined");

        bob.send("hi everyone");
        bob.send("/msg alice just you");
        alice.awaitScreen("bob: hi everyone");
        alice.awaitScreen("[PM] bob: just you");
    }

    @Test
    void exclamationMarksAndQuotesAreSentAsTyped() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");

        alice.type("it's done !! really \\o/ !-1\n");
        bob.awaitBody("alice: it's done !! really \\o/ !-1");
    }

    @Test
    void tabCompletesCommandsAndOnlineNames() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun alice = clientWithKeys("--name", "alice", "--no-color");
        alice.awaitScreen("Welcome, alice!");

        alice.type("/ms\tbo\tsecret\n");
        bob.awaitBody("[PM] alice: secret");

        // Carol comes after alice: her name is known from the join line.
        server.register("carol");
        alice.awaitScreen("carol joined");
        alice.type("/msg ca\tpsst\n");
        alice.awaitScreen("[PM to carol] psst");
    }

    @Test
    void aTakenNameIsExplainedAndAskedForAgain() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun alice = client();
        alice.awaitScreen("Your name: ");

        alice.type("BOB\n");
        alice.awaitScreen("!!! name-taken:");
        alice.type("bad name!\n");
        alice.awaitScreen("!!! name-invalid:");
        alice.type("alice\n");
        alice.awaitScreen("Welcome, alice!");
        bob.awaitBody("*** alice joined");
        assertThat(alice.exited()).isFalse();
    }

    @Test
    void quitCommandSaysGoodbyeAndExitsZero() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");

        alice.type("/quit\n");
        assertThat(alice.awaitExit()).isZero();
        assertThat(alice.screen.text()).contains("*** Goodbye!");
        bob.await(line -> line instanceof ServerLine.Left left && left.name().equals("alice"));
    }

    @Test
    void ctrlDLeavesPolitelyAndExitsZero() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");

        alice.type("\u0004");
        assertThat(alice.awaitExit()).isZero();
        ServerLine left = bob.await(line -> line instanceof ServerLine.Left);
        assertThat(((ServerLine.Left) left).reason()).isEqualTo("quit");
    }

    @Test
    void ctrlCLeavesPolitelyAndExitsZero() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");

        alice.type("half a line\u0003");
        assertThat(alice.awaitExit()).isZero();
        ServerLine left = bob.await(line -> line instanceof ServerLine.Left);
        assertThat(((ServerLine.Left) left).reason()).isEqualTo("quit");
        assertThat(alice.errors.text()).isEmpty();
    }

    @Test
    void serverShutdownIsOneLineAndExitsOne() throws Exception {
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");
        int port = server.port();

        server.stop();
        assertThat(alice.awaitExit()).isEqualTo(1);
        assertThat(alice.screen.text()).contains("*** Server is shutting down.")
                .contains("-!- Disconnected from 127.0.0.1:" + port + ".")
                .doesNotContain("Exception");
    }

    @Test
    void refusedConnectionIsOneLineAndExitsTwo() throws Exception {
        int port = server.port();
        server.stop();
        ClientRun alice = client(port, "--name", "alice");

        assertThat(alice.awaitExit()).isEqualTo(2);
        assertThat(alice.errors.text()).isEqualTo(
                "Cannot connect to 127.0.0.1:" + port + ": connection refused (is the server running?)"
                        + System.lineSeparator());
        assertThat(alice.screen.text()).doesNotContain("Exception");
    }

    @Test
    void verboseShowsTheDetailsOfAFailure() throws Exception {
        int port = server.port();
        server.stop();
        ClientRun alice = client(port, "--name", "alice", "-v");

        assertThat(alice.awaitExit()).isEqualTo(2);
        assertThat(alice.screen.text()).contains("debug:").contains("java.net.ConnectException");
    }

    @Test
    void badOptionIsOneLineAndExitsTwo() throws Exception {
        ClientRun alice = client("--frobnicate");

        assertThat(alice.awaitExit()).isEqualTo(2);
        assertThat(alice.errors.text().lines()).singleElement().asString().contains("--frobnicate");
    }

    @Test
    void reconnectsAfterTheServerRestartsAndRegistersTheSameName() throws Exception {
        ClientRun alice = client("--name", "alice", "--reconnect");
        alice.awaitScreen("Welcome, alice!");
        int port = server.port();

        server.stop();
        alice.awaitScreen("-!- Disconnected from 127.0.0.1:" + port + "; reconnecting.");
        server.start();

        alice.awaitScreen("-!- Back online as alice.");
        WireClient bob = server.register("bob");
        alice.type("back again\n");
        bob.awaitBody("alice: back again");
        assertThat(alice.exited()).isFalse();

        alice.type("/quit\n");
        assertThat(alice.awaitExit()).isZero();
    }

    @Test
    void historyIsKeptAcrossRuns() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun first = client("--name", "alice");
        first.awaitScreen("Welcome, alice!");
        first.type("remember me!\n");
        bob.awaitBody("alice: remember me!");
        first.type("/quit\n");
        assertThat(first.awaitExit()).isZero();
        assertThat(Files.readString(clients.home().resolve(".chat/console-history"))).contains("remember me!");

        ClientRun second = clientWithKeys("--name", "alice", "--no-color");
        second.awaitScreen("Welcome, alice!");
        // Ctrl+P is previous-history: twice goes back past "/quit" to the line from the first run.
        second.type("\u0010\u0010\n");
        bob.awaitBody("alice: remember me!");
    }

    @Test
    void linesWithAPasswordStayOutOfTheHistory() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun first = client("--name", "alice");
        first.awaitScreen("Welcome, alice!");
        first.type("/oper admin hunter2\n");
        first.awaitScreen("operator login failed");
        first.type("/pass hunter2\n");
        first.type("kept\n");
        bob.awaitBody("alice: kept");
        first.type("/quit\n");
        assertThat(first.awaitExit()).isZero();
        String history = Files.readString(clients.home().resolve(".chat/console-history"));
        assertThat(history).contains("kept").doesNotContain("hunter2");
    }

    @Test
    void coloursOnlyWhenTheTerminalHasThemAndNobodySaidNo() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun coloured = clients.interactive("dumb-color", Map.of(), withPort(server.port(), "--name", "alice"));
        ClientRun noColorOption = clients.interactive("dumb-color", Map.of(),
                withPort(server.port(), "--name", "carol", "--no-color"));
        ClientRun noColorVariable = clients.interactive("dumb-color", Map.of("NO_COLOR", "1"),
                withPort(server.port(), "--name", "dave"));
        for (ClientRun run : List.of(coloured, noColorOption, noColorVariable)) {
            run.awaitScreen("Welcome, ");
        }

        bob.send("colourful");
        await().atMost(ClientRun.WAIT).until(() -> List.of(coloured, noColorOption, noColorVariable).stream()
                .allMatch(run -> run.screen.text().contains("colourful")));
        assertThat(lineWith(coloured, "colourful")).contains(ESC);
        assertThat(lineWith(noColorOption, "colourful")).doesNotContain(ESC);
        assertThat(lineWith(noColorVariable, "colourful")).doesNotContain(ESC);
    }

    private static String lineWith(ClientRun run, String text) {
        return run.screen.text().lines().filter(line -> line.contains(text)).findFirst().orElseThrow();
    }
}
