package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.client.identity.Challenge;
import dev.chat.client.identity.Identity;
import dev.chat.client.identity.PublicIdentity;
import dev.chat.client.identity.ReplayGuard;
import dev.chat.client.identity.SealedMessage;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Registered names and a sealed private message through a real server, with the identity
 * package's keys: the server relays the token, and neither its logs nor what it replays to
 * newcomers ever hold the message's text or its token.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SealedMessageServerTest {

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    private final Identity aliceKeys = Identity.generate();
    private final Identity bobKeys = Identity.generate();

    /** Connects, signs on as {@code name} and registers it to {@code keys}; returns the connection's challenge. */
    private Challenge register(WireClient client, String name, Identity keys) throws IOException {
        Challenge challenge = Challenge.parse(client.await(ServerLine.Challenge.class).challenge()).orElseThrow();
        client.register(name);
        client.send("/register " + keys.publicIdentity().token() + " " + keys.signChallenge(challenge, name, null));
        assertThat(client.await(ServerLine.Registered.class).fingerprint()).isEqualTo(keys.publicIdentity().fingerprint());
        return challenge;
    }

    @Test
    void aRegisteredName_isGivenToTheHolderOfItsKey_signingTheChallengeWithTheClientsIdentity() throws IOException {
        try (WireClient alice = server.connect()) {
            register(alice, "alice", aliceKeys);
        }
        try (WireClient impostor = server.connect()) {
            Challenge challenge = Challenge.parse(impostor.await(ServerLine.Challenge.class).challenge()).orElseThrow();
            impostor.send("/sign alice " + bobKeys.signChallenge(challenge, "alice", null));
            assertThat(impostor.await(ServerLine.Error.class).code()).isEqualTo(dev.chat.protocol.ErrorCode.NAME_REGISTERED);
            impostor.send("/sign alice " + aliceKeys.signChallenge(challenge, "alice", null));
            assertThat(impostor.await(ServerLine.Welcome.class).name()).isEqualTo("alice");
        }
    }

    @Test
    void aSealedPrivateMessage_passesTheServer_whichNeverHoldsItsText() throws Exception {
        String text = "the launch code is " + UUID.randomUUID();
        try (WireClient alice = server.connect(); WireClient bob = server.connect()) {
            register(alice, "alice", aliceKeys);
            register(bob, "bob", bobKeys);

            alice.send("/key bob");
            PublicIdentity bobsKey = PublicIdentity.parse(alice.await(ServerLine.KeyOf.class).key()).orElseThrow();
            assertThat(bobsKey).isEqualTo(bobKeys.publicIdentity());
            String token = SealedMessage.seal(aliceKeys, "alice", bobsKey, "bob", text);
            alice.send("/msg bob " + token);

            ServerLine.PrivateMessage received = bob.await(ServerLine.PrivateMessage.class);
            assertThat(received.text()).isEqualTo(token);
            bob.send("/key alice");
            PublicIdentity alicesKey = PublicIdentity.parse(bob.await(ServerLine.KeyOf.class).key()).orElseThrow();
            assertThat(SealedMessage.open(bobKeys, "bob", alicesKey, received.from(), received.text(), new ReplayGuard())
                    .text()).isEqualTo(text);
            assertThat(alice.await(ServerLine.PrivateSent.class).text()).isEqualTo(token);

            // What the server keeps of messages, the rooms' history, replayed to a newcomer: not this one.
            alice.send("said in the room");
            alice.await(ServerLine.Chat.class);
            try (WireClient carol = server.connect()) {
                carol.register("carol");
                carol.await(line -> line instanceof ServerLine.History history && history.line() instanceof ServerLine.Chat);
                carol.send("/quit");
                List<String> replayed = carol.readToEnd();
                replayed.addAll(carol.seen());
                assertThat(replayed).noneMatch(line -> line.contains(token) || line.contains(text) || line.contains("e2e1:"));
            }

            String chatLog = Files.readString(Path.of(System.getProperty("chat.log.file")), StandardCharsets.UTF_8);
            assertThat(chatLog).contains("*** sealed private message from alice to bob")
                    .doesNotContain(token).doesNotContain(text).doesNotContain("e2e1:");
            String diagnostic = Files.readString(Path.of(System.getProperty("chat.diagnostic.file")), StandardCharsets.UTF_8);
            assertThat(diagnostic).doesNotContain(token).doesNotContain(text);
        }
    }
}
