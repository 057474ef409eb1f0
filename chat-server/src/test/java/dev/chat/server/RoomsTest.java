package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rooms, topics, nick changes, /me, away, history: the everyday commands beyond the core. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RoomsTest {

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    /** Sends a marker line in the default room and reads up to its echo: whatever came before is in {@code seen()}. */
    private static void sync(WireClient client, String marker) throws IOException {
        client.send("/in #lobby " + marker);
        while (!(client.next() instanceof ServerLine.Chat chat && chat.text().equals(marker))) {
            // Reading on.
        }
    }

    @Test
    void join_makesTheRoomAndTellsTheNewcomerWhoIsThere() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        alice.send("/join #dev");
        assertThat(alice.awaitIn("#dev", ServerLine.Joined.class).name()).isEqualTo("alice");
        assertThat(alice.awaitIn("#dev", ServerLine.Online.class).names()).containsExactly("alice");
        bob.send("/join #DEV");
        assertThat(alice.awaitIn("#dev", ServerLine.Joined.class).name()).isEqualTo("bob");
        assertThat(bob.awaitIn("#dev", ServerLine.Online.class).names()).containsExactly("alice", "bob");
    }

    @Test
    void defaultRoom_isNamedAtSignOnAndItsLinesCarryNoRoomName() throws IOException {
        server.configure(config -> config.defaultRoom("#Main"));
        WireClient alice = server.connect();
        alice.send("alice");
        alice.await(ServerLine.Welcome.class);
        assertThat(alice.next()).isInstanceOfSatisfying(ServerLine.DefaultRoom.class,
                named -> assertThat(named.room()).isEqualTo("#Main"));
        alice.send("/in #main hello");
        assertThat(alice.await(ServerLine.Chat.class).text()).isEqualTo("hello");
    }

    @Test
    void lineInARoom_reachesOnlyItsMembers() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        WireClient carol = server.register("carol");
        alice.join("#a");
        bob.join("#a");
        carol.join("#b");

        alice.send("secret plans for #a");   // #a is alice's current room now
        assertThat(bob.awaitIn("#a", ServerLine.Chat.class).text()).isEqualTo("secret plans for #a");
        sync(carol, "marker");
        assertThat(carol.seen()).noneMatch(line -> line.contains("secret plans"));
    }

    @Test
    void userInSeveralRooms_canAddressOneWithoutSwitching() throws IOException {
        WireClient alice = server.register("alice");
        alice.join("#a");
        alice.join("#b");
        alice.send("/in #a hello a");
        assertThat(alice.awaitIn("#a", ServerLine.Chat.class).text()).isEqualTo("hello a");
        alice.send("/in #a /me waves");
        assertThat(alice.awaitIn("#a", ServerLine.Action.class).text()).isEqualTo("waves");
        alice.send("still in b");   // the current room did not change
        assertThat(alice.awaitIn("#b", ServerLine.Chat.class).text()).isEqualTo("still in b");
        alice.send("/in #lobby back home");
        assertThat(alice.await(ServerLine.Chat.class).text()).isEqualTo("back home");
        alice.send("/in #a /part");   // leaving another room keeps the current one
        alice.awaitIn("#a", ServerLine.Left.class);
        alice.send("still b");
        assertThat(alice.awaitIn("#b", ServerLine.Chat.class).text()).isEqualTo("still b");
    }

    @Test
    void part_leavesTheRoomAndTellsEveryone() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        alice.join("#a");
        bob.send("/join #a");
        alice.awaitIn("#a", ServerLine.Joined.class);
        bob.send("/part");
        assertThat(alice.awaitIn("#a", ServerLine.Left.class)).extracting(ServerLine.Left::name, ServerLine.Left::reason)
                .containsExactly("bob", "part");
        assertThat(bob.awaitIn("#a", ServerLine.Left.class).name()).isEqualTo("bob");
        bob.send("/in #a hello?");
        assertThat(bob.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
    }

    @Test
    void emptyRoom_disappearsWithItsTopic() throws IOException {
        WireClient alice = server.register("alice");
        alice.join("#tmp");
        alice.send("/topic short-lived");
        alice.awaitIn("#tmp", ServerLine.TopicChanged.class);
        alice.send("/part #tmp");
        alice.awaitIn("#tmp", ServerLine.Left.class);
        alice.send("/rooms");
        assertThat(alice.await(ServerLine.RoomList.class).count()).isEqualTo(1);
        assertThat(alice.await(ServerLine.RoomEntry.class).room()).isEqualTo("#lobby");
        alice.send("/join #tmp");
        assertThat(alice.awaitIn("#tmp", ServerLine.Topic.class).text()).isEmpty();
    }

    @Test
    void rooms_listsRoomsWithCountsAndTopics() throws IOException {
        WireClient alice = server.register("alice");
        server.register("bob");
        alice.join("#dev");
        alice.send("/topic release on Friday");
        alice.awaitIn("#dev", ServerLine.TopicChanged.class);
        alice.send("/rooms");
        assertThat(alice.await(ServerLine.RoomList.class).count()).isEqualTo(2);
        ServerLine entry = alice.next();
        assertThat(entry).isEqualTo(new ServerLine.RoomEntry(entry.time(), "#dev", 1, "release on Friday"));
    }

    @Test
    void roomErrors_sayWhatIsWrong() throws IOException {
        WireClient alice = server.register("alice");
        alice.send("/join lobby");
        assertThat(alice.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.ROOM_INVALID);
        alice.send("/who #nowhere");
        assertThat(alice.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NO_SUCH_ROOM);
        WireClient bob = server.register("bob");
        bob.join("#bobs");
        alice.send("/part #bobs");
        assertThat(alice.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
        alice.send("/part");
        awaitLeftLobby(alice);
        alice.send("talking to nobody");
        ServerLine.Error error = alice.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.NOT_IN_ROOM);
        assertThat(error.text()).contains("/join");
    }

    /** Registers {@code name} and returns the names it is told are in the lobby. */
    private List<String> namesOnJoining(String name) throws IOException {
        WireClient client = server.connect();
        client.send(name);
        return client.await(ServerLine.Online.class).names();
    }

    private static void awaitLeftLobby(WireClient client) throws IOException {
        while (!(client.next() instanceof ServerLine.Left)) {
            // Reading on.
        }
    }

    @Test
    void topic_isAnnouncedAndShownOnJoin() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        alice.send("/topic welcome to the lobby");
        assertThat(bob.await(ServerLine.TopicChanged.class))
                .extracting(ServerLine.TopicChanged::name, ServerLine.TopicChanged::text)
                .containsExactly("alice", "welcome to the lobby");
        WireClient carol = server.connect();
        carol.send("carol");
        assertThat(carol.await(ServerLine.Topic.class).text()).isEqualTo("welcome to the lobby");
        bob.send("/topic");
        assertThat(bob.await(ServerLine.Topic.class).text()).isEqualTo("welcome to the lobby");
    }

    @Test
    void nick_isSeenByRoomMatesOnceAndFreesTheOldName() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        alice.join("#dev");
        bob.send("/join #dev");
        alice.awaitIn("#dev", ServerLine.Joined.class);
        alice.send("/nick Alicia");
        assertThat(bob.await(ServerLine.NickChanged.class))
                .extracting(ServerLine.NickChanged::from, ServerLine.NickChanged::to).containsExactly("alice", "Alicia");
        assertThat(alice.await(ServerLine.NickChanged.class).to()).isEqualTo("Alicia");
        alice.send("renamed");
        assertThat(bob.awaitIn("#dev", ServerLine.Chat.class).from()).isEqualTo("Alicia");
        sync(bob, "marker");
        assertThat(bob.seen()).filteredOn(line -> line.contains("is now known as")).hasSize(1);
        server.register("alice");   // the old name is free
        bob.send("/nick Alicia");
        assertThat(bob.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NAME_TAKEN);
        bob.send("/nick bad name");
        assertThat(bob.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NAME_INVALID);
    }

    @Test
    void nick_keepsTheRoomsNameListInOrderAndTheRenamedUserAMember() throws IOException {
        WireClient alice = server.register("alice");
        server.register("carol");
        alice.send("/nick zed");
        alice.await(ServerLine.NickChanged.class);
        assertThat(namesOnJoining("Bob")).containsExactly("Bob", "carol", "zed");
        alice.send("/part #lobby");
        awaitLeftLobby(alice);
        assertThat(namesOnJoining("dave")).containsExactly("Bob", "carol", "dave");
    }

    @Test
    void nick_isRecordedInChatLog() throws IOException {
        WireClient alice = server.register("renamer");
        alice.send("/nick renamed-one");
        alice.await(ServerLine.NickChanged.class);
        Path chatLog = Path.of(System.getProperty("chat.log.file"));
        assertThat(Files.readString(chatLog, StandardCharsets.UTF_8)).contains("*** renamer is now known as renamed-one");
    }

    @Test
    void me_showsAnAction() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        alice.send("/me waves");
        assertThat(bob.await(ServerLine.Action.class)).extracting(ServerLine.Action::name, ServerLine.Action::text)
                .containsExactly("alice", "waves");
        assertThat(bob.seen().getLast()).endsWith("* alice waves");
    }

    @Test
    void away_isShownInWhoAndToWhoeverSendsAPrivateMessage() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        bob.send("/away lunch, back at 2");
        assertThat(bob.await(ServerLine.Info.class).text()).contains("away");
        alice.send("/msg bob are you there?");
        alice.await(ServerLine.PrivateSent.class);
        ServerLine away = alice.next();
        assertThat(away).isEqualTo(new ServerLine.Away(away.time(), "bob", "lunch, back at 2"));
        alice.send("/who");
        assertThat(alice.await(ServerLine.Online.class).names()).containsExactly("alice", "bob");
        assertThat(alice.await(ServerLine.Away.class).name()).isEqualTo("bob");
        bob.send("/away");
        assertThat(bob.await(ServerLine.Info.class).text()).contains("back");
        alice.send("/msg bob and now?");
        alice.await(ServerLine.PrivateSent.class);
        sync(alice, "marker");
        assertThat(alice.seen().stream().filter(line -> line.contains("is away"))).hasSize(2);
    }

    @Test
    void history_isReplayedOnJoinMarkedWithDateInOrderAndBounded() throws IOException {
        server.configure(config -> config.historyLength(3));
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        alice.join("#dev");
        for (int i = 1; i <= 5; i++) {
            alice.send("line " + i);
        }
        alice.send("/me is done");
        alice.send("/msg bob private, never replayed");
        alice.awaitIn("#dev", ServerLine.Action.class);
        alice.await(ServerLine.PrivateSent.class);

        WireClient carol = server.register("carol");
        carol.send("/join #dev");
        List<ServerLine.History> history = new ArrayList<>();
        for (ServerLine line; !((line = carol.next()) instanceof ServerLine.InRoom(String room, ServerLine.Online online)); ) {
            if (line instanceof ServerLine.History replayed) {
                history.add(replayed);
            }
        }
        // History comes after the Online list: read the three lines after it.
        for (int i = 0; i < 3; i++) {
            history.add((ServerLine.History) carol.next());
        }
        assertThat(history).extracting(h -> ((ServerLine.InRoom) h.line()).line().body())
                .containsExactly("alice: line 4", "alice: line 5", "* alice is done");
        assertThat(carol.seen()).anySatisfy(line -> assertThat(line).matches(
                "\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\] \\[history\\] #dev alice: line 4"));
        assertThat(carol.seen()).noneMatch(line -> line.contains("never replayed"));
    }

    @Test
    void roomUnawareClient_seesOnlyCoreLinesWhileOthersUseRooms() throws IOException {
        WireClient plain = server.register("plain");
        WireClient alice = server.register("alice");
        alice.send("/join #dev");
        alice.send("/in #dev only for dev");
        alice.awaitIn("#dev", ServerLine.Chat.class);
        alice.send("/in #lobby hello lobby");
        assertThat(plain.await(ServerLine.Chat.class).text()).isEqualTo("hello lobby");
        assertThat(plain.seen()).noneMatch(line -> line.contains("#dev"));
        assertThat(plain.seen()).allSatisfy(line -> assertThat(ServerLine.parse(line))
                .isNotInstanceOf(ServerLine.InRoom.class).isNotInstanceOf(ServerLine.Unknown.class));
    }

    @Test
    void motd_isShownAfterRegistration() throws IOException {
        Path motd = server.file("motd.txt", "Maintenance on Sunday.\n");
        server.configure(config -> config.motdFile(motd));
        WireClient alice = server.connect();
        alice.send("alice");
        alice.await(ServerLine.Welcome.class);
        List<String> info = new ArrayList<>();
        info.add(alice.await(ServerLine.Info.class).text());
        info.add(alice.await(ServerLine.Info.class).text());
        assertThat(info).containsExactly("Type /help for the commands.", "Maintenance on Sunday.");
    }
}
