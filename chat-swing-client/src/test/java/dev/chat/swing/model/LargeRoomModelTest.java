package dev.chat.swing.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.testkit.TestServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model's user list of a large room (more than 3 members here): a count, and names found by asking the server. */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class LargeRoomModelTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0).largeRoomSize(3));

    @RegisterExtension
    final ModelUnderTest under = new ModelUnderTest();
    private final RecordingListener events = under.events;
    private final ChatModel model = under.model;

    private void connectAs(String name) {
        under.connectAs(server.port(), name);
    }

    private ModelEvent.NamesFound awaitFound(String prefix) {
        return await().atMost(WAIT).until(() -> events.found.stream().filter(found -> found.prefix().equals(prefix))
                .findFirst().orElse(null), found -> found != null);
    }

    @Test
    void aLargeRoom_isACountWithoutNames_andFindNamesAsksTheServer() throws IOException {
        for (String name : List.of("bob", "Carl", "carol")) {
            server.register(name);
        }
        connectAs("alice");
        await().atMost(WAIT).until(() -> events.usersChanged.get(ChatModel.ROOM) != null);
        ModelEvent.UsersChanged users = events.usersChanged.get(ChatModel.ROOM);
        assertThat(users.names()).isEmpty();
        assertThat(users.total()).isEqualTo(4);
        assertThat(users.large()).isTrue();
        assertThat(events.in(ChatModel.ROOM)).anyMatch(entry -> entry.text().equals("Online: 4 people in #lobby"));

        model.findNames(ChatModel.ROOM, "CA");
        assertThat(awaitFound("CA").names()).containsExactly("Carl", "carol");
        // The server's answer is no line of the conversation.
        assertThat(events.in(ChatModel.ROOM)).noneMatch(entry -> entry.text().startsWith("Names page"));
        model.findNames(ChatModel.ROOM, "");
        assertThat(awaitFound("").names()).isEmpty();
    }

    @Test
    void aRoomThatIsNotLarge_findsNamesAmongItsMembersWithoutAsking() throws IOException {
        server.register("bob");
        server.register("Betty");
        connectAs("alice");
        await().atMost(WAIT).until(() -> events.currentUsers().size() == 3);
        assertThat(events.usersChanged.get(ChatModel.ROOM).large()).isFalse();

        model.findNames(ChatModel.ROOM, "b");
        assertThat(awaitFound("b").names()).containsExactly("Betty", "bob");
        model.findNames(ChatModel.ROOM, "");
        assertThat(awaitFound("").names()).containsExactly("alice", "Betty", "bob");
    }

    @Test
    void findNames_inAConversationThatIsNoRoom_findsNobody() throws IOException {
        server.register("bob");
        connectAs("alice");
        model.openConversation("bob");
        model.findNames("bob", "b");
        assertThat(awaitFound("b").names()).isEmpty();
    }
}
