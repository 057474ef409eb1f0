package dev.chat.swing.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.testkit.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The model given several servers in its host: the first that answers, and what the dialog is told when none does. */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class ChatModelFailoverTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final TestServer server = TestServer.create();

    @RegisterExtension
    final ModelUnderTest under = new ModelUnderTest();
    private final RecordingListener events = under.events;
    private final ChatModel model = under.model;

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    @Test
    void aServerThatIsDown_isPassed_andSaidSoInTheDefaultRoom() throws IOException {
        int down = closedPort();

        model.connect("127.0.0.1:" + down + ", 127.0.0.1", server.port(), false, null, "alice");

        await().atMost(WAIT).until(() -> !events.outcomes.isEmpty());
        assertThat(events.outcomes).containsExactly(
                new ConnectOutcome.Connected("127.0.0.1", server.port(), false, "alice"));
        String passed = "Cannot connect to 127.0.0.1:" + down + ": connection refused (is the server running?);"
                + " trying 127.0.0.1:" + server.port() + ".";
        await().atMost(WAIT).until(() -> events.in(ChatModel.ROOM).stream().anyMatch(e -> e.text().equals(passed)));
    }

    @Test
    void whenNoServerAnswers_theOutcomeSaysSo_withTheLastOnesReason() throws IOException {
        int down = closedPort();
        int alsoDown = closedPort();

        model.connect("127.0.0.1:" + down + ",127.0.0.1:" + alsoDown, 5555, false, null, "alice");

        await().atMost(WAIT).until(() -> !events.outcomes.isEmpty());
        assertThat(events.outcomes).containsExactly(new ConnectOutcome.Unreachable("None of the 2 servers answered."
                + " The last: Cannot connect to 127.0.0.1:" + alsoDown + ": connection refused (is the server running?)."));
    }

    @Test
    void aListThatCannotBeRead_isRefusedInWordsForTheDialog() {
        model.connect("127.0.0.1:http", 5555, false, null, "alice");

        await().atMost(WAIT).until(() -> !events.outcomes.isEmpty());
        assertThat(events.outcomes).containsExactly(
                new ConnectOutcome.Unreachable("The port of \"127.0.0.1:http\" is not a number from 1 to 65535."));
    }
}
