package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rooms in the interactive client: the prompt, room names on lines, history, completion; against a real server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleRoomsTest {

    @RegisterExtension
    final TestServer server = TestServer.create();
    @RegisterExtension
    final ConsoleClients clients = new ConsoleClients();

    /** A client on a terminal with key bindings, so that Tab completes. */
    private ClientRun client(String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(server.port()),
                "--no-color"));
        all.addAll(List.of(args));
        return clients.interactive("xterm-256color", Map.of(), all.toArray(String[]::new));
    }

    /** Waits until the input line, the screen's last line, is the prompt {@code prompt} with nothing typed. */
    private static void awaitPrompt(ClientRun run, String prompt) {
        await().atMost(ClientRun.WAIT).untilAsserted(() -> assertThat(inputLine(run)).isEqualTo(prompt));
    }

    /** What the last line of the screen shows now, after any carriage returns and escape sequences. */
    private static String inputLine(ClientRun run) {
        String text = run.screen.text().replaceAll("\u001b(\\[[0-9;?]*[A-Za-z]|[=>])", "");
        return text.substring(Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r')) + 1);
    }

    private static <T extends ServerLine> T awaitIn(WireClient user, String room, Class<T> type) throws IOException {
        ServerLine line = user.await(l -> l instanceof ServerLine.InRoom(String r, ServerLine inner) && r.equals(room)
                && type.isInstance(inner));
        return type.cast(((ServerLine.InRoom) line).line());
    }

    @Test
    void promptShowsTheCurrentRoomAfterJoinSwitchAndPart() throws Exception {
        ClientRun alice = client("--name", "alice");
        awaitPrompt(alice, "alice #lobby> ");

        alice.type("/join #dev\n");
        awaitPrompt(alice, "alice #dev> ");
        alice.type("/join #lobby\n");
        alice.awaitScreen("You are talking in #lobby now.");
        awaitPrompt(alice, "alice #lobby> ");
        alice.type("/join #dev\n");
        awaitPrompt(alice, "alice #dev> ");
        alice.type("/part\n");
        alice.awaitScreen("#dev *** alice left (part)");
        awaitPrompt(alice, "alice #lobby> ");
        alice.type("/part\n");
        awaitPrompt(alice, "alice> ");
    }

    @Test
    void linesOfOtherRoomsShowTheirRoom() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");
        alice.type("/join #dev\n");
        awaitPrompt(alice, "alice #dev> ");

        bob.send("in the lobby");
        alice.awaitScreen("#lobby bob: in the lobby");
        bob.send("/join #dev");
        awaitIn(bob, "#dev", ServerLine.Online.class);
        bob.send("in dev");
        alice.awaitScreen("] bob: in dev");
        assertThat(alice.screen.text()).doesNotContain("#dev bob: in dev");

        alice.type("/join #lobby\n");
        awaitPrompt(alice, "alice #lobby> ");
        bob.send("/me waves from dev");
        alice.awaitScreen("#dev * bob waves from dev");
    }

    @Test
    void historyIsShownWithItsDateAndMarked() throws Exception {
        WireClient bob = server.register("bob");
        bob.send("/join #dev");
        awaitIn(bob, "#dev", ServerLine.Online.class);
        bob.send("said before alice came");
        awaitIn(bob, "#dev", ServerLine.Chat.class);
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");

        alice.type("/join #dev\n");
        alice.awaitScreen("said before alice came");
        assertThat(alice.screen.text().lines().filter(line -> line.contains("said before alice came")))
                .singleElement().asString()
                .containsPattern(".*\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d] \\[history] bob: said before alice came");
    }

    @Test
    void tabCompletesRoomsJoinedAndListed() throws Exception {
        WireClient bob = server.register("bob");
        bob.send("/join #devops");
        awaitIn(bob, "#devops", ServerLine.Online.class);
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");

        alice.type("/rooms\n");
        alice.awaitScreen("*** Room #devops (1)");
        alice.type("/join #dev\t\n");
        assertThat(awaitIn(bob, "#devops", ServerLine.Joined.class).name()).isEqualTo("alice");
        awaitPrompt(alice, "alice #devops> ");
        alice.type("/in #l\tfrom afar\n");
        assertThat(bob.await(line -> line instanceof ServerLine.Chat).body()).isEqualTo("alice: from afar");
    }

    @Test
    void theDefaultRoomIsShownByTheNameTheServerGivesIt() throws Exception {
        server.configure(config -> config.defaultRoom("#main"));
        WireClient bob = server.register("bob");
        ClientRun alice = client("--name", "alice");
        awaitPrompt(alice, "alice #main> ");

        alice.type("/join #dev\n");
        awaitPrompt(alice, "alice #dev> ");
        bob.send("over here");
        alice.awaitScreen("#main bob: over here");
        alice.type("/join #main\n");
        awaitPrompt(alice, "alice #main> ");
    }

    @Test
    void whoListsTheWholeServer_andItsNamesComplete_thoughTheyShareNoRoom() throws Exception {
        WireClient carol = server.register("carol");
        carol.send("/join #dev");
        awaitIn(carol, "#dev", ServerLine.Online.class);
        carol.send("/part #lobby");
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");

        alice.type("/who\n");
        alice.awaitScreen("*** Online (2): alice, carol");
        alice.type("/msg ca\tpsst\n");
        carol.awaitBody("[PM] alice: psst");
    }

    @Test
    void aLargeRoomShowsItsCountInThePrompt_andCompletionFindsNamesTheClientDoesNotKeep() throws Exception {
        server.configure(config -> config.largeRoomSize(3));
        ClientRun alice = client("--name", "alice");
        awaitPrompt(alice, "alice #lobby> ");
        server.register("bob");
        server.register("carol");
        WireClient dave = server.register("dave");
        alice.awaitScreen("*** Online: 4 people in #lobby");
        awaitPrompt(alice, "alice #lobby (4 people)> ");

        // Nobody's join was told, so only the server knows who "da" is.
        alice.type("/msg da\tpsst\n");
        dave.awaitBody("[PM] alice: psst");
    }

    @Test
    void nickChangesKeepCompletionAndThePromptCurrent() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun alice = client("--name", "alice");
        alice.awaitScreen("Welcome, alice!");

        bob.send("/nick robert");
        alice.awaitScreen("*** bob is now known as robert");
        alice.type("/msg rob\tpsst\n");
        bob.awaitBody("[PM] alice: psst");

        alice.type("/nick alicia\n");
        awaitPrompt(alice, "alicia #lobby> ");
        alice.type("still me\n");
        bob.awaitBody("alicia: still me");
    }

    @Test
    void reconnectRejoinsTheRoomsAndTheCurrentOne() throws Exception {
        ClientRun alice = client("--name", "alice", "--reconnect");
        alice.awaitScreen("Welcome, alice!");
        alice.type("/join #ops\n");
        awaitPrompt(alice, "alice #ops> ");
        alice.type("/join #dev\n");
        awaitPrompt(alice, "alice #dev> ");
        int port = server.port();

        server.stop();
        alice.awaitScreen("; reconnecting.");
        server.start();
        alice.awaitScreen("-!- Back online as alice.");

        WireClient bob = server.register("bob");
        bob.send("/join #dev");
        awaitIn(bob, "#dev", ServerLine.Online.class);
        alice.type("back in dev\n");
        assertThat(awaitIn(bob, "#dev", ServerLine.Chat.class).text()).isEqualTo("back in dev");
        bob.send("/who #ops");
        assertThat(awaitIn(bob, "#ops", ServerLine.Online.class).names()).containsExactly("alice");
        awaitPrompt(alice, "alice #dev> ");
    }
}
