package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ServerLine;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OnlineUsersTest {

    private static final LocalTime NOON = LocalTime.NOON;

    private final OnlineUsers online = new OnlineUsers();

    @Test
    void onlineListJoinsAndLeavesKeepTheNamesCurrent() {
        assertThat(online.apply(new ServerLine.Online(NOON, List.of("alice", "bob")))).isTrue();
        assertThat(online.apply(new ServerLine.Joined(NOON, "Carol"))).isTrue();
        assertThat(online.apply(new ServerLine.Left(NOON, "bob", "quit"))).isTrue();
        assertThat(online.names()).containsExactly("alice", "Carol");
    }

    @Test
    void nickChange_renamesSomeoneKnown() {
        online.apply(new ServerLine.Online(NOON, List.of("alice", "bob")));

        assertThat(online.apply(new ServerLine.NickChanged(NOON, "BOB", "robert"))).isTrue();

        assertThat(online.names()).containsExactly("alice", "robert");
        assertThat(online.contains("bob")).isFalse();
    }

    @Test
    void nickChange_ofSomeoneNotInTheDefaultRoomChangesNothing() {
        online.apply(new ServerLine.Online(NOON, List.of("alice", "bob")));

        assertThat(online.apply(new ServerLine.NickChanged(NOON, "dave", "david"))).isFalse();

        assertThat(online.names()).containsExactly("alice", "bob");
    }

    @Test
    void linesOfOtherRoomsAreIgnored() {
        online.apply(new ServerLine.Online(NOON, List.of("alice", "bob")));

        assertThat(online.apply(new ServerLine.InRoom("#dev", new ServerLine.Joined(NOON, "carol")))).isFalse();
        assertThat(online.apply(new ServerLine.InRoom("#dev", new ServerLine.Left(NOON, "bob", "part")))).isFalse();
        assertThat(online.apply(new ServerLine.InRoom("#dev", new ServerLine.Online(NOON, List.of("carol")))))
                .isFalse();

        assertThat(online.names()).containsExactly("alice", "bob");
    }
}
