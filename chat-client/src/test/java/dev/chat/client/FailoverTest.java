package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A client given several servers: signs on to the first that answers, and moves to the next when its server goes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailoverTest {

    @RegisterExtension
    final TestServer first = TestServer.create();
    @RegisterExtension
    final TestServer second = TestServer.create();

    @TempDir
    Path directory;

    private final Recorder events = new Recorder();
    private final ChatClient client = new ChatClient(ChatClient.Settings.defaults(), events);

    @AfterEach
    void stop() {
        client.close();
    }

    private static Endpoint at(TestServer server) {
        return Endpoint.plain("127.0.0.1", server.port());
    }

    /** A port nothing listens on. */
    private static Endpoint nobody() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return Endpoint.plain("127.0.0.1", probe.getLocalPort());
        }
    }

    private void joinAndWait(String room) throws IOException {
        client.send("/join " + room);
        events.await(ClientEvent.MembersChanged.class, changed -> changed.room().equals(room));
    }

    @Test
    void aLostServer_isLeftForTheNextOfTheList_withTheSameNameAndTheRoomsItWasIn() throws Exception {
        Endpoint one = at(first);
        Endpoint two = at(second);
        assertThat(client.signOn(List.of(one, two), "alice", null, Login.Prompts.NOBODY))
                .isEqualTo(new Login.Outcome.SignedOn("alice"));
        assertThat(client.server()).isEqualTo(one);
        joinAndWait("#dev");
        joinAndWait("#ops");
        client.send("/join #dev");
        events.await(ClientEvent.RoomsChanged.class, changed -> changed.rooms().isCurrent("#dev"));
        events.clear();

        first.stop();

        assertThat(events.await(ClientEvent.ConnectionLost.class)).isEqualTo(new ClientEvent.ConnectionLost(one, two));
        ClientEvent.Reconnected back = events.await(ClientEvent.Reconnected.class);
        assertThat(back.state().endpoint()).isEqualTo(two);
        assertThat(back.state().name()).isEqualTo("alice");
        events.await(ClientEvent.RoomsChanged.class, changed -> changed.rooms().isCurrent("#dev")
                && changed.rooms().isIn("#ops"));
        assertThat(events.all(ClientEvent.ConnectionChanged.class))
                .as("the other server is tried at once, without counting down")
                .noneMatch(changed -> changed.state() instanceof ConnectionState.Reconnecting);
        WireClient bob = second.register("bob");
        bob.send("/who #ops");
        assertThat(bob.awaitIn("#ops", ServerLine.Online.class).names()).containsExactly("alice");
        bob.join("#dev");
        client.send("on the second server");
        assertThat(bob.awaitIn("#dev", ServerLine.Chat.class).text()).isEqualTo("on the second server");
    }

    @Test
    void signingOn_passesAServerThatIsDown_andTellsWhy() throws Exception {
        Endpoint down = nobody();
        Endpoint two = at(second);

        assertThat(client.signOn(List.of(down, two), "alice", null, Login.Prompts.NOBODY))
                .isEqualTo(new Login.Outcome.SignedOn("alice"));

        assertThat(client.server()).isEqualTo(two);
        ClientEvent.ServerFailed failed = events.await(ClientEvent.ServerFailed.class);
        assertThat(failed.endpoint()).isEqualTo(down);
        assertThat(failed.next()).isEqualTo(two);
        assertThat(failed.reason()).isEqualTo("Cannot connect to " + down + ": connection refused (is the server running?)");
        assertThat(second.userCount()).isEqualTo(1);
    }

    @Test
    void signingOn_whenNoServerAnswers_returnsTheLastOnesFailure() throws Exception {
        Endpoint down = nobody();
        Endpoint alsoDown = nobody();

        Login.Outcome outcome = client.signOn(List.of(down, alsoDown), "alice", null, Login.Prompts.NOBODY);

        assertThat(outcome).isInstanceOfSatisfying(Login.Outcome.Unreachable.class,
                unreachable -> assertThat(unreachable.failure().port()).isEqualTo(alsoDown.port()));
        assertThat(client.server()).isEqualTo(alsoDown);
        assertThat(events.all(ClientEvent.ServerFailed.class)).hasSize(1);
    }

    @Test
    void aNameTheUserDidNotGive_isNotAskedForAgainByTheNextServer() throws Exception {
        int[] asked = {0};
        Login.Outcome outcome = client.signOn(List.of(at(first), at(second)), null, null, new Login.Prompts() {
            @Override
            public String name() {
                asked[0]++;
                return null;
            }
        });

        assertThat(outcome).isInstanceOf(Login.Outcome.Unreachable.class);
        assertThat(asked[0]).isEqualTo(1);
        assertThat(client.server()).isEqualTo(at(first));
    }

    @Test
    void afterARoundWithoutAnswer_theWaitComesBeforeTheServerLost() throws Exception {
        Endpoint down = nobody();
        Endpoint two = at(second);
        client.signOn(List.of(two, down), "alice", null, Login.Prompts.NOBODY);

        second.stop();
        events.await(ClientEvent.ReconnectFailed.class, failed -> failed.attempt() == 1);
        events.await(ClientEvent.ConnectionChanged.class,
                changed -> changed.state() instanceof ConnectionState.Reconnecting counting && counting.attempt() == 2);
        second.start();

        ClientEvent.Reconnected back = events.await(ClientEvent.Reconnected.class);
        assertThat(back.state().endpoint()).isEqualTo(two);
        ClientEvent.ReconnectFailed failed = events.first(ClientEvent.ReconnectFailed.class, any -> true);
        assertThat(failed.reason()).startsWith("Cannot connect to " + down);
        assertThat(failed.next()).isEqualTo(two);
        List<ConnectionState.Reconnecting> countdowns = events.all(ClientEvent.ConnectionChanged.class).stream()
                .map(ClientEvent.ConnectionChanged::state)
                .filter(ConnectionState.Reconnecting.class::isInstance)
                .map(ConnectionState.Reconnecting.class::cast)
                .toList();
        // A slow restart may take more rounds; each waits before the server lost only.
        assertThat(countdowns).as("no wait before the other server, the first of a second before the server lost")
                .first().isEqualTo(new ConnectionState.Reconnecting(two, 2, Duration.ofSeconds(1)));
        assertThat(countdowns).allSatisfy(counting -> assertThat(counting.endpoint()).isEqualTo(two));
    }

    @Test
    void aServerWhoseCertificateWasNeverTrusted_isPassedOver_andTheServerLostComesBack() throws Exception {
        ServerTrust trust = new ServerTrust(null, new KnownServers(directory.resolve("known-servers")));
        first.tls();
        second.tls();
        Endpoint one = Endpoint.tls("127.0.0.1", first.tlsPort(), trust);
        Endpoint two = Endpoint.tls("127.0.0.1", second.tlsPort(), trust);
        client.signOn(List.of(one, two), "alice", null, new Login.Prompts() {
            @Override
            public boolean trustFirstTime(String host, int port, String fingerprint) {
                return port == one.port();
            }
        });

        first.stop();
        ClientEvent.ReconnectFailed passed = events.await(ClientEvent.ReconnectFailed.class);
        first.start();

        assertThat(passed.reason()).isEqualTo("Cannot connect to " + two
                + ": the server's certificate is not trusted (connect to it once to trust it)");
        assertThat(passed.next()).isEqualTo(one);
        assertThat(events.await(ClientEvent.Reconnected.class).state().endpoint()).isEqualTo(one);
        assertThat(events.all(ClientEvent.ReconnectStopped.class)).isEmpty();
        assertThat(second.userCount()).isZero();
    }
}
