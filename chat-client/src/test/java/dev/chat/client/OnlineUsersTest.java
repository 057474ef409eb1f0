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

    private static final LocalTime T = LocalTime.of(12, 0);

    private final OnlineUsers users = new OnlineUsers();

    @Test
    void nickChanged_renamesSomeoneHere() {
        users.apply(new ServerLine.Online(T, List.of("alice", "bob")));

        assertThat(users.apply(new ServerLine.NickChanged(T, "bob", "Robert"))).isTrue();

        assertThat(users.names()).containsExactly("alice", "Robert");
        assertThat(users.contains("bob")).isFalse();
    }

    @Test
    void nickChanged_ofSomeoneNotHere_changesNothing() {
        users.apply(new ServerLine.Online(T, List.of("alice")));

        assertThat(users.apply(new ServerLine.NickChanged(T, "carol", "caro"))).isFalse();

        assertThat(users.names()).containsExactly("alice");
    }

    @Test
    void linesOfOtherRooms_changeNothing() {
        users.apply(new ServerLine.Online(T, List.of("alice")));

        assertThat(users.apply(new ServerLine.InRoom("#dev", new ServerLine.Joined(T, "bob")))).isFalse();
        assertThat(users.apply(new ServerLine.InRoom("#dev", new ServerLine.Left(T, "alice", "part")))).isFalse();

        assertThat(users.names()).containsExactly("alice");
    }
}
