package dev.chat.swing.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.client.ConnectionState;
import dev.chat.client.Privacy;
import dev.chat.protocol.ServerLine;
import dev.chat.swing.model.ModelsWithKeys.User;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The desktop model with keys, without a window, against a real server: private messages sealed
 * between two models and marked so, plain and marked not encrypted with a user of nc, a changed
 * key told and held until accepted, the same safety number on both sides, /register.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatModelKeysTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    @RegisterExtension
    final ModelsWithKeys users = new ModelsWithKeys(server);

    private User connect(String name, String home) {
        return users.connect(name, home);
    }

    private static Entry awaitEntry(User user, String conversation, Entry.Kind kind, String text) {
        return await().atMost(WAIT).until(() -> user.events().in(conversation).stream()
                .filter(e -> e.kind() == kind && e.text().equals(text)).findFirst().orElse(null), e -> e != null);
    }

    @Test
    void privateMessagesBetweenTwoModels_areSealed_andTheirTabsShowIt() throws Exception {
        User alice = connect("alice", "alice");
        User bob = connect("bob", "bob");
        String secret = "under the third stone " + UUID.randomUUID();

        alice.model().openConversation("bob");
        alice.model().send("bob", secret);

        assertThat(awaitEntry(bob, "alice", Entry.Kind.PRIVATE_IN, secret).privacy()).isEqualTo(Privacy.SEALED);
        assertThat(awaitEntry(alice, "bob", Entry.Kind.PRIVATE_OUT, secret).privacy()).isEqualTo(Privacy.SEALED);
        await().atMost(WAIT).until(() -> alice.events().privacy.get("bob") == Privacy.SEALED
                && bob.events().privacy.get("alice") == Privacy.SEALED);
        String chatLog = Files.readString(Path.of(System.getProperty("chat.log.file")), StandardCharsets.UTF_8);
        assertThat(chatLog).contains("*** sealed private message from alice to bob").doesNotContain(secret);
    }

    @Test
    void withAUserOfNc_privateMessagesArePlain_andMarkedNotEncrypted() throws Exception {
        User alice = connect("alice", "alice");
        WireClient carol = server.register("carol");

        alice.model().send(ChatModel.ROOM, "/msg carol hello");
        assertThat(carol.await(ServerLine.PrivateMessage.class).text()).isEqualTo("hello");
        assertThat(awaitEntry(alice, "carol", Entry.Kind.PRIVATE_OUT, "hello").privacy()).isEqualTo(Privacy.NOT_SEALED);
        carol.send("/msg alice hi");
        assertThat(awaitEntry(alice, "carol", Entry.Kind.PRIVATE_IN, "hi").privacy()).isEqualTo(Privacy.NOT_SEALED);
        assertThat(alice.events().privacy.get("carol")).isEqualTo(Privacy.NOT_SEALED);
    }

    @Test
    void aChangedKey_isToldAndTheMessageHeld_untilAccepted() throws Exception {
        User alice = connect("alice", "alice");
        User bob = connect("bob", "bob");
        alice.model().send(ChatModel.ROOM, "/msg bob first");
        awaitEntry(bob, "alice", Entry.Kind.PRIVATE_IN, "first");
        bob.model().close();
        await().atMost(WAIT).until(() -> alice.events().in(ChatModel.ROOM).stream()
                .anyMatch(e -> e.text().startsWith("bob left")));

        User newBob = connect("bob", "new-bob");
        alice.model().send("bob", "still you?");
        ModelEvent.KeyChanged changed = await().atMost(WAIT).until(() -> alice.events().keyChanges.stream()
                .findFirst().orElse(null), e -> e != null);
        assertThat(changed.conversation()).isEqualTo("bob");
        assertThat(changed.waiting()).isEqualTo(1);
        assertThat(changed.keyGone()).isFalse();
        assertThat(alice.events().in("bob")).anyMatch(e -> e.kind() == Entry.Kind.LOCAL && e.text().contains("CHANGED"));

        alice.model().acceptKey("bob");
        assertThat(awaitEntry(newBob, "alice", Entry.Kind.PRIVATE_IN, "still you?").privacy()).isEqualTo(Privacy.SEALED);
        await().atMost(WAIT).until(() -> alice.events().keysAccepted.contains("bob"));
    }

    @Test
    void verify_givesBothSidesTheSameNumber_andMarkVerifiedShowsInTheTab() throws Exception {
        User alice = connect("alice", "alice");
        User bob = connect("bob", "bob");
        alice.model().openConversation("bob");
        bob.model().openConversation("alice");

        alice.model().verify("bob");
        bob.model().send(ChatModel.ROOM, "/verify alice");
        ModelEvent.VerificationReady aliceSees = await().atMost(WAIT).until(
                () -> alice.events().verifications.stream().findFirst().orElse(null), e -> e != null);
        ModelEvent.VerificationReady bobSees = await().atMost(WAIT).until(
                () -> bob.events().verifications.stream().findFirst().orElse(null), e -> e != null);
        assertThat(aliceSees.verification().number()).isEqualTo(bobSees.verification().number());
        assertThat(bobSees.conversation()).isEqualTo("alice");

        alice.model().markVerified("bob", aliceSees.verification());
        await().atMost(WAIT).until(() -> alice.events().privacy.get("bob") == Privacy.VERIFIED);
        alice.model().send("bob", "verified now");
        assertThat(awaitEntry(alice, "bob", Entry.Kind.PRIVATE_OUT, "verified now").privacy())
                .isEqualTo(Privacy.VERIFIED);
    }

    @Test
    void registerName_bindsTheNameToTheKey() {
        User alice = connect("alice", "alice");
        alice.model().registerName();
        await().atMost(WAIT).until(() -> alice.events().in(ChatModel.ROOM).stream()
                .anyMatch(e -> e.text().startsWith("Registered alice to key ")));
        assertThat(alice.events().currentState()).isInstanceOf(ConnectionState.SignedOn.class);
    }
}
