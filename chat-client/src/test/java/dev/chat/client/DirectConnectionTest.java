package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat.client.direct.DirectSettings;
import dev.chat.client.identity.Challenge;
import dev.chat.client.KeyHolders.User;
import dev.chat.client.identity.Identity;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
 * Direct connections between two clients through a real server on loopback: an offer accepted
 * opens a connection on which both keys are proved, private lines and files go over it, and every
 * way it can fail (declined, a changed key, nobody there, no connection possible) is told with the
 * relayed private chat offered instead.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class DirectConnectionTest {

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    @RegisterExtension
    final KeyHolders users = new KeyHolders(server);

    private User signOn(String name, DirectSettings direct) throws Exception {
        return users.signOn(name, Identity.generate(), name,
                settings -> settings.withConnectTimeout(Duration.ofSeconds(3)).withDirect(direct));
    }

    private User signOn(String name) throws Exception {
        return signOn(name, DirectSettings.defaults());
    }

    /** Alice offers, Bob accepts, and both see the connection open. */
    private void connect(User alice, User bob) {
        alice.client().offerDirect("bob");
        bob.events().await(ClientEvent.DirectOffered.class, offer -> offer.name().equals("alice"));
        bob.client().acceptDirect("alice");
        alice.events().await(ClientEvent.DirectOpened.class, opened -> opened.name().equals("bob"));
        bob.events().await(ClientEvent.DirectOpened.class, opened -> opened.name().equals("alice"));
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
    void anAcceptedOffer_opensAConnection_overWhichPrivateLinesGoPastTheServer() throws Exception {
        User alice = signOn("alice");
        User bob = signOn("bob");

        connect(alice, bob);
        assertThat(alice.client().hasDirect("BOB")).isTrue();
        alice.client().send("/msg bob only between us");
        bob.client().send("/msg alice and back");

        assertThat(bob.events().await(ClientEvent.DirectMessage.class, m -> !m.outgoing()))
                .isEqualTo(new ClientEvent.DirectMessage("alice", "only between us", false));
        assertThat(alice.events().await(ClientEvent.DirectMessage.class, m -> !m.outgoing()))
                .isEqualTo(new ClientEvent.DirectMessage("bob", "and back", false));
        assertThat(alice.events().first(ClientEvent.DirectMessage.class, ClientEvent.DirectMessage::outgoing).text())
                .isEqualTo("only between us");
        assertThat(Files.readString(Path.of(System.getProperty("chat.log.file")), StandardCharsets.UTF_8))
                .contains("bob accepted a direct connection from alice")
                .doesNotContain("only between us").doesNotContain("and back");
        assertThat(bob.events().all(ClientEvent.PrivateLine.class)).as("nothing came through the server").isEmpty();

        alice.client().sayDirect("bob", "SAY smuggled\nSAY line");
        assertThat(alice.events().await(ClientEvent.PrivateNotSent.class).reason())
                .isEqualTo("a line cannot hold a line break");
    }

    @Test
    void closingTheConnection_isToldOnBothSides_andPrivateMessagesGoThroughTheServerAgain() throws Exception {
        User alice = signOn("alice");
        User bob = signOn("bob");
        connect(alice, bob);

        assertThat(alice.client().closeDirect("bob")).isTrue();

        assertThat(alice.events().await(ClientEvent.DirectClosed.class).reason()).isEqualTo("closed");
        assertThat(bob.events().await(ClientEvent.DirectClosed.class).reason())
                .isEqualTo("alice closed the direct connection");
        org.awaitility.Awaitility.await().atMost(Recorder.WAIT).until(() -> !alice.client().hasDirect("bob"));
        alice.client().send("/msg bob through the server");
        assertThat(bob.events().await(ClientEvent.PrivateLine.class).privacy()).isEqualTo(Privacy.SEALED);
    }

    @Test
    void aFileOfSomeMegabytes_arrivesWhole_withProgressOnBothSides_andOverwritesNothing() throws Exception {
        User alice = signOn("alice");
        User bob = signOn("bob");
        connect(alice, bob);
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(17).nextBytes(content);
        Path sent = Files.write(Files.createDirectories(users.folder().resolve("out")).resolve("photos.tar"), content);
        Path downloads = Files.createDirectories(users.folder().resolve("downloads"));
        Files.writeString(downloads.resolve("photos.tar"), "an older file of that name");

        long id = alice.client().sendFile("bob", sent);

        ClientEvent.FileOffered offered = bob.events().await(ClientEvent.FileOffered.class);
        assertThat(offered).isEqualTo(new ClientEvent.FileOffered("alice", id, "photos.tar", content.length));
        bob.client().acceptFile("alice", id, downloads.resolve(offered.fileName()));

        ClientEvent.FileDone done = bob.events().await(ClientEvent.FileDone.class);
        assertThat(done.saved()).isEqualTo(downloads.resolve("photos (1).tar").toAbsolutePath());
        assertThat(Files.readAllBytes(done.saved())).isEqualTo(content);
        assertThat(Files.readString(downloads.resolve("photos.tar"))).isEqualTo("an older file of that name");
        assertThat(alice.events().await(ClientEvent.FileDone.class)).isEqualTo(
                new ClientEvent.FileDone("bob", id, "photos.tar", null, true));
        for (User side : List.of(alice, bob)) {
            List<ClientEvent.FileProgress> progress = side.events().all(ClientEvent.FileProgress.class);
            assertThat(progress).hasSizeGreaterThan(10).hasSizeLessThanOrEqualTo(101);
            assertThat(progress.getLast().done()).isEqualTo(content.length);
            assertThat(progress).extracting(ClientEvent.FileProgress::done).isSorted();
            assertThat(progress).allMatch(p -> p.outgoing() == (side == alice));
        }
        try (var left = Files.list(downloads)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .as("no partly received file is left").containsExactlyInAnyOrder("photos.tar", "photos (1).tar");
        }
    }

    @Test
    void aRefusedFile_andOneOverTheLimit_areToldNotSent() throws Exception {
        User alice = signOn("alice");
        User bob = signOn("bob", new DirectSettings(Duration.ofSeconds(30), 1000));
        connect(alice, bob);
        Path small = Files.writeString(users.folder().resolve("small.txt"), "x".repeat(10));
        Path large = Files.write(users.folder().resolve("large.bin"), new byte[5000]);

        long refused = alice.client().sendFile("bob", small);
        bob.events().await(ClientEvent.FileOffered.class);
        bob.client().refuseFile("alice", refused);
        assertThat(alice.events().await(ClientEvent.FileFailed.class, f -> f.id() == refused).reason())
                .startsWith("bob refused it");

        long tooLarge = alice.client().sendFile("bob", large);
        assertThat(alice.events().await(ClientEvent.FileFailed.class, f -> f.id() == tooLarge).reason())
                .contains("limit of 1000 bytes");
        assertThat(bob.events().await(ClientEvent.FileFailed.class, f -> f.id() == tooLarge).reason())
                .contains("more than your limit of 1000");
        assertThat(bob.events().all(ClientEvent.FileOffered.class)).hasSize(1);
        assertThatThrownBy(() -> bob.client().sendFile("alice", large)).isInstanceOf(IOException.class)
                .hasMessageContaining("at most 1000");
        assertThatThrownBy(() -> bob.client().sendFile("carol", small)).isInstanceOf(IOException.class)
                .hasMessageContaining("no direct connection with carol");
    }

    @Test
    void aDeclinedOffer_isToldWithTheRelayedChatOfferedInstead() throws Exception {
        User alice = signOn("alice");
        User bob = signOn("bob");

        alice.client().offerDirect("bob");
        bob.events().await(ClientEvent.DirectOffered.class);
        assertThat(bob.client().declineDirect("alice").get(10, TimeUnit.SECONDS)).isTrue();

        assertThat(alice.events().await(ClientEvent.DirectFailed.class).reason())
                .contains("bob declined").contains("/msg bob");
        assertThat(bob.client().declineDirect("alice").get(10, TimeUnit.SECONDS)).as("answered once").isFalse();
    }

    @Test
    void aKeyOtherThanThePinnedOne_isFoundOutOverTheConnection_andNeitherSideOpensIt() throws Exception {
        User alice = signOn("alice");
        User bob = signOn("bob");
        // Alice holds another key for bob than his: someone in between, as far as she can tell.
        alice.known().accept("bob", Identity.generate().publicIdentity());

        alice.client().offerDirect("bob");
        bob.events().await(ClientEvent.DirectOffered.class);
        bob.client().acceptDirect("alice");

        assertThat(alice.events().await(ClientEvent.DirectFailed.class).reason())
                .startsWith("refused: the other side did not prove the key you hold for bob").contains("/msg bob");
        assertThat(bob.events().await(ClientEvent.DirectFailed.class).reason()).contains("/msg alice");
        assertThat(alice.events().all(ClientEvent.DirectOpened.class)).isEmpty();
        assertThat(bob.events().all(ClientEvent.DirectOpened.class)).isEmpty();
        assertThat(alice.client().hasDirect("bob")).isFalse();
        assertThat(bob.client().hasDirect("alice")).isFalse();
    }

    @Test
    void anOfferToNobody_orWithoutKeys_isRefusedWithAReason() throws Exception {
        User alice = signOn("alice");
        WireClient carol = server.register("carol");

        alice.client().offerDirect("nobody");
        assertThat(alice.events().await(ClientEvent.DirectFailed.class, f -> f.name().equals("nobody")).reason())
                .contains("nobody called nobody");
        alice.client().offerDirect("carol");
        assertThat(alice.events().await(ClientEvent.DirectFailed.class, f -> f.name().equals("carol")).reason())
                .contains("carol has no key");
        alice.client().acceptDirect("carol");
        org.awaitility.Awaitility.await().atMost(Recorder.WAIT)
                .until(() -> alice.events().all(ClientEvent.DirectFailed.class).size() == 3);
        carol.close();
    }

    @Test
    void aPortNobodyListensOn_isToldToTheOfferer_withTheRelayedChatOfferedInstead() throws Exception {
        User alice = signOn("alice");
        Identity bobKeys = Identity.generate();
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (WireClient bob = wireUserWithKey("bob", bobKeys)) {
            alice.client().offerDirect("bob");
            bob.await(ServerLine.DirectOffer.class);

            bob.send("/direct-accept alice " + closedPort);

            String reason = alice.events().await(ClientEvent.DirectFailed.class).reason();
            assertThat(reason).contains("could not connect directly to bob at 127.0.0.1 port " + closedPort)
                    .contains("connection refused").contains("/msg bob");
        }
    }

    @Test
    void losingTheServer_whileWaitingForTheOfferer_endsTheWait_andSaysSo() throws Exception {
        User bob = signOn("bob");
        try (WireClient alice = wireUserWithKey("alice", Identity.generate())) {
            alice.send("/direct bob");
            bob.events().await(ClientEvent.DirectOffered.class);
            bob.client().acceptDirect("alice");
            ServerLine.DirectConnect told = alice.await(ServerLine.DirectConnect.class);

            server.stop();

            assertThat(bob.events().await(ClientEvent.DirectFailed.class).reason())
                    .isEqualTo("the connection to the server was lost while your client waited for alice to connect");
            org.awaitility.Awaitility.await().atMost(Recorder.WAIT).untilAsserted(() ->
                    assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", told.port()).close())
                            .isInstanceOf(IOException.class));
        }
    }

    @Test
    void anOffererWhoNeverConnects_isToldToTheAccepter_whenItsWaitEnds() throws Exception {
        User bob = signOn("bob", new DirectSettings(Duration.ofMillis(1500), DirectSettings.DEFAULT_MAX_FILE_BYTES));
        try (WireClient alice = wireUserWithKey("alice", Identity.generate())) {
            alice.send("/direct bob");
            bob.events().await(ClientEvent.DirectOffered.class);

            bob.client().acceptDirect("alice");

            ServerLine.DirectConnect told = alice.await(ServerLine.DirectConnect.class);
            assertThat(told.address()).isEqualTo("127.0.0.1");
            assertThat(bob.events().await(ClientEvent.DirectFailed.class).reason())
                    .contains("alice did not connect within 1 s").contains("/msg alice");
            assertThatThrownBy(() -> new java.net.Socket("127.0.0.1", told.port()).close())
                    .as("the port is closed once the wait is over").isInstanceOf(IOException.class);
        }
    }
}
