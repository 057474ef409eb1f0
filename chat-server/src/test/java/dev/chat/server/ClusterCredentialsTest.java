package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.NatsServer;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A NATS server that wants a user and password: a node given them in a file joins; one without is refused. */
@Timeout(60)
class ClusterCredentialsTest {

    @RegisterExtension
    static final NatsServer nats = new NatsServer(List.of("--user", "chat", "--pass", "s3cret"));

    @RegisterExtension
    final TestServer node = TestServer.create();

    @Test
    void aNodeGivenTheCredentialsInAFileJoins() throws Exception {
        Path credentials = node.file("nats-credentials", "chat:s3cret\n");
        node.configure(config -> config.cluster(new ServerConfig.Cluster(List.of(nats.url()), "with", credentials,
                null)));
        WireClient alice = node.register("alice");
        alice.send("/who");
        assertThat(alice.await(ServerLine.Online.class).names()).containsExactly("alice");
        assertThat(node.server().nodeName()).isEqualTo("with");
    }

    @Test
    void aNodeWithoutThemIsRefusedWithTheReason() {
        node.configure(config -> config.cluster(new ServerConfig.Cluster(List.of(nats.url()), "without", null, null)));
        assertThatThrownBy(node::start).isInstanceOf(ClusterLink.UnreachableException.class)
                .hasMessageContaining("Authorization");
    }
}
