package dev.chat.swing.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.client.ConnectionState;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model's rooms against a real server on a free loopback port: a conversation per room, kept apart. */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ChatModelRoomsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String DEV = ChatModel.roomKey("#dev");

    @RegisterExtension
    final TestServer server = TestServer.create();

    @RegisterExtension
    final ModelUnderTest under = new ModelUnderTest();
    private final RecordingListener events = under.events;
    private final ChatModel model = under.model;

    private void connectAs(String name) {
        under.connectAs(server.port(), name);
    }

    private void aliceJoinsDev() {
        model.joinRoom("dev");
        await().atMost(WAIT).until(() -> events.membersOf(DEV).contains("alice"));
    }

    private List<String> texts(String conversation) {
        return events.in(conversation).stream().map(Entry::text).toList();
    }

    /**
     * Sends {@code marker} as {@code client} in the default room and reads up to it, returning
     * every line read before it; what the server sent {@code client} earlier is among them.
     */
    private static List<ServerLine> linesUpTo(WireClient client, String marker) throws IOException {
        List<ServerLine> seen = new ArrayList<>();
        client.send("/in #lobby " + marker);
        client.await(line -> {
            seen.add(line);
            return line instanceof ServerLine.Chat chat && chat.text().equals(marker);
        });
        return seen;
    }

    @Test
    void theDefaultRoom_isTheOneTheServerNames_andItsViewSpeaksThereAfterAnotherRoomIsJoined() throws IOException {
        server.configure(config -> config.defaultRoom("#main"));
        WireClient bob = server.register("bob");
        connectAs("alice");
        await().atMost(WAIT).until(() -> events.defaultRoomNames.equals(List.of("#main")));
        await().atMost(WAIT).until(() -> events.currentUsers().equals(List.of("alice", "bob")));
        aliceJoinsDev();

        model.send(ChatModel.ROOM, "still in main");

        ServerLine said = bob.await(line -> line instanceof ServerLine.Chat chat && chat.text().equals("still in main"));
        assertThat(said).as("a line of the default room, which names no room").isInstanceOf(ServerLine.Chat.class);
        assertThat(events.rooms).as("the default room has no tab of its own besides the first")
                .containsExactly(new RecordingListener.Opened(DEV, "#dev", true));
        await().atMost(WAIT).until(() -> texts(ChatModel.ROOM).contains("still in main"));
    }

    @Test
    void joinRoom_opensItsConversationWithWhoIsThereAndTheTopic() throws IOException {
        WireClient bob = server.register("bob");
        bob.join("#dev");
        bob.send("/topic release on friday");
        bob.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.TopicChanged changed));
        connectAs("alice");

        model.joinRoom("#DEV");

        await().atMost(WAIT).until(() -> events.membersOf(DEV).equals(List.of("alice", "bob")));
        assertThat(events.rooms).containsExactly(new RecordingListener.Opened(DEV, "#dev", true));
        await().atMost(WAIT).until(() -> "release on friday".equals(events.topics.get(DEV)));
        assertThat(events.currentUsers()).as("the default room's list is its own").containsExactly("alice", "bob");

        bob.send("/in #dev /topic new plan");
        await().atMost(WAIT).until(() -> "new plan".equals(events.topics.get(DEV)));
        assertThat(texts(DEV)).contains("bob set the topic: new plan");
        assertThat(texts(ChatModel.ROOM)).doesNotContain("bob set the topic: new plan");
    }

    @Test
    void linesOfARoom_stayInItsConversation_andWhatTheUserTypesThereReachesOnlyThatRoom() throws IOException {
        WireClient bob = server.register("bob");
        WireClient carol = server.register("carol");
        bob.join("#dev");
        connectAs("alice");
        aliceJoinsDev();

        bob.send("/in #dev only for dev");
        carol.send("only for the lobby");
        await().atMost(WAIT).until(() -> texts(DEV).contains("only for dev") && texts(ChatModel.ROOM).contains("only for the lobby"));
        assertThat(texts(DEV)).doesNotContain("only for the lobby");
        assertThat(texts(ChatModel.ROOM)).doesNotContain("only for dev");
        await().atMost(WAIT).until(() -> events.unread.getOrDefault(DEV, 0) == 1);

        model.send(DEV, "alice in dev");
        ServerLine inDev = bob.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.Chat chat)
                && chat.text().equals("alice in dev"));
        assertThat(((ServerLine.InRoom) inDev).room()).isEqualTo("#dev");
        assertThat(linesUpTo(carol, "carol marker")).noneMatch(line -> line.format().contains("alice in dev"));

        // After the join the server's current room is #dev; the default room's tab still talks in the default room.
        model.send(ChatModel.ROOM, "alice in the lobby");
        carol.await(line -> line instanceof ServerLine.Chat chat && chat.text().equals("alice in the lobby"));

        model.send(DEV, "/me waves");
        await().atMost(WAIT).until(() -> events.in(DEV).stream()
                .anyMatch(e -> e.kind() == Entry.Kind.ACTION && "alice".equals(e.from()) && e.text().equals("waves")));
    }

    @Test
    void historyOnJoin_isMarkedWithItsDateAndNotCountedAsUnread() throws IOException {
        WireClient bob = server.register("bob");
        bob.join("#dev");
        bob.send("/in #dev said before alice came");
        bob.send("/in #dev /me made coffee");
        bob.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.Action action));
        connectAs("alice");

        aliceJoinsDev();
        await().atMost(WAIT).until(() -> events.in(DEV).stream().filter(Entry::isHistory).count() == 2);

        List<Entry> history = events.in(DEV).stream().filter(Entry::isHistory).toList();
        assertThat(history).extracting(Entry::kind, Entry::from, Entry::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Entry.Kind.CHAT, "bob", "said before alice came"),
                org.assertj.core.groups.Tuple.tuple(Entry.Kind.ACTION, "bob", "made coffee"));
        assertThat(history).allSatisfy(e -> assertThat(e.historyDate())
                .isBetween(LocalDate.now().minusDays(1), LocalDate.now().plusDays(1)));
        assertThat(events.unread.getOrDefault(DEV, 0)).isZero();
        bob.send("/in #dev now live");
        await().atMost(WAIT).until(() -> texts(DEV).contains("now live"));
        assertThat(events.in(DEV).getLast().isHistory()).isFalse();
    }

    @Test
    void nickChange_renamesInEveryMemberListAndMovesThePrivateConversation()
            throws IOException, InterruptedException, TimeoutException {
        WireClient bob = server.register("bob");
        bob.join("#dev");
        connectAs("alice");
        aliceJoinsDev();
        bob.send("/msg alice psst");
        await().atMost(WAIT).until(() -> texts("bob").contains("psst"));

        bob.send("/nick robert");

        await().atMost(WAIT).until(() -> events.membersOf(DEV).equals(List.of("alice", "robert")));
        await().atMost(WAIT).until(() -> events.currentUsers().equals(List.of("alice", "robert")));
        await().atMost(WAIT).until(() -> events.renamed.contains("bob->robert:robert"));
        assertThat(model.history("robert", WAIT)).extracting(Entry::text)
                .containsSubsequence("psst", "bob is now known as robert");
        assertThat(model.history("bob", WAIT)).isEmpty();
        assertThat(texts(DEV)).contains("bob is now known as robert");

        model.send("robert", "hi robert");
        ServerLine pm = bob.await(line -> line instanceof ServerLine.PrivateMessage);
        assertThat(pm).isEqualTo(new ServerLine.PrivateMessage(pm.time(), "alice", "hi robert"));
        await().atMost(WAIT).until(() -> texts("robert").contains("hi robert"));
    }

    @Test
    void ownNickChange_isTheNameFromNowOn() {
        connectAs("alice");
        aliceJoinsDev();

        model.send(DEV, "/nick alicia");

        await().atMost(WAIT).until(() -> events.currentState() instanceof ConnectionState.SignedOn c
                && c.name().equals("alicia"));
        await().atMost(WAIT).until(() -> events.membersOf(DEV).equals(List.of("alicia")));
        assertThat(texts(ChatModel.ROOM)).contains("alice is now known as alicia");
    }

    @Test
    void away_isShownInThePrivateConversation() throws IOException {
        WireClient bob = server.register("bob");
        connectAs("alice");
        bob.send("/away at lunch");
        bob.await(line -> line instanceof ServerLine.Info info && info.text().startsWith("You are away"));

        model.openConversation("bob");
        model.send("bob", "are you there?");

        await().atMost(WAIT).until(() -> texts("bob").contains("bob is away: at lunch"));
    }

    @Test
    void closingARoom_partsIt_andItsLinesStopComing() throws IOException {
        WireClient bob = server.register("bob");
        bob.join("#dev");
        connectAs("alice");
        aliceJoinsDev();

        model.leaveRoom(DEV);

        ServerLine left = bob.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.Left l));
        assertThat(((ServerLine.InRoom) left).line()).isEqualTo(new ServerLine.Left(left.time(), "alice", "part"));
        await().atMost(WAIT).until(() -> events.closedRooms.contains(DEV));
        bob.send("/in #dev alice is gone");
        bob.send("/in #lobby after the part");
        await().atMost(WAIT).until(() -> texts(ChatModel.ROOM).contains("after the part"));
        assertThat(events.entries).noneMatch(added -> added.entry().text().contains("alice is gone"));
    }

    @Test
    void roomList_comesAsValuesNotAsLines() throws IOException {
        WireClient bob = server.register("bob");
        bob.join("#dev");
        bob.send("/topic the dev room");
        bob.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.TopicChanged changed));
        connectAs("alice");

        model.requestRoomList();

        await().atMost(WAIT).until(() -> !events.roomLists.isEmpty());
        assertThat(events.roomLists.getLast()).contains(new RoomInfo("#dev", 1, "the dev room"));
        assertThat(events.roomLists.getLast()).extracting(RoomInfo::name).contains("#lobby");
        assertThat(texts(ChatModel.ROOM)).noneMatch(text -> text.startsWith("Rooms ("));

        model.send(ChatModel.ROOM, "/rooms");
        await().atMost(WAIT).until(() -> texts(ChatModel.ROOM).contains("Room #dev (1): the dev room"));
    }

    @Test
    void reconnect_joinsTheOpenRoomsAgainAndKeepsTheirLines()
            throws IOException, InterruptedException, TimeoutException {
        connectAs("alice");
        aliceJoinsDev();
        model.send(DEV, "before the restart");
        await().atMost(WAIT).until(() -> texts(DEV).contains("before the restart"));
        int port = server.port();

        server.stop();
        await().atMost(WAIT).until(() -> events.currentState() instanceof ConnectionState.Reconnecting);
        assertThat(events.membersOf(DEV)).isEmpty();
        server.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> events.rooms.size() == 2);
        assertThat(events.rooms.getLast()).as("rejoined without jumping to the front")
                .isEqualTo(new RecordingListener.Opened(DEV, "#dev", false));
        await().atMost(WAIT).until(() -> events.membersOf(DEV).equals(List.of("alice")));
        WireClient bob = server.register("bob");
        bob.join("#dev");
        bob.send("/in #dev welcome back");
        await().atMost(WAIT).until(() -> texts(DEV).contains("welcome back"));

        List<String> history = model.history(DEV, WAIT).stream().map(Entry::text).toList();
        assertThat(history).containsSubsequence("before the restart", "alice joined", "bob joined", "welcome back");
        assertThat(model.members(DEV, WAIT)).containsExactly("alice", "bob");
    }

    @Test
    void rejoin_doesNotShowTheSameLinesTwice() throws IOException {
        WireClient bob = server.register("bob");
        bob.join("#dev");
        connectAs("alice");
        aliceJoinsDev();
        bob.send("/in #dev said once");
        await().atMost(WAIT).until(() -> texts(DEV).contains("said once"));

        // A server that kept its rooms would replay this line on the rejoin; it must not show twice.
        model.leaveRoom(DEV);
        await().atMost(WAIT).until(() -> events.closedRooms.contains(DEV));
        bob.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.Left l));
        aliceJoinsDev();
        bob.send("/in #dev after the rejoin");
        await().atMost(WAIT).until(() -> texts(DEV).contains("after the rejoin"));

        assertThat(texts(DEV).stream().filter("said once"::equals)).hasSize(1);
    }
}
