package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.NatsServer;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients on two nodes of one cluster: private messages between key holders are sealed across
 * nodes, and a client given both nodes moves to the other when its node stops, with its name
 * and rooms, while the users of the other node see it leave and come back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterClientTest {

    @RegisterExtension
    static final NatsServer nats = new NatsServer();

    @RegisterExtension
    final TestServer east = node("east");
    @RegisterExtension
    final TestServer west = node("west");

    private final Recorder events = new Recorder();
    private final ChatClient client = new ChatClient(ChatClient.Settings.defaults(), events);

    private static TestServer node(String name) {
        return TestServer.create().inCluster(nats, name);
    }

    @AfterEach
    void stop() {
        client.close();
    }

    @TempDir
    Path homes;

    @Test
    void aPrivateMessageBetweenKeyHoldersOnTwoNodes_isSealed_andNeitherNodeLogsItsText() throws Exception {
        Recorder aliceEvents = new Recorder();
        Recorder bobEvents = new Recorder();
        Identity bobKeys = Identity.generate();
        try (ChatClient alice = withKeys(Identity.generate(), "alice", aliceEvents);
                ChatClient bob = withKeys(bobKeys, "bob", bobEvents)) {
            signOnWithKey(alice, aliceEvents, east, "alice");
            signOnWithKey(bob, bobEvents, west, "bob");
            // The key bob published on west is known on east once east has read it from the stream.
            WireClient observer = east.register("observer");
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                observer.send("/key bob");
                ServerLine answer = observer.await(line -> line instanceof ServerLine.KeyOf
                        || line instanceof ServerLine.NoKey);
                return answer instanceof ServerLine.KeyOf;
            });
            String text = "across the cluster " + UUID.randomUUID();

            alice.send("/msg bob " + text);

            ClientEvent.PrivateLine received = bobEvents.await(ClientEvent.PrivateLine.class,
                    pm -> pm.line() instanceof ServerLine.PrivateMessage && pm.line().body().endsWith(text));
            assertThat(received.privacy()).isEqualTo(Privacy.SEALED);
            assertThat(Files.readString(Path.of(System.getProperty("chat.log.file")), StandardCharsets.UTF_8))
                    .contains("sealed private message from alice to bob").doesNotContain(text);
        }
    }

    private ChatClient withKeys(Identity keys, String home, Recorder events) {
        return new ChatClient(ChatClient.Settings.defaults().withReconnect(false)
                .withIdentity(keys, KnownKeys.inHome(homes.resolve(home))), events);
    }

    private static void signOnWithKey(ChatClient client, Recorder events, TestServer node, String name)
            throws Exception {
        assertThat(client.signOn(Endpoint.plain("127.0.0.1", node.port()), name, null, Login.Prompts.NOBODY))
                .isEqualTo(new Login.Outcome.SignedOn(name));
        events.awaitLine(ServerLine.Published.class, line -> true);
    }

    @Test
    void whenItsNodeStops_theClientMovesToAnotherNodeOfTheCluster_withItsNameAndRooms() throws Exception {
        WireClient bob = west.register("bob");
        bob.join("#ops");
        Endpoint one = Endpoint.plain("127.0.0.1", east.port());
        Endpoint two = Endpoint.plain("127.0.0.1", west.port());
        assertThat(client.signOn(List.of(one, two), "alice", null, Login.Prompts.NOBODY))
                .isEqualTo(new Login.Outcome.SignedOn("alice"));
        client.send("/join #ops");
        events.await(ClientEvent.MembersChanged.class, changed -> changed.room().equals("#ops"));
        assertThat(bob.awaitIn("#ops", ServerLine.Joined.class).name()).isEqualTo("alice");

        east.stop();

        assertThat(bob.awaitIn("#ops", ServerLine.Left.class).reason()).isEqualTo("server shutdown");
        ClientEvent.Reconnected back = events.await(ClientEvent.Reconnected.class);
        assertThat(back.state().endpoint()).isEqualTo(two);
        assertThat(back.state().name()).isEqualTo("alice");
        assertThat(bob.awaitIn("#ops", ServerLine.Joined.class).name()).isEqualTo("alice");
        client.send("/in #ops back on west");
        assertThat(bob.awaitIn("#ops", ServerLine.Chat.class).text()).isEqualTo("back on west");
    }
}
