package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.client.identity.Identity;
import dev.chat.client.identity.ReplayGuard;
import dev.chat.client.identity.SealedMessage;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import dev.chat.server.ChatServer;
import dev.chat.server.ServerConfig;
import dev.chat.testkit.WireClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A sealed private message through a real server, as the identity package's public API makes and opens it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SealedPrivateMessageTest {

    // Names as long as names go: the line the sender sends is as long as it can be.
    private static final String ALICE = "alice".repeat(4);
    private static final String BOB = "bob".repeat(6) + "bb";

    private final Identity aliceKeys = Identity.generate();
    private final Identity bobKeys = Identity.generate();
    private final Recorder aliceEvents = new Recorder();
    private final ChatClient alice = new ChatClient(ChatClient.Settings.defaults(), aliceEvents);
    private WireClient bob;
    private ChatServer server;

    @BeforeEach
    void start() throws Exception {
        server = ChatServer.start(ServerConfig.defaults().withBind("127.0.0.1").withPort(0));
        Endpoint endpoint = Endpoint.plain("127.0.0.1", server.port());
        assertThat(alice.signOn(endpoint, ALICE, null, Login.Prompts.NOBODY)).isEqualTo(new Login.Outcome.SignedOn(ALICE));
        bob = WireClient.register(server.port(), BOB);
    }

    @AfterEach
    void stop() throws java.io.IOException {
        alice.close();
        bob.close();
        server.close();
    }

    @Test
    void theLongestSealedText_toTheLongestName_passesTheServer_andOnlyTheRecipientReadsIt() throws Exception {
        assertThat(ALICE).hasSize(NameRules.MAX_LENGTH);
        assertThat(BOB).hasSize(NameRules.MAX_LENGTH);
        String text = "ü".repeat(SealedMessage.MAX_PLAINTEXT_BYTES / 2) + "!";
        assertThat(SealedMessage.fits(text)).isTrue();
        String token = SealedMessage.seal(aliceKeys, ALICE, bobKeys.publicIdentity(), BOB, text);
        String line = "/msg " + BOB + " " + token;
        assertThat(line.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(Protocol.DEFAULT_MAX_LINE_BYTES - 43)
                .isLessThanOrEqualTo(Protocol.DEFAULT_MAX_LINE_BYTES);

        alice.send(line);

        ServerLine.PrivateMessage received = bob.await(ServerLine.PrivateMessage.class);
        assertThat(received.from()).isEqualTo(ALICE);
        assertThat(received.text()).as("the server relays the token as it is").isEqualTo(token);
        assertThat(SealedMessage.open(bobKeys, BOB, aliceKeys.publicIdentity(), received.from(), received.text(),
                new ReplayGuard()).text()).isEqualTo(text);
        ClientEvent.PrivateLine confirmed = aliceEvents.await(ClientEvent.PrivateLine.class);
        assertThat(((ServerLine.PrivateSent) confirmed.line()).text()).isEqualTo(token).doesNotContain("ü");
    }
}
