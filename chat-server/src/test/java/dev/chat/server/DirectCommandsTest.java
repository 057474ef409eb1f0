package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Offers of direct connections over the wire: /direct, /direct-accept and /direct-decline, and
 * what is refused (nobody of that name, oneself, no key, no offer, a bad port).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectCommandsTest {

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    /** Signs on as {@code name} and publishes a fresh key for it. */
    private WireClient withKey(String name) throws IOException {
        WireClient wire = server.connect();
        String challenge = wire.await(ServerLine.Challenge.class).challenge();
        wire.register(name);
        TestKey key = new TestKey();
        wire.send("/publish " + key.token() + " " + key.sign(challenge, name));
        wire.await(ServerLine.Published.class);
        return wire;
    }

    @Test
    void anAcceptedOffer_tellsEachSideTheOthersAddressAndTheAcceptersPort() throws IOException {
        try (WireClient alice = withKey("alice"); WireClient bob = withKey("bob")) {
            alice.send("/direct bob");
            assertThat(alice.await(ServerLine.DirectOffered.class).name()).isEqualTo("bob");
            assertThat(bob.await(ServerLine.DirectOffer.class).name()).isEqualTo("alice");

            bob.send("/direct-accept alice 40123");

            ServerLine.DirectConnect connect = alice.await(ServerLine.DirectConnect.class);
            assertThat(connect.name()).isEqualTo("bob");
            assertThat(connect.address()).isEqualTo("127.0.0.1");
            assertThat(connect.port()).isEqualTo(40123);
            ServerLine.DirectListen listen = bob.await(ServerLine.DirectListen.class);
            assertThat(listen.name()).isEqualTo("alice");
            assertThat(listen.address()).isEqualTo("127.0.0.1");
            assertThat(listen.port()).isEqualTo(40123);
        }
    }

    @Test
    void anOffer_isAnsweredOnce() throws IOException {
        try (WireClient alice = withKey("alice"); WireClient bob = withKey("bob")) {
            alice.send("/direct bob");
            bob.await(ServerLine.DirectOffer.class);
            bob.send("/direct-accept alice 40123");
            bob.await(ServerLine.DirectListen.class);

            bob.send("/direct-accept alice 40124");

            assertThat(bob.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NO_OFFER);
        }
    }

    @Test
    void aDeclinedOffer_isToldToWhoMadeIt() throws IOException {
        try (WireClient alice = withKey("alice"); WireClient bob = withKey("bob")) {
            alice.send("/direct bob");
            bob.await(ServerLine.DirectOffer.class);

            bob.send("/direct-decline alice");

            assertThat(alice.await(ServerLine.DirectDeclined.class).name()).isEqualTo("bob");
            bob.send("/direct-accept alice 40123");
            assertThat(bob.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NO_OFFER);
        }
    }

    @Test
    void acceptingWhatNobodyOffered_isRefusedWithoutTellingAnyAddress() throws IOException {
        try (WireClient alice = withKey("alice"); WireClient mallory = withKey("mallory")) {
            mallory.send("/direct-accept alice 40123");

            assertThat(mallory.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NO_OFFER);
            mallory.send("/direct-decline alice");
            assertThat(mallory.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NO_OFFER);
            alice.send("/who");
            alice.await(ServerLine.Online.class);
            assertThat(alice.seen()).noneMatch(line -> line.contains("Direct connection"));
        }
    }

    @Test
    void anOffer_endsWithTheSessionThatMadeIt() throws IOException {
        try (WireClient bob = withKey("bob")) {
            try (WireClient alice = withKey("alice")) {
                alice.send("/direct bob");
                bob.await(ServerLine.DirectOffer.class);
                alice.send("/quit");
                alice.readToEnd();
            }
            try (WireClient newAlice = withKey("alice")) {
                bob.send("/direct-accept alice 40123");

                assertThat(bob.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NO_OFFER);
                newAlice.send("/who");
                newAlice.await(ServerLine.Online.class);
                assertThat(newAlice.seen()).noneMatch(line -> line.contains("Direct connection"));
            }
        }
    }

    @Test
    void offersToNobodyToOneselfOrWithoutKeys_areRefused() throws IOException {
        try (WireClient alice = withKey("alice"); WireClient plain = WireClient.register(server.port(), "plain")) {
            alice.send("/direct nobody");
            assertThat(alice.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NO_SUCH_USER);
            alice.send("/direct ALICE");
            assertThat(alice.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.USAGE);
            alice.send("/direct plain");
            assertThat(alice.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.KEY_REQUIRED);
            plain.send("/direct alice");
            assertThat(plain.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.KEY_REQUIRED);
            plain.send("/who");
            plain.await(ServerLine.Online.class);
            assertThat(alice.seen()).noneMatch(line -> line.contains("offers a direct connection"));
        }
    }

    @Test
    void oneUser_mayHaveEightOffersWaiting_andNoMore() throws IOException {
        java.util.List<WireClient> others = new java.util.ArrayList<>();
        try (WireClient alice = withKey("alice")) {
            for (int i = 1; i <= DirectCommands.MAX_OFFERS_PER_SESSION + 1; i++) {
                others.add(withKey("user" + i));
            }
            for (int i = 1; i <= DirectCommands.MAX_OFFERS_PER_SESSION; i++) {
                alice.send("/direct user" + i);
                assertThat(alice.await(ServerLine.DirectOffered.class).name()).isEqualTo("user" + i);
            }
            alice.send("/direct user1");
            assertThat(alice.await(ServerLine.DirectOffered.class).name()).as("the same offer again").isEqualTo("user1");

            alice.send("/direct user9");

            ServerLine.Error refused = alice.await(ServerLine.Error.class);
            assertThat(refused.code()).isEqualTo(ErrorCode.OTHER);
            assertThat(refused.text()).contains("8 direct connection offers waiting");
            others.getFirst().send("/direct-decline alice");
            alice.await(ServerLine.DirectDeclined.class);
            alice.send("/direct user9");
            assertThat(alice.await(ServerLine.DirectOffered.class).name()).isEqualTo("user9");
        } finally {
            for (WireClient other : others) {
                other.close();
            }
        }
    }

    @Test
    void aPortThatIsNoPort_isRefused() throws IOException {
        try (WireClient alice = withKey("alice"); WireClient bob = withKey("bob")) {
            alice.send("/direct bob");
            bob.await(ServerLine.DirectOffer.class);
            for (String port : new String[] {"0", "65536", "http", "-1"}) {
                bob.send("/direct-accept alice " + port);
                ServerLine.Error error = bob.await(ServerLine.Error.class);
                assertThat(error.code()).isEqualTo(ErrorCode.USAGE);
                assertThat(error.text()).contains("is not a port");
            }
            bob.send("/direct-accept alice 5000");
            assertThat(alice.await(ServerLine.DirectConnect.class).port()).isEqualTo(5000);
        }
    }
}
