package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ServerLine;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JoinedRoomsTest {

    private static final LocalTime NOON = LocalTime.NOON;
    private static final String LOBBY = JoinedRooms.DEFAULT_ROOM;

    private final JoinedRooms rooms = new JoinedRooms();

    @BeforeEach
    void registered() {
        rooms.apply(new ServerLine.Welcome(NOON, "alice"), null);
    }

    private boolean apply(ServerLine line) {
        return rooms.apply(line, "alice");
    }

    private static ServerLine in(String room, ServerLine line) {
        return new ServerLine.InRoom(room, line);
    }

    @Test
    void afterRegistrationTheDefaultRoomIsCurrent() {
        assertThat(rooms.current()).isEqualTo(LOBBY);
        assertThat(rooms.joined()).containsExactly(LOBBY);
    }

    @Test
    void ownJoinMakesTheRoomCurrentOthersJoinsDoNot() {
        assertThat(apply(in("#dev", new ServerLine.Joined(NOON, "ALICE")))).isTrue();
        assertThat(apply(in("#ops", new ServerLine.Joined(NOON, "bob")))).isFalse();
        assertThat(rooms.current()).isEqualTo("#dev");
        assertThat(rooms.joined()).containsExactly(LOBBY, "#dev");
    }

    @Test
    void partingTheCurrentRoomMakesTheLastJoinedCurrentAsTheServerDoes() {
        apply(in("#dev", new ServerLine.Joined(NOON, "alice")));
        apply(in("#ops", new ServerLine.Joined(NOON, "alice")));
        assertThat(apply(in("#ops", new ServerLine.Left(NOON, "alice", "part")))).isTrue();
        assertThat(rooms.current()).isEqualTo("#dev");
        assertThat(apply(new ServerLine.Left(NOON, "alice", "part"))).isFalse();
        assertThat(rooms.joined()).containsExactly("#dev");
        apply(in("#dev", new ServerLine.Left(NOON, "alice", "part")));
        assertThat(rooms.current()).isNull();
    }

    @Test
    void joiningARoomAlreadyJoinedSwitchesToIt() {
        apply(in("#dev", new ServerLine.Joined(NOON, "alice")));
        assertThat(rooms.sent("/join #LOBBY")).isTrue();
        assertThat(rooms.current()).isEqualTo(LOBBY);
        assertThat(rooms.sent("/join #new")).as("a new room waits for the server's join line").isFalse();
        assertThat(rooms.sent("/in #lobby /join #dev")).isTrue();
        assertThat(rooms.current()).isEqualTo("#dev");
        assertThat(rooms.sent("/in #lobby /join #lobby")).isFalse();
        assertThat(rooms.sent("/join")).isFalse();
        assertThat(rooms.current()).isEqualTo("#dev");
    }

    @Test
    void rejoinLinesRestoreTheRoomsWithTheCurrentOneLast() {
        assertThat(rooms.rejoinLines()).isEmpty();
        apply(in("#dev", new ServerLine.Joined(NOON, "alice")));
        apply(in("#ops", new ServerLine.Joined(NOON, "alice")));
        rooms.sent("/join #dev");
        assertThat(rooms.rejoinLines()).containsExactly("/join #ops", "/join #dev");
        rooms.sent("/join #lobby");
        assertThat(rooms.rejoinLines()).containsExactly("/join #dev", "/join #ops", "/join #lobby");
        apply(new ServerLine.Left(NOON, "alice", "part"));
        assertThat(rooms.rejoinLines()).containsExactly("/part", "/join #dev", "/join #ops");
    }

    @Test
    void roomsListedByTheServerAreKnownUntilTheNextList() {
        apply(new ServerLine.RoomList(NOON, 2));
        apply(new ServerLine.RoomEntry(NOON, "#lobby", 3, ""));
        apply(new ServerLine.RoomEntry(NOON, "#dev", 1, "release"));
        assertThat(rooms.known()).containsExactly("#dev", LOBBY);
        apply(new ServerLine.RoomList(NOON, 1));
        apply(new ServerLine.RoomEntry(NOON, "#ops", 1, ""));
        assertThat(rooms.known()).containsExactly(LOBBY, "#ops");
    }

    @Test
    void roomOfALine() {
        assertThat(JoinedRooms.roomOf(in("#dev", new ServerLine.Chat(NOON, "bob", "hi")))).isEqualTo("#dev");
        assertThat(JoinedRooms.roomOf(new ServerLine.Action(NOON, "bob", "waves"))).isEqualTo(LOBBY);
        assertThat(JoinedRooms.roomOf(new ServerLine.History(NOON.atDate(java.time.LocalDate.EPOCH),
                in("#dev", new ServerLine.Chat(NOON, "bob", "hi"))))).isEqualTo("#dev");
        for (ServerLine none : List.of(new ServerLine.PrivateMessage(NOON, "bob", "hi"),
                new ServerLine.NickChanged(NOON, "bob", "rob"), new ServerLine.Info(NOON, "help"),
                new ServerLine.Online(NOON, List.of("bob")))) {
            assertThat(JoinedRooms.roomOf(none)).as(none.body()).isNull();
        }
    }
}
