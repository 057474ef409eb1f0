package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A lost session brought back by the client core: same name, same rooms, password again; and when it stops trying. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReconnectTest {

    @TempDir
    Path directory;

    @RegisterExtension
    final TestServer server = TestServer.create();

    private final Recorder events = new Recorder();
    private ChatClient client = new ChatClient(ChatClient.Settings.defaults(), events);

    @AfterEach
    void stop() {
        client.close();
    }

    private Endpoint endpoint() {
        return Endpoint.plain("127.0.0.1", server.port());
    }

    /** Stops the server and waits until the client has noticed. */
    private void loseTheServer() {
        server.stop();
        events.await(ClientEvent.ConnectionLost.class);
    }

    private void joinAndWait(String room) throws IOException {
        client.send("/join " + room);
        events.await(ClientEvent.MembersChanged.class, changed -> changed.room().equals(room));
    }

    @Test
    void aLostServer_isReconnectedTo_withTheSameNameAndTheRoomsItWasIn() throws Exception {
        client.signOn(endpoint(), "alice", null, Login.Prompts.NOBODY);
        joinAndWait("#dev");
        joinAndWait("#ops");
        client.send("/join #dev");
        events.await(ClientEvent.RoomsChanged.class, changed -> changed.rooms().isCurrent("#dev")
                && changed.rooms().isIn("#ops"));

        loseTheServer();
        assertThat(client.rooms().joined()).as("on the server the user is in no room now").isEmpty();
        events.await(ClientEvent.ConnectionChanged.class,
                changed -> changed.state() instanceof ConnectionState.Reconnecting);
        events.clear();
        server.start();

        ClientEvent.Reconnected back = events.await(ClientEvent.Reconnected.class);
        assertThat(back.state().name()).isEqualTo("alice");
        events.await(ClientEvent.RoomsChanged.class, changed -> changed.rooms().isCurrent("#dev")
                && changed.rooms().isIn("#ops"));
        assertThat(client.rooms().joined()).containsExactly("#lobby", "#ops", "#dev");
        assertThat(events.all(ClientEvent.RoomEntered.class)).containsExactly(
                new ClientEvent.RoomEntered("#lobby", true), new ClientEvent.RoomEntered("#ops", true),
                new ClientEvent.RoomEntered("#dev", true));
    }

    @Test
    void reconnectNow_skipsTheWait() throws Exception {
        client.signOn(endpoint(), "alice", null, Login.Prompts.NOBODY);
        loseTheServer();
        // Two failures: the next wait is four seconds.
        events.await(ClientEvent.ReconnectFailed.class, failed -> failed.attempt() == 2);
        server.start();

        assertThat(client.reconnectNow()).isTrue();

        events.await(ClientEvent.Reconnected.class);
        List<Duration> countedDown = events.all(ClientEvent.ConnectionChanged.class).stream()
                .filter(changed -> changed.state() instanceof ConnectionState.Reconnecting counting
                        && counting.attempt() == 3)
                .map(changed -> ((ConnectionState.Reconnecting) changed.state()).remaining())
                .toList();
        assertThat(countedDown).as("the third wait did not run down").containsExactly(Duration.ofSeconds(4));
    }

    @Test
    void theServersPassword_isGivenAgain() throws Exception {
        server.password("correct horse 7");
        client.signOn(endpoint(), "alice", null, new Login.Prompts() {
            @Override
            public String password(String where) {
                return "correct horse 7";
            }
        });
        loseTheServer();
        server.start();

        events.await(ClientEvent.Reconnected.class);
        assertThat(server.userCount()).isEqualTo(1);
    }

    @Test
    void aPasswordNoLongerTaken_stopsReconnecting_forTheUserToGiveAnother() throws Exception {
        server.password("first");
        client.signOn(endpoint(), "alice", "first", Login.Prompts.NOBODY);
        loseTheServer();
        server.file("password", "second\n");
        server.start();

        ClientEvent.ReconnectStopped stopped = events.await(ClientEvent.ReconnectStopped.class);

        assertThat(stopped.outcome()).isInstanceOfSatisfying(Login.Outcome.PasswordWanted.class,
                wanted -> assertThat(wanted.wrong()).isTrue());
        events.await(ClientEvent.ConnectionChanged.class, c -> c.state() instanceof ConnectionState.Offline);
        assertThat(client.signOn(endpoint(), "alice", "second", Login.Prompts.NOBODY))
                .isEqualTo(new Login.Outcome.SignedOn("alice"));
    }

    @Test
    void aNewCertificate_stopsReconnecting_withoutAskingAnyone() throws Exception {
        KnownServers known = new KnownServers(directory.resolve("known-servers"));
        server.tls();
        int port = server.tlsPort();
        Endpoint endpoint = Endpoint.tls("127.0.0.1", port, new ServerTrust(null, known));
        client.signOn(endpoint, "alice", null, new Login.Prompts() {
            @Override
            public boolean trustFirstTime(String host, int atPort, String fingerprint) {
                return true;
            }
        });
        loseTheServer();
        // A new certificate, made at the next start.
        try (var made = Files.walk(server.directory().resolve("tls"))) {
            made.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        server.start();

        ClientEvent.ReconnectStopped stopped = events.await(ClientEvent.ReconnectStopped.class);

        assertThat(stopped.outcome()).isInstanceOfSatisfying(Login.Outcome.TrustNeeded.class, needed ->
                assertThat(needed.failure().reason()).isEqualTo(ConnectFailedException.Reason.CERTIFICATE_CHANGED));
        assertThat(server.userCount()).isZero();
    }

    @Test
    void withoutReconnecting_aLostServerEndsTheSession() throws Exception {
        client = new ChatClient(ChatClient.Settings.defaults().withReconnect(false), events);
        client.signOn(endpoint(), "alice", null, Login.Prompts.NOBODY);

        loseTheServer();

        events.await(ClientEvent.ConnectionChanged.class, c -> c.state() instanceof ConnectionState.Offline);
        assertThat(events.all(ClientEvent.ConnectionChanged.class))
                .noneMatch(changed -> changed.state() instanceof ConnectionState.Reconnecting);
        assertThat(client.awaitSignedOn(Duration.ofMillis(100))).isFalse();
    }

    @Test
    void aRoomLeftWhileDisconnected_isNotJoinedAgain() throws Exception {
        client.signOn(endpoint(), "alice", null, Login.Prompts.NOBODY);
        joinAndWait("#dev");
        joinAndWait("#ops");
        loseTheServer();

        client.part("#ops");
        server.start();

        events.await(ClientEvent.Reconnected.class);
        events.await(ClientEvent.RoomEntered.class, entered -> entered.room().equals("#dev") && entered.rejoined());
        assertThat(client.awaitSignedOn(Duration.ofSeconds(1))).isTrue();
        client.send("/rooms");
        events.awaitLine(dev.chat.protocol.ServerLine.RoomEntry.class, entry -> entry.room().equals("#dev"));
        assertThat(client.rooms().joined()).containsExactly("#lobby", "#dev");
    }
}
