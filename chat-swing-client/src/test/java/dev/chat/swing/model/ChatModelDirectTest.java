package dev.chat.swing.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.client.Privacy;
import dev.chat.swing.model.ModelsWithKeys.User;
import dev.chat.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Direct connections in the desktop model, without a window, between two models through a real
 * server: the offer asked and answered, private lines marked direct, a file saved where the user
 * chose with its progress told on both sides, and a declined offer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatModelDirectTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    @RegisterExtension
    final ModelsWithKeys users = new ModelsWithKeys(server);

    private User connect(String name) {
        return users.connect(name, name);
    }

    private static void awaitText(User user, String conversation, String start) {
        await().atMost(WAIT).until(() -> user.events().in(conversation).stream()
                .anyMatch(e -> e.text().startsWith(start)));
    }

    @Test
    void anAcceptedOffer_carriesPrivateLinesAndAFile_withProgressOnBothSides() throws Exception {
        User alice = connect("alice");
        User bob = connect("bob");

        alice.model().offerDirect("bob");
        await().atMost(WAIT).until(() -> !bob.events().directOffers.isEmpty());
        assertThat(bob.events().directOffers.getFirst().peer()).isEqualTo("alice");
        bob.model().answerDirect("alice", true);
        awaitText(alice, "bob", "Direct connection with bob open (127.0.0.1:");
        awaitText(bob, "alice", "Direct connection with alice open (127.0.0.1:");

        alice.model().send("bob", "not through the server");
        await().atMost(WAIT).until(() -> bob.events().in("alice").stream().anyMatch(e ->
                e.kind() == Entry.Kind.PRIVATE_IN && e.text().equals("not through the server")
                        && e.privacy() == Privacy.DIRECT));
        await().atMost(WAIT).until(() -> alice.events().privacy.get("bob") == Privacy.DIRECT);

        byte[] content = new byte[1024 * 1024 + 5];
        new Random(5).nextBytes(content);
        Path file = Files.write(users.home("alice").resolve("plan.pdf"), content);
        alice.model().sendFile("bob", file);
        await().atMost(WAIT).until(() -> !bob.events().fileOffers.isEmpty());
        ModelEvent.FileOffered offered = bob.events().fileOffers.getFirst();
        assertThat(offered.fileName()).isEqualTo("plan.pdf");
        assertThat(offered.size()).isEqualTo(content.length);
        Path chosen = users.home("bob").resolve("chosen name.pdf");
        bob.model().saveFile("alice", offered.id(), chosen);

        awaitText(bob, "alice", "plan.pdf from alice saved as " + chosen);
        awaitText(alice, "bob", "plan.pdf reached bob whole.");
        assertThat(Files.readAllBytes(chosen)).isEqualTo(content);
        for (User side : List.of(alice, bob)) {
            List<ModelEvent.FileProgress> progress = side.events().fileProgress;
            await().atMost(WAIT).until(() -> !progress.isEmpty() && progress.getLast().finished());
            assertThat(progress).filteredOn(p -> !p.finished()).isNotEmpty()
                    .allMatch(p -> p.outgoing() == (side == alice));
        }
    }

    @Test
    void aDeclinedOffer_isToldInBothConversations() {
        User alice = connect("alice");
        User bob = connect("bob");

        alice.model().offerDirect("bob");
        await().atMost(WAIT).until(() -> !bob.events().directOffers.isEmpty());
        bob.model().answerDirect("alice", false);

        awaitText(bob, "alice", "You declined alice's direct connection.");
        awaitText(alice, "bob", "No direct connection with bob: bob declined the direct connection; /msg bob");
    }
}
