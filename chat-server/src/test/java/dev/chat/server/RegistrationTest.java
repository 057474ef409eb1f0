package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Registered names over the wire: the key challenge, /register, signing on and /nick with a
 * signature, /publish and /key, /unregister, and the file the names are kept in.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistrationTest {

    private static final String OPERATOR_PASSWORD = "op-secret-42";

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    private final TestKey aliceKey = new TestKey();
    private final TestKey otherKey = new TestKey();

    /** A user on a new connection, with the connection's challenge read. */
    private record User(WireClient wire, String challenge) {

        void send(String line) throws IOException {
            wire.send(line);
        }

        <T extends ServerLine> T await(Class<T> type) throws IOException {
            return wire.await(type);
        }

        ServerLine.Error error() throws IOException {
            return wire.await(ServerLine.Error.class);
        }
    }

    private User connect() throws IOException {
        WireClient wire = server.connect();
        return new User(wire, wire.await(ServerLine.Challenge.class).challenge());
    }

    /** Signs on as {@code name} with a bare name and registers it to {@code key}. */
    private User registered(String name, TestKey key) throws IOException {
        User user = connect();
        user.wire().register(name);
        user.send("/register " + key.token() + " " + key.sign(user.challenge(), name));
        ServerLine.Registered answer = user.await(ServerLine.Registered.class);
        assertThat(answer.name()).isEqualTo(name);
        assertThat(answer.fingerprint()).isEqualTo(key.fingerprint());
        return user;
    }

    /** Ends {@code user}'s session and waits until the server has closed it, its name free again. */
    private static void quit(User user) throws IOException {
        user.send("/quit");
        user.wire().readToEnd();
    }

    private static String chatLog() throws IOException {
        return Files.readString(Path.of(System.getProperty("chat.log.file")));
    }

    @Test
    void theKeyChallenge_comesOnceJustBeforeTheFirstNamePrompt_andIsTheConnections() throws IOException {
        WireClient first = server.connect();
        first.await(ServerLine.NamePrompt.class);
        List<ServerLine> lines = first.seen().stream().map(ServerLine::parse).toList();
        assertThat(lines.get(lines.size() - 2)).isInstanceOf(ServerLine.Challenge.class);
        assertThat(lines).filteredOn(ServerLine.Challenge.class::isInstance).hasSize(1);

        User second = connect();
        assertThat(second.challenge()).hasSize(43)
                .isNotEqualTo(((ServerLine.Challenge) lines.get(lines.size() - 2)).challenge());
    }

    @Test
    void aRegisteredName_isRefusedAsABareName_andTheConnectionStaysOpenForAnother() throws IOException {
        User alice = registered("alice", aliceKey);
        quit(alice);

        User mallory = connect();
        mallory.send("Alice");
        ServerLine.Error refused = mallory.error();
        assertThat(refused.code()).isEqualTo(ErrorCode.NAME_REGISTERED);
        assertThat(refused.text()).contains("\"Alice\" is registered", "Enter another name:");
        mallory.wire().register("mallory");
        assertThat(chatLog()).contains("*** alice registered its name to key " + aliceKey.fingerprint(),
                "*** name \"Alice\" refused for ");
    }

    @Test
    void aRegisteredName_whileItsHolderIsOnline_isTaken() throws IOException {
        registered("alice", aliceKey);
        User other = connect();
        other.send("/sign alice " + aliceKey.sign(other.challenge(), "alice"));
        assertThat(other.error().code()).isEqualTo(ErrorCode.NAME_TAKEN);
    }

    @Test
    void sign_withTheRightKeyGivesTheName_anyOtherSignatureDoesNot() throws IOException {
        User alice = registered("alice", aliceKey);
        String oldChallenge = alice.challenge();
        quit(alice);

        User user = connect();
        for (String wrong : List.of(
                otherKey.sign(user.challenge(), "alice"),          // another key
                aliceKey.sign(oldChallenge, "alice"),               // another connection's challenge
                aliceKey.sign(user.challenge(), "bob"),             // another name
                aliceKey.sign(user.challenge(), "alice", "AB".repeat(32)),   // another server's certificate
                "not-a-signature")) {
            user.send("/sign alice " + wrong);
            assertThat(user.error().code()).as(wrong).isEqualTo(ErrorCode.NAME_REGISTERED);
        }
        user.send("/sign ALICE " + aliceKey.sign(user.challenge(), "alice"));
        assertThat(user.await(ServerLine.Welcome.class).name()).isEqualTo("ALICE");
        assertThat(chatLog()).contains("*** ALICE joined from ");
    }

    @Test
    void overTls_theSignatureCoversTheServersCertificate() throws IOException {
        server.tls();
        String certificate = server.server().tlsFingerprint();
        try (WireClient alice = WireClient.connectTls(server.tlsPort())) {
            String challenge = alice.await(ServerLine.Challenge.class).challenge();
            alice.register("alice");
            alice.send("/register " + aliceKey.token() + " " + aliceKey.sign(challenge, "alice"));
            assertThat(alice.await(ServerLine.Error.class).code()).as("signed as on a plain connection")
                    .isEqualTo(ErrorCode.SIGNATURE_WRONG);
            alice.send("/register " + aliceKey.token() + " " + aliceKey.sign(challenge, "alice", certificate));
            alice.await(ServerLine.Registered.class);
            alice.send("/quit");
            alice.readToEnd();
        }
        try (WireClient again = WireClient.connectTls(server.tlsPort())) {
            String challenge = again.await(ServerLine.Challenge.class).challenge();
            again.send("/sign alice " + aliceKey.sign(challenge, "alice", "AB".repeat(32)));
            assertThat(again.await(ServerLine.Error.class).code()).as("another server's certificate")
                    .isEqualTo(ErrorCode.NAME_REGISTERED);
            again.send("/sign alice " + aliceKey.sign(challenge, "alice", certificate));
            assertThat(again.await(ServerLine.Welcome.class).name()).isEqualTo("alice");
        }
    }

    @Test
    void behindATlsProxy_plainConnectionsAreSignedOverTheProxysCertificate() throws IOException {
        String proxy = String.join(":", java.util.Collections.nCopies(32, "5A"));
        server.configure(config -> config.proxyFingerprint(proxy));
        User alice = connect();
        alice.wire().register("alice");
        alice.send("/register " + aliceKey.token() + " " + aliceKey.sign(alice.challenge(), "alice"));
        assertThat(alice.error().code()).as("signed as on a plain connection").isEqualTo(ErrorCode.SIGNATURE_WRONG);
        alice.send("/register " + aliceKey.token() + " " + aliceKey.sign(alice.challenge(), "alice", proxy));
        assertThat(alice.await(ServerLine.Registered.class).name()).isEqualTo("alice");
    }

    @Test
    void sign_forAnUnregisteredName_takesItLikeABareName() throws IOException {
        User bob = connect();
        bob.send("/sign bob " + otherKey.sign(bob.challenge(), "bob"));
        assertThat(bob.await(ServerLine.Welcome.class).name()).isEqualTo("bob");
        bob.send("/key bob");
        assertThat(bob.await(ServerLine.NoKey.class).name()).isEqualTo("bob");
    }

    @Test
    void nick_toARegisteredNameNeedsItsSignature() throws IOException {
        User alice = registered("alice", aliceKey);
        alice.send("/nick al");
        alice.await(ServerLine.NickChanged.class);
        User bob = connect();
        bob.wire().register("bob");

        bob.send("/nick alice");
        assertThat(bob.error().code()).isEqualTo(ErrorCode.NAME_REGISTERED);
        bob.send("/nick alice " + otherKey.sign(bob.challenge(), "alice"));
        assertThat(bob.error().code()).isEqualTo(ErrorCode.NAME_REGISTERED);
        bob.send("/sign alice " + otherKey.sign(bob.challenge(), "alice"));
        assertThat(bob.error().code()).isEqualTo(ErrorCode.NAME_REGISTERED);

        alice.send("/nick alice " + aliceKey.sign(alice.challenge(), "alice"));
        assertThat(alice.await(ServerLine.NickChanged.class)).extracting(ServerLine.NickChanged::to).isEqualTo("alice");
        // Its holder changes only the case of a name without signing again.
        alice.send("/nick Alice");
        assertThat(alice.await(ServerLine.NickChanged.class).to()).isEqualTo("Alice");
        alice.send("/key alice");
        assertThat(alice.await(ServerLine.KeyOf.class).key()).isEqualTo(aliceKey.token());
    }

    @Test
    void register_refusesWhatIsNoKey_aWrongSignature_andAnotherKeyForARegisteredName() throws IOException {
        User alice = connect();
        alice.wire().register("alice");
        alice.send("/register chatkey1:nonsense " + aliceKey.sign(alice.challenge(), "alice"));
        assertThat(alice.error().code()).isEqualTo(ErrorCode.KEY_INVALID);
        alice.send("/register " + aliceKey.token() + " " + otherKey.sign(alice.challenge(), "alice"));
        assertThat(alice.error().code()).isEqualTo(ErrorCode.SIGNATURE_WRONG);
        alice.send("/register " + aliceKey.token());
        assertThat(alice.error().code()).isEqualTo(ErrorCode.USAGE);

        alice.send("/register " + aliceKey.token() + " " + aliceKey.sign(alice.challenge(), "alice"));
        alice.await(ServerLine.Registered.class);
        // The holder may move the name to a new key.
        alice.send("/register " + otherKey.token() + " " + otherKey.sign(alice.challenge(), "alice"));
        assertThat(alice.await(ServerLine.Registered.class).fingerprint()).isEqualTo(otherKey.fingerprint());
        alice.send("/key alice");
        assertThat(alice.await(ServerLine.KeyOf.class).key()).isEqualTo(otherKey.token());
    }

    @Test
    void publish_andKey_answerWithTheRegisteredOrPublishedKey_orSayThereIsNone() throws IOException {
        quit(registered("alice", aliceKey));
        User bob = connect();
        bob.wire().register("bob");
        User carol = connect();
        carol.wire().register("carol");

        bob.send("/publish " + otherKey.token() + " " + otherKey.sign(bob.challenge(), "bob"));
        assertThat(bob.await(ServerLine.Published.class))
                .extracting(ServerLine.Published::fingerprint, ServerLine.Published::name)
                .containsExactly(otherKey.fingerprint(), "bob");

        carol.send("/key BOB");
        assertThat(carol.await(ServerLine.KeyOf.class)).extracting(ServerLine.KeyOf::name, ServerLine.KeyOf::key)
                .containsExactly("bob", otherKey.token());
        carol.send("/key alice");
        assertThat(carol.await(ServerLine.KeyOf.class)).extracting(ServerLine.KeyOf::name, ServerLine.KeyOf::key)
                .as("a registered name's key, its holder offline").containsExactly("alice", aliceKey.token());
        carol.send("/key carol");
        assertThat(carol.await(ServerLine.NoKey.class).name()).isEqualTo("carol");
        carol.send("/key nobody");
        assertThat(carol.error().code()).isEqualTo(ErrorCode.NO_SUCH_USER);

        // A published key goes with the name: after /nick, the new name has none.
        bob.send("/nick bobby");
        bob.await(ServerLine.NickChanged.class);
        carol.send("/key bobby");
        assertThat(carol.await(ServerLine.NoKey.class).name()).isEqualTo("bobby");

        bob.send("/publish " + otherKey.token() + " " + otherKey.sign(bob.challenge(), "bob"));
        assertThat(bob.error().code()).as("signed for the old name").isEqualTo(ErrorCode.SIGNATURE_WRONG);
        bob.send("/publish not-a-key " + otherKey.sign(bob.challenge(), "bobby"));
        assertThat(bob.error().code()).isEqualTo(ErrorCode.KEY_INVALID);
    }

    @Test
    void publish_forARegisteredName_takesOnlyItsRegisteredKey() throws IOException {
        User alice = registered("alice", aliceKey);
        alice.send("/publish " + otherKey.token() + " " + otherKey.sign(alice.challenge(), "alice"));
        assertThat(alice.error().code()).isEqualTo(ErrorCode.KEY_INVALID);
        alice.send("/publish " + aliceKey.token() + " " + aliceKey.sign(alice.challenge(), "alice"));
        assertThat(alice.await(ServerLine.Published.class).fingerprint()).isEqualTo(aliceKey.fingerprint());
    }

    @Test
    void unregister_byItsHolder_releasesTheName() throws IOException {
        User alice = registered("alice", aliceKey);
        alice.send("/unregister");
        assertThat(alice.await(ServerLine.Unregistered.class).name()).isEqualTo("alice");
        alice.send("/unregister");
        assertThat(alice.error().code()).isEqualTo(ErrorCode.USAGE);
        quit(alice);

        User anyone = connect();
        anyone.wire().register("alice");
        assertThat(chatLog()).contains("*** alice released its registered name");
    }

    @Test
    void unregister_ofAnotherName_isForOperators() throws IOException {
        Path operators = server.file("operators", Operators.entry("admin", OPERATOR_PASSWORD.toCharArray()) + "\n");
        server.configure(config -> config.operatorsFile(operators));
        User alice = registered("alice", aliceKey);
        User bob = connect();
        bob.wire().register("bob");

        bob.send("/unregister alice");
        assertThat(bob.error().code()).isEqualTo(ErrorCode.NOT_OPERATOR);

        bob.send("/oper admin " + OPERATOR_PASSWORD);
        bob.await(ServerLine.Info.class);
        bob.send("/unregister nobody");
        assertThat(bob.error().code()).isEqualTo(ErrorCode.USAGE);
        bob.send("/unregister ALICE");
        assertThat(bob.await(ServerLine.Unregistered.class).name()).isEqualTo("alice");
        assertThat(alice.await(ServerLine.Unregistered.class).name()).as("the holder online is told").isEqualTo("alice");
        assertThat(chatLog()).contains("*** bob released the registered name alice");
        quit(alice);

        User anyone = connect();
        anyone.wire().register("alice");
    }

    @Test
    void registrations_surviveARestart_andAreReadAgainOnReload() throws IOException {
        User alice = registered("alice", aliceKey);
        quit(alice);
        Path file = server.directory().resolve("registrations.txt");
        assertThat(Files.readAllLines(file)).contains("alice " + aliceKey.token());

        server.stop();
        server.start();
        User mallory = connect();
        mallory.send("alice");
        assertThat(mallory.error().code()).isEqualTo(ErrorCode.NAME_REGISTERED);

        // The admin edits the file: alice's key is replaced by another, carol's added; then SIGHUP.
        Files.writeString(file, "# edited\nalice " + otherKey.token() + "\ncarol " + aliceKey.token() + "\n");
        server.server().reload(server.server().config());
        mallory.send("/sign alice " + aliceKey.sign(mallory.challenge(), "alice"));
        assertThat(mallory.error().code()).isEqualTo(ErrorCode.NAME_REGISTERED);
        mallory.send("carol");
        assertThat(mallory.error().code()).isEqualTo(ErrorCode.NAME_REGISTERED);
        mallory.send("/sign alice " + otherKey.sign(mallory.challenge(), "alice"));
        assertThat(mallory.await(ServerLine.Welcome.class).name()).isEqualTo("alice");
    }

    @Test
    void aReloadOfABrokenFile_keepsTheNamesAsTheyWere() throws IOException {
        quit(registered("alice", aliceKey));
        Path file = server.directory().resolve("registrations.txt");
        Files.writeString(file, "alice chatkey1:broken\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> server.server().reload(server.server().config()))
                .isInstanceOf(IOException.class).hasMessageContaining("line 1");
        User mallory = connect();
        mallory.send("alice");
        assertThat(mallory.error().code()).isEqualTo(ErrorCode.NAME_REGISTERED);
    }

    @Test
    void aServerThatRegistersNoNames_sendsNoChallenge_andRefusesRegistering() throws IOException {
        server.configure(config -> config.registrationsFile(null));
        WireClient bob = server.connect();
        bob.await(ServerLine.NamePrompt.class);
        assertThat(bob.seen()).noneMatch(line -> ServerLine.parse(line) instanceof ServerLine.Challenge);
        bob.register("bob");
        bob.send("/register " + aliceKey.token() + " " + "A".repeat(86));
        assertThat(bob.await(ServerLine.Error.class).text()).contains("does not register names");
        bob.send("/key bob");
        assertThat(bob.await(ServerLine.NoKey.class).name()).isEqualTo("bob");
    }

    @Test
    void withAPassword_signingIsRefusedBeforeIt_andTheChallengeComesAfterIt() throws IOException {
        server.password("letmein");
        WireClient bob = server.connect();
        bob.await(ServerLine.PasswordPrompt.class);
        bob.send("/sign bob " + "A".repeat(86));
        assertThat(bob.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.PASSWORD_REQUIRED);
        bob.send("/pass letmein");
        ServerLine.Challenge challenge = bob.await(ServerLine.Challenge.class);
        assertThat(bob.next()).isInstanceOf(ServerLine.NamePrompt.class);
        assertThat(challenge.challenge()).hasSize(43);
    }
}
