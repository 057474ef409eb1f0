package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ServerLine;
import dev.chat.server.ServerConfig;
import dev.chat.testkit.NatsServer;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client given two nodes of one cluster: when its node stops, it moves to the other with
 * its name and rooms, and the users of the other node see it leave and come back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterFailoverTest {

    @RegisterExtension
    static final NatsServer nats = new NatsServer();

    @RegisterExtension
    final TestServer east = node("east");
    @RegisterExtension
    final TestServer west = node("west");

    private final Recorder events = new Recorder();
    private final ChatClient client = new ChatClient(ChatClient.Settings.defaults(), events);

    private static TestServer node(String name) {
        return TestServer.create().configure(config -> config.cluster(
                new ServerConfig.Cluster(List.of(nats.url()), name, null, null)));
    }

    @AfterEach
    void stop() {
        client.close();
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
