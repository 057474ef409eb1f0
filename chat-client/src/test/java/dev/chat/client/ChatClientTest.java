package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a signed-on client keeps and tells: its rooms, who is in them, its name, in the order things happen. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatClientTest {

    @RegisterExtension
    final TestServer server = TestServer.create();

    private Endpoint endpoint;
    private final Recorder events = new Recorder();
    private final ChatClient alice = new ChatClient(ChatClient.Settings.defaults(), events);
    private final Recorder bobEvents = new Recorder();
    private final ChatClient bob = new ChatClient(ChatClient.Settings.defaults(), bobEvents);

    @BeforeEach
    void start() throws Exception {
        endpoint = Endpoint.plain("127.0.0.1", server.port());
        assertThat(bob.signOn(endpoint, "bob", null, Login.Prompts.NOBODY)).isInstanceOf(Login.Outcome.SignedOn.class);
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
    }

    private void signOnAlice() throws InterruptedException {
        assertThat(alice.signOn(endpoint, "alice", null, Login.Prompts.NOBODY))
                .isEqualTo(new Login.Outcome.SignedOn("alice"));
        events.await(ClientEvent.MembersChanged.class, changed -> changed.members().total() == 2);
    }

    private static boolean isLine(ClientEvent event, Class<? extends ServerLine> type) {
        return event instanceof ClientEvent.LineReceived received && type.isInstance(received.line());
    }

    @Test
    void signingOn_entersTheDefaultRoomBeforeItsMemberList_andKnowsWhoIsThere() throws Exception {
        signOnAlice();

        int entered = events.indexOf(event -> event.equals(new ClientEvent.RoomEntered("#lobby", false)));
        int list = events.indexOf(event -> isLine(event, ServerLine.Online.class));
        assertThat(entered).isNotNegative().isLessThan(list);
        assertThat(((ClientEvent.LineReceived) events.events.get(list)).room()).isEqualTo("#lobby");
        Rooms rooms = alice.rooms();
        assertThat(rooms.joined()).containsExactly("#lobby");
        assertThat(rooms.current()).isEqualTo("#lobby");
        assertThat(rooms.membersOf("#LOBBY").names()).containsExactly("alice", "bob");
    }

    @Test
    void members_followJoinsAndLeaves_andAWhoAnswerListsTheServerWithoutReplacingThem() throws Exception {
        signOnAlice();
        try (ChatClient carol = new ChatClient(ChatClient.Settings.defaults(), event -> {
        })) {
            carol.signOn(endpoint, "carol", null, Login.Prompts.NOBODY);
            events.await(ClientEvent.MembersChanged.class, changed -> changed.members().contains("carol"));
            carol.send("/join #dev");
            carol.send("/part #lobby");
            events.await(ClientEvent.MembersChanged.class, changed -> !changed.members().contains("carol"));

            alice.send("/who");
            ClientEvent.LineReceived who = events.await(ClientEvent.LineReceived.class,
                    received -> received.line() instanceof ServerLine.Online online && online.names().size() == 3);

            assertThat(who.room()).as("a /who answer belongs to no room").isNull();
            assertThat(alice.rooms().membersOf("#lobby").names()).containsExactly("alice", "bob");
            assertThat(alice.knownNames()).containsExactly("alice", "bob", "carol");
        }
    }

    @Test
    void joiningARoom_entersItBeforeItsLines_andLeavingItEndsAfterThem() throws Exception {
        signOnAlice();
        bob.send("/join #dev");
        bobEvents.await(ClientEvent.RoomEntered.class, entered -> entered.room().equals("#dev"));

        alice.send("/join #dev");
        events.await(ClientEvent.MembersChanged.class, changed -> changed.room().equals("#dev"));
        assertThat(alice.rooms().current()).isEqualTo("#dev");
        assertThat(alice.rooms().joined()).containsExactly("#lobby", "#dev");
        assertThat(alice.rooms().membersOf("#dev").names()).containsExactly("alice", "bob");
        int entered = events.indexOf(event -> event.equals(new ClientEvent.RoomEntered("#dev", false)));
        int joinedLine = events.indexOf(event -> event instanceof ClientEvent.LineReceived received
                && received.line() instanceof ServerLine.InRoom(String room, ServerLine.Joined joined)
                && joined.name().equals("alice"));
        assertThat(entered).isNotNegative().isLessThan(joinedLine);

        alice.part("#dev");
        events.await(ClientEvent.RoomLeft.class);
        int leftLine = events.indexOf(event -> event instanceof ClientEvent.LineReceived received
                && received.line() instanceof ServerLine.InRoom(String room, ServerLine.Left left));
        assertThat(leftLine).isLessThan(events.indexOf(event -> event instanceof ClientEvent.RoomLeft));
        assertThat(alice.rooms().current()).isEqualTo("#lobby");
        assertThat(alice.rooms().isIn("#dev")).isFalse();
    }

    @Test
    void sendIn_reachesItsRoom_whicheverRoomIsCurrent() throws Exception {
        signOnAlice();
        alice.send("/join #dev");
        events.await(ClientEvent.RoomEntered.class, entered -> entered.room().equals("#dev"));

        alice.sendIn("#lobby", "hello lobby");
        alice.sendIn("#dev", "/me waves");

        ServerLine.Chat said = bobEvents.awaitLine(ServerLine.Chat.class, chat -> chat.from().equals("alice"));
        assertThat(said.text()).isEqualTo("hello lobby");
        events.await(ClientEvent.LineReceived.class, received -> "#dev".equals(received.room())
                && received.line() instanceof ServerLine.InRoom(String room, ServerLine.Action action));
        assertThat(alice.rooms().current()).isEqualTo("#dev");
    }

    @Test
    void aNickChange_renamesInEveryMemberList_andIsTheNameFromNowOn() throws Exception {
        signOnAlice();
        alice.send("/nick alicia");

        events.await(ClientEvent.ConnectionChanged.class, changed -> changed.state()
                instanceof ConnectionState.SignedOn signedOn && signedOn.name().equals("alicia"));
        assertThat(alice.name()).isEqualTo("alicia");
        assertThat(alice.rooms().membersOf("#lobby").names()).containsExactly("alicia", "bob");
        await().atMost(Recorder.WAIT).until(() -> bob.rooms().membersOf("#lobby").names(),
                names -> names.equals(List.of("alicia", "bob")));
    }

    @Test
    void joiningARoomOneIsIn_makesItCurrentAtOnce() throws Exception {
        signOnAlice();
        alice.send("/join #dev");
        events.await(ClientEvent.RoomEntered.class, entered -> entered.room().equals("#dev"));
        events.clear();

        alice.send("/join #lobby");

        ClientEvent.RoomsChanged changed = events.await(ClientEvent.RoomsChanged.class);
        assertThat(changed.rooms().current()).isEqualTo("#lobby");
        assertThat(events.all(ClientEvent.RoomEntered.class)).isEmpty();
    }

    @Test
    void aServerThatNamesItsDefaultRoom_isBelieved_andAnOlderOneIsTakenForTheProtocolsDefault() throws Exception {
        try (ScriptedServer scripted = new ScriptedServer(); ScriptedServer older = new ScriptedServer();
                ChatClient newer = new ChatClient(ChatClient.Settings.defaults(), events);
                ChatClient old = new ChatClient(ChatClient.Settings.defaults(), bobEvents)) {
            Thread.ofVirtual().start(() -> speak(scripted, "#main"));
            assertThat(newer.signOn(scripted.endpoint(), "alice", null, Login.Prompts.NOBODY))
                    .isEqualTo(new Login.Outcome.SignedOn("alice"));
            events.await(ClientEvent.RoomEntered.class, entered -> entered.room().equals("#main"));
            assertThat(newer.rooms().defaultRoom()).isEqualTo("#main");
            assertThat(newer.rooms().current()).isEqualTo("#main");
            assertThat(newer.rooms().membersOf("#main").names()).containsExactly("alice", "zoe");

            bobEvents.clear();
            Thread.ofVirtual().start(() -> speak(older, null));
            assertThat(old.signOn(older.endpoint(), "alice", null, Login.Prompts.NOBODY))
                    .isInstanceOf(Login.Outcome.SignedOn.class);
            bobEvents.await(ClientEvent.RoomEntered.class, entered -> entered.room().equals("#lobby"));
            assertThat(old.rooms().defaultRoom()).isEqualTo("#lobby");
        }
    }

    /** Plays a server's sign-on; {@code defaultRoom} null for a server that does not name it. */
    private static void speak(ScriptedServer scripted, String defaultRoom) {
        try {
            scripted.accept().send("[12:00:00] --- Hello", "[12:00:00] *** Enter your name:");
            String name = scripted.read();
            scripted.send("[12:00:01] *** Welcome, " + name + "!");
            if (defaultRoom != null) {
                scripted.send("[12:00:01] *** Default room: " + defaultRoom);
            }
            scripted.send("[12:00:01] *** Online (2): " + name + ", zoe", "[12:00:01] --- Type /help for the commands.");
            scripted.drain();
        } catch (IOException e) {
            // The client went away: the test says what it saw.
        }
    }
}
