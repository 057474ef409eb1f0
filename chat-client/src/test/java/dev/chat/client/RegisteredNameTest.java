package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client core with keys: it signs the server's key challenge when it proposes a name, so that
 * it gets the name registered to its key (at sign-on and when it reconnects), registers its name
 * on request, and publishes its key after every welcome and /nick.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegisteredNameTest {

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    private final Identity keys = Identity.generate();
    @TempDir
    Path home;
    private final List<ChatClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(ChatClient::close);
    }

    private ChatClient client(Identity identity, Recorder events) {
        ChatClient client = new ChatClient(ChatClient.Settings.defaults().withIdentity(identity,
                identity == null ? null : KnownKeys.inHome(home)), events);
        clients.add(client);
        return client;
    }

    private Endpoint endpoint() {
        return Endpoint.plain("127.0.0.1", server.port());
    }

    /** What the server answers anyone who asks {@code /key name}. */
    private ServerLine keyOf(String name) throws IOException {
        try (WireClient asker = server.connect()) {
            asker.register("asker");
            asker.send("/key " + name);
            return asker.await(line -> line instanceof ServerLine.KeyOf || line instanceof ServerLine.NoKey
                    || line instanceof ServerLine.Error);
        }
    }

    @Test
    void aRegisteredName_isTheKeyHoldersOnly_andAClientWithoutTheKeyMayTryAnother() throws Exception {
        Recorder events = new Recorder();
        ChatClient alice = client(keys, events);
        assertThat(alice.signOn(endpoint(), "alice", null, Login.Prompts.NOBODY)).isEqualTo(new Login.Outcome.SignedOn("alice"));
        alice.registerName();
        ServerLine.Registered registered = events.awaitLine(ServerLine.Registered.class, line -> true);
        assertThat(registered.fingerprint()).isEqualTo(keys.publicIdentity().fingerprint());
        assertThat(events.all(ClientEvent.LineReceived.class)).as("the key challenge is not shown")
                .noneMatch(received -> received.line() instanceof ServerLine.Challenge)
                .anyMatch(received -> received.line() instanceof ServerLine.NamePrompt);
        alice.close();

        ChatClient stranger = client(null, new Recorder());
        Login.Outcome refused = stranger.signOn(endpoint(), "alice", null, Login.Prompts.NOBODY);
        assertThat(refused).isInstanceOfSatisfying(Login.Outcome.Refused.class,
                outcome -> assertThat(outcome.code()).isEqualTo(ErrorCode.NAME_REGISTERED));
        assertThat(refused.canTryAnotherName()).isTrue();
        assertThat(stranger.tryName("bob")).isEqualTo(new Login.Outcome.SignedOn("bob"));

        ChatClient otherKeys = client(Identity.generate(), new Recorder());
        assertThat(otherKeys.signOn(endpoint(), "alice", null, Login.Prompts.NOBODY))
                .isInstanceOf(Login.Outcome.Refused.class);

        ChatClient again = client(keys, new Recorder());
        assertThat(again.signOn(endpoint(), "Alice", null, Login.Prompts.NOBODY)).isEqualTo(new Login.Outcome.SignedOn("Alice"));
    }

    @Test
    void aClientWithKeys_publishesItsKey_afterTheWelcomeAndAfterNick() throws Exception {
        Recorder events = new Recorder();
        ChatClient carol = client(keys, events);
        carol.signOn(endpoint(), "carol", null, Login.Prompts.NOBODY);
        events.awaitLine(ServerLine.Published.class, line -> line.name().equals("carol"));
        assertThat(keyOf("carol")).isInstanceOfSatisfying(ServerLine.KeyOf.class,
                key -> assertThat(key.key()).isEqualTo(keys.publicIdentity().token()));

        carol.send("/nick carla");
        events.awaitLine(ServerLine.Published.class, line -> line.name().equals("carla"));
        assertThat(keyOf("carla")).isInstanceOf(ServerLine.KeyOf.class);

        ChatClient dave = client(null, new Recorder());
        dave.signOn(endpoint(), "dave", null, Login.Prompts.NOBODY);
        assertThat(keyOf("dave")).isInstanceOf(ServerLine.NoKey.class);
    }

    @Test
    void aLostSession_withARegisteredName_isBroughtBackUnderIt() throws Exception {
        Recorder events = new Recorder();
        ChatClient alice = client(keys, events);
        alice.signOn(endpoint(), "alice", null, Login.Prompts.NOBODY);
        alice.registerName();
        events.awaitLine(ServerLine.Registered.class, line -> true);

        server.stop();
        events.await(ClientEvent.ConnectionLost.class);
        server.start();

        assertThat(events.await(ClientEvent.Reconnected.class).state().name()).isEqualTo("alice");
    }

    @Test
    void registerName_withoutKeys_isRefusedBeforeAnythingIsSent() throws Exception {
        ChatClient bob = client(null, new Recorder());
        bob.signOn(endpoint(), "bob", null, Login.Prompts.NOBODY);
        org.assertj.core.api.Assertions.assertThatThrownBy(bob::registerName).isInstanceOf(IllegalStateException.class);
    }
}
