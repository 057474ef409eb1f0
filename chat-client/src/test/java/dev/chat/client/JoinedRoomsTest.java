package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rooms a user is in, kept as the server keeps them, and what brings them back after a reconnection. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JoinedRoomsTest {

    private static final String LOBBY = "#lobby";

    private final JoinedRooms rooms = new JoinedRooms();

    @BeforeEach
    void signedOn() {
        rooms.signedOn("alice");
    }

    @Test
    void afterSigningOnTheDefaultRoomIsTheOnlyOne_andCurrent() {
        assertThat(rooms.snapshot().current()).isEqualTo(LOBBY);
        assertThat(rooms.snapshot().joined()).containsExactly(LOBBY);
        assertThat(rooms.members(LOBBY).names()).containsExactly("alice");
    }

    @Test
    void theServerNamingItsDefaultRoom_renamesItInPlace() {
        rooms.entered("#dev");
        rooms.replaceMembers(LOBBY, List.of("alice", "bob"));

        assertThat(rooms.nameDefault("#main")).isTrue();

        Rooms now = rooms.snapshot();
        assertThat(now.defaultRoom()).isEqualTo("#main");
        assertThat(now.joined()).containsExactly("#main", "#dev");
        assertThat(now.membersOf("#main").names()).containsExactly("alice", "bob");
        assertThat(rooms.nameDefault("#main")).as("the same name again changes nothing").isFalse();
    }

    @Test
    void enteringARoomMakesItCurrent_andLeavingTheCurrentOneMakesTheLastJoinedCurrent() {
        rooms.entered("#dev");
        rooms.entered("#ops");
        assertThat(rooms.snapshot().current()).isEqualTo("#ops");

        rooms.left("#ops");
        assertThat(rooms.snapshot().current()).isEqualTo("#dev");
        rooms.left(LOBBY);
        assertThat(rooms.snapshot().joined()).containsExactly("#dev");
        rooms.left("#dev");
        assertThat(rooms.snapshot().current()).isNull();
    }

    @Test
    void joiningARoomAlreadyJoined_switchesToIt() {
        rooms.entered("#dev");
        assertThat(rooms.sent("/join #LOBBY")).isTrue();
        assertThat(rooms.snapshot().current()).isEqualTo(LOBBY);
        assertThat(rooms.sent("/join #new")).as("a new room waits for the server's join line").isFalse();
        assertThat(rooms.sent("/in #lobby /join #dev")).isTrue();
        assertThat(rooms.snapshot().current()).isEqualTo("#dev");
        assertThat(rooms.sent("/in #lobby /join #lobby")).isFalse();
        assertThat(rooms.sent("/join")).isFalse();
        assertThat(rooms.snapshot().current()).isEqualTo("#dev");
    }

    @Test
    void rejoinLinesRestoreTheRoomsWithTheCurrentOneLast() {
        assertThat(rooms.rejoin().lines(LOBBY)).isEmpty();
        rooms.entered("#dev");
        rooms.entered("#ops");
        rooms.sent("/join #dev");
        assertThat(rooms.rejoin().lines(LOBBY)).containsExactly("/join #ops", "/join #dev");
        rooms.sent("/join #lobby");
        assertThat(rooms.rejoin().lines(LOBBY)).containsExactly("/join #dev", "/join #ops", "/join #lobby");
        rooms.left(LOBBY);
        assertThat(rooms.rejoin().lines(LOBBY)).containsExactly("/part #lobby", "/join #dev", "/join #ops");
    }

    @Test
    void aRoomLeftWhileDisconnected_dropsOutOfTheRejoin() {
        rooms.entered("#dev");
        rooms.entered("#ops");
        JoinedRooms.Rejoin rejoin = rooms.rejoin();

        assertThat(rejoin.without("#ops", LOBBY).lines(LOBBY)).containsExactly("/join #dev");
        assertThat(rejoin.without(LOBBY, LOBBY).lines(LOBBY))
                .containsExactly("/part #lobby", "/join #dev", "/join #ops");
    }

    @Test
    void membersFollowJoinsLeavesAndRenames_inTheUsersRoomsOnly() {
        rooms.entered("#dev");
        rooms.replaceMembers("#dev", List.of("alice", "bob"));

        assertThat(rooms.memberJoined("#dev", "carol")).isTrue();
        assertThat(rooms.memberJoined("#elsewhere", "carol")).isFalse();
        assertThat(rooms.renamed("bob", "rob")).containsExactly("#dev");
        assertThat(rooms.memberLeft("#dev", "carol")).isTrue();
        assertThat(rooms.snapshot().membersOf("#dev").names()).containsExactly("alice", "rob");
        assertThat(rooms.renamed("nobody", "somebody")).isEmpty();
    }

    @Test
    void roomsListedByTheServerAreKnownUntilTheNextList() {
        rooms.listingStarted();
        rooms.listed(LOBBY);
        rooms.listed("#dev");
        assertThat(rooms.snapshot().known()).containsExactly("#dev", LOBBY);
        rooms.listingStarted();
        rooms.listed("#ops");
        assertThat(rooms.snapshot().known()).containsExactly(LOBBY, "#ops");
    }
}
