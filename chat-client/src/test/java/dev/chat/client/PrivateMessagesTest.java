package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat.client.identity.Challenge;
import dev.chat.client.KeyHolders.User;
import dev.chat.client.identity.Identity;
import dev.chat.client.identity.OpenFailedException;
import dev.chat.client.identity.SealedMessage;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client core's private messages through a real server: sealed between two clients with keys
 * (the server logs no text), plain to and from a user of nc, held when a pinned key changed or went
 * until the user accepts, and every refusal of a sealed message the recipient is told with its reason.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PrivateMessagesTest {

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    @RegisterExtension
    final KeyHolders users = new KeyHolders(server);

    private User signOn(String name, Identity keys, String home) throws Exception {
        return users.signOn(name, keys, home, settings -> settings);
    }

    private User signOn(String name) throws Exception {
        return signOn(name, Identity.generate(), name);
    }

    private static ClientEvent.PrivateLine awaitPrivate(User user, Class<? extends ServerLine> type, String text) {
        return user.events().await(ClientEvent.PrivateLine.class, pm -> type.isInstance(pm.line())
                && pm.line().body().endsWith(text));
    }

    /** A user of nc who publishes a key of their own, signing the challenge by hand. */
    private WireClient wireUserWithKey(String name, Identity keys) throws IOException {
        WireClient wire = server.connect();
        Challenge challenge = Challenge.parse(wire.await(ServerLine.Challenge.class).challenge()).orElseThrow();
        wire.register(name);
        wire.send("/publish " + keys.publicIdentity().token() + " " + keys.signChallenge(challenge, name, null));
        wire.await(ServerLine.Published.class);
        return wire;
    }

    @Test
    void aPrivateMessageBetweenTwoKeyHolders_isSealed_andTheServerNeverHoldsItsText() throws Exception {
        User alice = signOn("alice");
        User bob = signOn("bob");
        String text = "the launch code is " + UUID.randomUUID();

        alice.client().send("/msg bob " + text);

        ClientEvent.PrivateLine received = awaitPrivate(bob, ServerLine.PrivateMessage.class, text);
        assertThat(received.privacy()).isEqualTo(Privacy.SEALED);
        assertThat(((ServerLine.PrivateMessage) received.line()).from()).isEqualTo("alice");
        assertThat(awaitPrivate(alice, ServerLine.PrivateSent.class, text).privacy()).isEqualTo(Privacy.SEALED);
        assertThat(alice.known().pinned("bob")).hasValueSatisfying(pin ->
                assertThat(pin.key()).isEqualTo(bob.keys().publicIdentity()));
        assertThat(bob.known().pinned("alice")).as("pinned on the first message received").isPresent();
        assertThat(alice.events().all(ClientEvent.LineReceived.class)).as("the client's own /key is not shown")
                .noneMatch(line -> line.line() instanceof ServerLine.KeyOf);

        // A sealed message back, to a contact pinned already.
        String back = "and back " + UUID.randomUUID();
        bob.client().send("/in #lobby /msg alice " + back);
        assertThat(awaitPrivate(alice, ServerLine.PrivateMessage.class, back).privacy()).isEqualTo(Privacy.SEALED);

        String chatLog = Files.readString(Path.of(System.getProperty("chat.log.file")), StandardCharsets.UTF_8);
        assertThat(chatLog).contains("*** sealed private message from alice to bob")
                .doesNotContain(text).doesNotContain(back);
    }

    @Test
    void toAndFromAUserWithoutKeys_privateMessagesGoPlain_markedNotSealed() throws Exception {
        User alice = signOn("alice");
        WireClient carol = server.register("carol");

        alice.client().send("/msg carol hello in the clear");
        assertThat(carol.await(ServerLine.PrivateMessage.class).text()).isEqualTo("hello in the clear");
        assertThat(awaitPrivate(alice, ServerLine.PrivateSent.class, "hello in the clear").privacy())
                .isEqualTo(Privacy.NOT_SEALED);

        carol.send("/msg alice hi back");
        assertThat(awaitPrivate(alice, ServerLine.PrivateMessage.class, "hi back").privacy())
                .isEqualTo(Privacy.NOT_SEALED);
        assertThat(alice.known().pinned("carol")).isEmpty();
    }

    @Test
    void aChangedKey_holdsTheMessage_untilTheUserAcceptsIt() throws Exception {
        User alice = signOn("alice");
        User bob = signOn("bob");
        alice.client().send("/msg bob first");
        awaitPrivate(bob, ServerLine.PrivateMessage.class, "first");
        bob.client().close();
        alice.events().awaitLine(ServerLine.Left.class, left -> left.name().equals("bob"));

        // Someone else, with another key, is bob now.
        User newBob = signOn("bob", Identity.generate(), "newbob");
        alice.client().send("/msg bob are you still you?");

        ClientEvent.KeyChanged changed = alice.events().await(ClientEvent.KeyChanged.class);
        assertThat(changed.name()).isEqualTo("bob");
        assertThat(changed.pinnedFingerprint()).isEqualTo(bob.keys().publicIdentity().fingerprint());
        assertThat(changed.offeredFingerprint()).isEqualTo(newBob.keys().publicIdentity().fingerprint());
        assertThat(changed.waiting()).isEqualTo(1);
        assertThat(changed.message()).contains("CHANGED", changed.pinnedFingerprint(), changed.offeredFingerprint());
        assertThatThrownBy(() -> alice.client().verification("bob").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("CHANGED");

        // What the new key sealed is kept unopened, and the held message unsent, until the user's word.
        newBob.client().send("/msg alice a line after the hold");
        org.awaitility.Awaitility.await().atMost(Recorder.WAIT)
                .until(() -> alice.events().all(ClientEvent.KeyChanged.class).size() == 2);
        assertThat(alice.events().all(ClientEvent.PrivateLine.class)).noneMatch(pm -> pm.line().body()
                .endsWith("a line after the hold"));
        assertThat(newBob.events().first(ClientEvent.PrivateLine.class,
                pm -> pm.line().body().endsWith("are you still you?"))).isNull();

        assertThat(alice.client().acceptKey("bob").get(10, TimeUnit.SECONDS)).contains("Accepted the new key of bob");
        assertThat(awaitPrivate(newBob, ServerLine.PrivateMessage.class, "are you still you?").privacy())
                .isEqualTo(Privacy.SEALED);
        assertThat(awaitPrivate(alice, ServerLine.PrivateMessage.class, "a line after the hold").privacy())
                .isEqualTo(Privacy.SEALED);
        assertThat(alice.known().pinned("bob")).hasValueSatisfying(pin ->
                assertThat(pin.key()).isEqualTo(newBob.keys().publicIdentity()));
    }

    @Test
    void aPinnedContactWhoHasNoKeyNow_isHeld_neverSentPlainSilently() throws Exception {
        User alice = signOn("alice");
        User bob = signOn("bob");
        alice.client().send("/msg bob first");
        awaitPrivate(bob, ServerLine.PrivateMessage.class, "first");
        bob.client().close();
        alice.events().awaitLine(ServerLine.Left.class, left -> left.name().equals("bob"));

        try (WireClient plainBob = server.register("bob")) {
            alice.client().send("/msg bob in the clear?");
            ClientEvent.KeyChanged changed = alice.events().await(ClientEvent.KeyChanged.class);
            assertThat(changed.offeredFingerprint()).isNull();
            assertThat(changed.message()).contains("NO KEY");

            // A plain message from the name whose key is pinned is marked as possibly forged.
            plainBob.send("/msg alice trust me");
            assertThat(awaitPrivate(alice, ServerLine.PrivateMessage.class, "trust me").privacy())
                    .isEqualTo(Privacy.NOT_SEALED_FROM_KEY_HOLDER);

            assertThat(alice.client().acceptKey("bob").get(10, TimeUnit.SECONDS)).contains("Forgot the key of bob");
            assertThat(plainBob.await(ServerLine.PrivateMessage.class).text()).isEqualTo("in the clear?");
            assertThat(alice.known().pinned("bob")).isEmpty();
        }
    }

    @Test
    void aSealedMessageThatCannotBeOpened_isToldWithItsReason() throws Exception {
        User bob = signOn("bob");
        Identity malloryKeys = Identity.generate();
        try (WireClient mallory = wireUserWithKey("mallory", malloryKeys)) {
            String good = SealedMessage.seal(malloryKeys, "mallory", bob.keys().publicIdentity(), "bob", "once");
            mallory.send("/msg bob " + good);
            assertThat(awaitPrivate(bob, ServerLine.PrivateMessage.class, "once").privacy()).isEqualTo(Privacy.SEALED);

            mallory.send("/msg bob " + good);
            assertThat(notOpened(bob, OpenFailedException.Reason.REPLAYED).message()).contains("copy");

            String tampered = flipLastCharacter(
                    SealedMessage.seal(malloryKeys, "mallory", bob.keys().publicIdentity(), "bob", "changed"));
            mallory.send("/msg bob " + tampered);
            notOpened(bob, OpenFailedException.Reason.TAMPERED);

            String forSomeoneElse = SealedMessage.seal(malloryKeys, "mallory", Identity.generate().publicIdentity(),
                    "bob", "not yours");
            mallory.send("/msg bob " + forSomeoneElse);
            notOpened(bob, OpenFailedException.Reason.WRONG_RECIPIENT_KEY);

            String withAnotherKey = SealedMessage.seal(Identity.generate(), "mallory", bob.keys().publicIdentity(),
                    "bob", "other sender key");
            mallory.send("/msg bob " + withAnotherKey);
            notOpened(bob, OpenFailedException.Reason.WRONG_SENDER_KEY);
        }
        assertThat(bob.events().all(ClientEvent.PrivateLine.class)).as("nothing but the first was shown as read")
                .hasSize(1);
    }

    private static ClientEvent.PrivateNotOpened notOpened(User user, OpenFailedException.Reason reason) {
        ClientEvent.PrivateNotOpened failed = user.events().await(ClientEvent.PrivateNotOpened.class,
                event -> event.reason() == reason);
        assertThat(failed.from()).isEqualTo("mallory");
        return failed;
    }

    private static String flipLastCharacter(String token) {
        char last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'A' ? 'Q' : 'A');
    }

    @Test
    void bothSidesSeeTheSameSafetyNumber_andAVerifiedContactsMessagesAreMarkedSo() throws Exception {
        User alice = signOn("alice");
        User bob = signOn("bob");

        Verification aliceSees = alice.client().verification("bob").get(10, TimeUnit.SECONDS);
        Verification bobSees = bob.client().verification("alice").get(10, TimeUnit.SECONDS);
        assertThat(aliceSees.number()).isEqualTo(bobSees.number());
        assertThat(aliceSees.number().groups()).hasSize(12);
        assertThat(aliceSees.verified()).isFalse();

        assertThat(alice.client().markVerified(aliceSees)).isTrue();
        assertThat(alice.client().verification("bob").get(10, TimeUnit.SECONDS).verified()).isTrue();
        alice.client().send("/msg bob now verified");
        assertThat(awaitPrivate(alice, ServerLine.PrivateSent.class, "now verified").privacy())
                .isEqualTo(Privacy.VERIFIED);
        assertThat(awaitPrivate(bob, ServerLine.PrivateMessage.class, "now verified").privacy())
                .as("bob has not verified alice").isEqualTo(Privacy.SEALED);

        assertThatThrownBy(() -> alice.client().verification("nobody").get(10, TimeUnit.SECONDS))
                .hasMessageContaining("nobody called nobody");
    }

    @Test
    void aTextTooLongForOneSealedMessage_isRefusedBeforeAnythingIsSent() throws Exception {
        User alice = signOn("alice");
        WireClient carol = server.register("carol");
        String tooLong = "x".repeat(SealedMessage.MAX_PLAINTEXT_BYTES + 1);

        alice.client().send("/msg carol " + tooLong);

        ClientEvent.PrivateNotSent refused = alice.events().await(ClientEvent.PrivateNotSent.class);
        assertThat(refused.to()).isEqualTo("carol");
        assertThat(refused.reason()).contains("too long", "2975");
        alice.client().send("/msg carol short");
        assertThat(carol.await(ServerLine.PrivateMessage.class).text()).as("the long one never went").isEqualTo("short");
    }

    @Test
    void aClientWithoutKeys_marksEveryPrivateMessageNotSealed_andCannotOpenSealedOnes() throws Exception {
        Recorder events = new Recorder();
        ChatClient plain = users.closedAfterTheTest(
                new ChatClient(ChatClient.Settings.defaults().withReconnect(false), events));
        plain.signOn(Endpoint.plain("127.0.0.1", server.port()), "dave", null, Login.Prompts.NOBODY);
        Identity erinKeys = Identity.generate();
        try (WireClient erin = wireUserWithKey("erin", erinKeys)) {
            erin.send("/msg dave plain words");
            assertThat(events.await(ClientEvent.PrivateLine.class).privacy()).isEqualTo(Privacy.NOT_SEALED);
            erin.send("/msg dave " + SealedMessage.seal(erinKeys, "erin", Identity.generate().publicIdentity(), "dave",
                    "sealed words"));
            assertThat(events.await(ClientEvent.PrivateNotOpened.class).message()).contains("without keys");
        }
    }
}
