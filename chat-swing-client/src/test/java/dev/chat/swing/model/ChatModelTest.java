package dev.chat.swing.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.client.ConnectionState;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model without any window, against a real server on a free loopback port. */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ChatModelTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final TestServer server = TestServer.create();

    @RegisterExtension
    final ModelUnderTest under = new ModelUnderTest();
    private final RecordingListener events = under.events;
    private final ChatModel model = under.model;

    private void connectAs(String name) {
        under.connectAs(server.port(), name);
    }

    @Test
    void connect_registersAndShowsTheWelcomeAndWhoIsOnline() throws IOException {
        server.register("bob");
        connectAs("alice");

        assertThat(events.outcomes).containsExactly(new ConnectOutcome.Connected("127.0.0.1", server.port(), false, "alice"));
        assertThat(events.signedOnAs("alice")).isTrue();
        await().atMost(WAIT).until(() -> events.currentUsers().equals(List.of("alice", "bob")));
        await().atMost(WAIT).until(() -> events.in(ChatModel.ROOM).stream()
                .anyMatch(e -> e.kind() == Entry.Kind.SYSTEM && e.text().equals("Welcome, alice!")));
    }

    @Test
    void userList_followsJoinsAndLeaves() throws IOException {
        connectAs("alice");
        WireClient bob = server.register("bob");
        await().atMost(WAIT).until(() -> events.currentUsers().equals(List.of("alice", "bob")));

        bob.send("/quit");
        await().atMost(WAIT).until(() -> events.currentUsers().equals(List.of("alice")));
        assertThat(events.in(ChatModel.ROOM)).anyMatch(e -> e.kind() == Entry.Kind.SYSTEM && e.text().startsWith("bob left"));
    }

    @Test
    void messages_goOutOverTheWireAndComeBackWithServerTime() throws IOException {
        WireClient bob = server.register("bob");
        connectAs("alice");

        model.send(ChatModel.ROOM, "hello everyone");
        ServerLine received = bob.await(line -> line instanceof ServerLine.Chat);
        assertThat(received).isInstanceOfSatisfying(ServerLine.Chat.class, chat -> {
            assertThat(chat.from()).isEqualTo("alice");
            assertThat(chat.text()).isEqualTo("hello everyone");
        });

        bob.send("hi Alice, welcome");
        await().atMost(WAIT).until(() -> events.in(ChatModel.ROOM).stream()
                .anyMatch(e -> e.kind() == Entry.Kind.CHAT && "bob".equals(e.from())));
        Entry fromBob = events.in(ChatModel.ROOM).stream().filter(e -> "bob".equals(e.from())).findFirst().orElseThrow();
        assertThat(fromBob.text()).isEqualTo("hi Alice, welcome");
        assertThat(fromBob.mention()).as("alice's name was written").isTrue();
        Entry own = events.in(ChatModel.ROOM).stream().filter(e -> "alice".equals(e.from())).findFirst().orElseThrow();
        assertThat(own.mention()).isFalse();
        assertThat(own.time()).isEqualTo(received.time());
    }

    @Test
    void whoIsOnline_listsEveryoneOnTheServerWhereAsked_whileTheUserListStaysTheRooms() throws IOException {
        connectAs("alice");
        WireClient carol = server.register("carol");
        await().atMost(WAIT).until(() -> events.currentUsers().equals(List.of("alice", "carol")));
        carol.send("/join #dev");
        carol.send("/part #lobby");
        await().atMost(WAIT).until(() -> events.currentUsers().equals(List.of("alice")));

        model.send(ChatModel.ROOM, "/who");

        await().atMost(WAIT).until(() -> events.in(ChatModel.ROOM).stream()
                .anyMatch(e -> e.kind() == Entry.Kind.SYSTEM && e.text().equals("Online (2): alice, carol")));
        assertThat(events.currentUsers()).as("the default room's people, not everyone on the server")
                .containsExactly("alice");
    }

    @Test
    void doubleSlash_sendsTheTextWithOneSlash() throws IOException {
        WireClient bob = server.register("bob");
        connectAs("alice");

        model.send(ChatModel.ROOM, "//shrug");
        ServerLine received = bob.await(line -> line instanceof ServerLine.Chat);
        assertThat(((ServerLine.Chat) received).text()).isEqualTo("/shrug");
    }

    @Test
    void privateMessages_getTheirOwnConversationWithUnreadCount() throws IOException {
        WireClient bob = server.register("bob");
        connectAs("alice");

        bob.send("/msg alice psst");
        bob.send("/msg alice are you there?");
        await().atMost(WAIT).until(() -> events.unread.getOrDefault("bob", 0) == 2);
        assertThat(events.opened).containsExactly(new RecordingListener.Opened("bob", "bob", false));
        assertThat(events.in("bob")).extracting(Entry::kind, Entry::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Entry.Kind.PRIVATE_IN, "psst"),
                org.assertj.core.groups.Tuple.tuple(Entry.Kind.PRIVATE_IN, "are you there?"));
        assertThat(events.in(ChatModel.ROOM)).noneMatch(e -> e.kind() == Entry.Kind.PRIVATE_IN);

        model.select("bob");
        await().atMost(WAIT).until(() -> events.unread.get("bob") == 0);

        model.send("bob", "yes, here");
        ServerLine received = bob.await(line -> line instanceof ServerLine.PrivateMessage);
        assertThat(received).isInstanceOfSatisfying(ServerLine.PrivateMessage.class, pm -> {
            assertThat(pm.from()).isEqualTo("alice");
            assertThat(pm.text()).isEqualTo("yes, here");
        });
        await().atMost(WAIT).until(() -> events.in("bob").stream()
                .anyMatch(e -> e.kind() == Entry.Kind.PRIVATE_OUT && e.text().equals("yes, here")));
        assertThat(events.unread.get("bob")).as("own messages are not unread").isZero();
    }

    @Test
    void unread_countsOnlyConversationsNotInView() throws IOException {
        WireClient bob = server.register("bob");
        connectAs("alice");
        model.openConversation("bob");
        await().atMost(WAIT).until(() -> events.opened.contains(new RecordingListener.Opened("bob", "bob", true)));
        model.select("bob");

        bob.send("in the room");
        bob.send("/msg alice in private");
        await().atMost(WAIT).until(() -> events.in("bob").size() == 1);
        await().atMost(WAIT).until(() -> events.unread.getOrDefault(ChatModel.ROOM, 0) == 1);
        assertThat(events.unread).doesNotContainKey("bob");
    }

    @Test
    void attention_countsPrivateMessagesWhileUnfocusedAndClearsOnFocus() throws IOException {
        WireClient bob = server.register("bob");
        connectAs("alice");
        model.setFocused(false);

        bob.send("/msg alice look at this");
        bob.send("nothing for alice here? ALICE!");
        bob.send("just chatting");
        await().atMost(WAIT).until(() -> events.attention.equals(List.of(1, 2)));

        model.setFocused(true);
        await().atMost(WAIT).until(() -> events.attention.equals(List.of(1, 2, 0)));
    }

    @Test
    void nameTaken_isReportedAndAnotherNameWorksOnTheSameServer() throws IOException {
        server.register("bob");

        model.connect("127.0.0.1", server.port(), "BOB");
        await().atMost(WAIT).until(() -> !events.outcomes.isEmpty());
        assertThat(events.outcomes.getFirst()).isInstanceOfSatisfying(ConnectOutcome.NameRefused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(ConnectOutcome.Reason.TAKEN);
            assertThat(refused.message()).contains("already taken");
        });

        model.connect("127.0.0.1", server.port(), "alice");
        await().atMost(WAIT).until(() -> events.outcomes.size() == 2);
        assertThat(events.outcomes.get(1)).isEqualTo(new ConnectOutcome.Connected("127.0.0.1", server.port(), false, "alice"));
        assertThat(events.in(ChatModel.ROOM)).noneMatch(e -> e.kind() == Entry.Kind.ERROR);
    }

    @Test
    void unreachableServer_isReportedInPlainWords() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        model.connect("127.0.0.1", closedPort, "alice");
        await().atMost(WAIT).until(() -> !events.outcomes.isEmpty());
        assertThat(events.outcomes.getFirst()).isInstanceOfSatisfying(ConnectOutcome.Unreachable.class,
                u -> assertThat(u.message()).isEqualTo("Cannot connect to 127.0.0.1:" + closedPort
                        + ": connection refused (is the server running?)."));
        assertThat(events.currentState()).isEqualTo(new ConnectionState.Offline());
    }

    @Test
    void errorsFromTheServer_showInTheConversationTheyCameFrom() throws IOException {
        WireClient bob = server.register("bob");
        connectAs("alice");
        model.openConversation("bob");
        bob.close();
        await().atMost(WAIT).until(() -> events.currentUsers().equals(List.of("alice")));

        model.send("bob", "still there?");
        await().atMost(WAIT).until(() -> events.in("bob").stream().anyMatch(e -> e.kind() == Entry.Kind.ERROR));
    }

    @Test
    void reconnect_afterServerRestartOnTheSamePortKeepsTheHistory()
            throws IOException, InterruptedException, TimeoutException {
        connectAs("alice");
        model.send(ChatModel.ROOM, "before the restart");
        await().atMost(WAIT).until(() -> events.in(ChatModel.ROOM).stream()
                .anyMatch(e -> e.text().equals("before the restart")));
        int port = server.port();

        server.stop();
        await().atMost(WAIT).until(() -> events.currentState() instanceof ConnectionState.Reconnecting);
        assertThat(events.currentUsers()).isEmpty();
        server.start();

        await().atMost(Duration.ofSeconds(20)).until(
                () -> events.signedOnAs("alice"));
        await().atMost(WAIT).until(() -> events.currentUsers().equals(List.of("alice")));
        WireClient bob = server.register("bob");
        bob.send("welcome back");
        await().atMost(WAIT).until(() -> events.in(ChatModel.ROOM).stream().anyMatch(e -> e.text().equals("welcome back")));

        List<String> history = model.history(ChatModel.ROOM, WAIT).stream().map(Entry::text).toList();
        assertThat(history).containsSubsequence("before the restart", "Server is shutting down.",
                "Connection to 127.0.0.1:" + port + " lost.", "Reconnected to 127.0.0.1:" + port + ".", "welcome back");
    }

    @Test
    void reconnectNow_skipsTheWait() throws IOException {
        connectAs("alice");
        int port = server.port();
        server.stop();
        await().atMost(WAIT).until(() -> events.currentState() instanceof ConnectionState.Reconnecting);
        // An attempt at once fails while the server is down, and the next wait grows to 2 s.
        model.reconnectNow();
        await().atMost(WAIT).until(() -> events.states.stream()
                .filter(s -> s instanceof ConnectionState.Reconnecting r && r.seconds() >= 2).count() > 0);
        server.start();
        // "Reconnect now" must not sit out that wait.
        long before = System.nanoTime();
        model.reconnectNow();
        await().atMost(WAIT).until(() -> events.currentState() instanceof ConnectionState.SignedOn);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void quit_leavesNormallyAndReportsTheEnd() throws IOException {
        WireClient bob = server.register("bob");
        connectAs("alice");

        model.quit();
        ServerLine left = bob.await(line -> line instanceof ServerLine.Left);
        assertThat(((ServerLine.Left) left).name()).isEqualTo("alice");
        await().atMost(WAIT).until(() -> events.quitFinished);
        assertThat(events.currentState()).isEqualTo(new ConnectionState.Offline());
    }

    @Test
    void quitTypedAsCommand_endsTheSessionToo() throws IOException {
        WireClient bob = server.register("bob");
        connectAs("alice");

        model.send(ChatModel.ROOM, "/QUIT");
        ServerLine left = bob.await(line -> line instanceof ServerLine.Left);
        assertThat(((ServerLine.Left) left).name()).isEqualTo("alice");
        await().atMost(WAIT).until(() -> events.quitFinished);
    }
}
