package dev.chat.swing.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.client.ConnectFailedException;
import dev.chat.client.ConnectionState;
import dev.chat.client.KnownServers;
import dev.chat.client.TrustPrompt;
import dev.chat.server.ChatServer;
import dev.chat.server.ServerConfig;
import dev.chat.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model against a real server that listens only with TLS and has a password: trust on
 * first use, a changed certificate, right, wrong and missing passwords, and reconnection.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChatModelSecurityTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SECRET = "correct horse 7";
    private static final String HOST = "127.0.0.1";
    /** A well-formed fingerprint no generated certificate has. */
    private static final String OTHER_FINGERPRINT = String.join(":", java.util.Collections.nCopies(32, "AB"));

    /** The server's data directory, where its self-signed certificate is kept across a restart. */
    @TempDir
    Path data;

    @TempDir
    Path home;

    @RegisterExtension
    final TestServer server = TestServer.create().password(SECRET)
            .configure(config -> config.plain(false).tls(new ServerConfig.Tls(0, null, null, data)));

    private KnownServers known;
    /** Every question the trust prompt was asked, as {@code host:port fingerprint}. */
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<ChatModel> models = new ArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        known = new KnownServers(home.resolve("config").resolve("known-servers"));
        server.start();
    }

    @AfterEach
    void stop() {
        models.forEach(ChatModel::close);
    }

    private ChatModel model(RecordingListener events, boolean answer) {
        ChatModel model = new ChatModel(events, known, answering(answer));
        models.add(model);
        return model;
    }

    private TrustPrompt answering(boolean answer) {
        return (host, port, fingerprint) -> {
            asked.add(host + ":" + port + " " + fingerprint);
            return answer;
        };
    }

    private static ConnectOutcome awaitOutcome(RecordingListener events) {
        await().atMost(WAIT).until(() -> !events.outcomes.isEmpty());
        return events.outcomes.getFirst();
    }

    @Test
    void firstConnection_asksWithTheFingerprint_remembersIt_andTheNextConnectionAsksNothing() throws Exception {
        RecordingListener first = new RecordingListener();
        model(first, true).connect(HOST, server.tlsPort(), true, SECRET, "alice");

        assertThat(awaitOutcome(first)).isEqualTo(new ConnectOutcome.Connected(HOST, server.tlsPort(), true, "alice"));
        assertThat(asked).containsExactly(HOST + ":" + server.tlsPort() + " " + server.server().tlsFingerprint());
        assertThat(known.fingerprint(HOST, server.tlsPort())).contains(server.server().tlsFingerprint());

        RecordingListener second = new RecordingListener();
        model(second, false).connect(HOST, server.tlsPort(), true, SECRET, "bob");
        assertThat(awaitOutcome(second)).isEqualTo(new ConnectOutcome.Connected(HOST, server.tlsPort(), true, "bob"));
        assertThat(asked).as("a known server is not asked about again").hasSize(1);
        await().atMost(WAIT).until(() -> server.userCount() == 2);
    }

    @Test
    void declinedCertificate_connectsNot_andIsNotRemembered() throws Exception {
        RecordingListener events = new RecordingListener();
        model(events, false).connect(HOST, server.tlsPort(), true, SECRET, "alice");

        assertThat(awaitOutcome(events)).isInstanceOfSatisfying(ConnectOutcome.Untrusted.class, untrusted -> {
            assertThat(untrusted.reason()).isEqualTo(ConnectFailedException.Reason.NOT_TRUSTED);
            assertThat(untrusted.message()).contains(server.server().tlsFingerprint()).doesNotContain(SECRET);
        });
        assertThat(asked).hasSize(1);
        assertThat(Files.exists(known.file())).isFalse();
        assertThat(events.currentState()).isEqualTo(new ConnectionState.Offline());
        assertThat(server.userCount()).isZero();
    }

    @Test
    void changedCertificate_isRefusedWithoutAsking_namingBothFingerprintsAndTheLineToRemove() throws Exception {
        known.remember(HOST, server.tlsPort(), OTHER_FINGERPRINT);
        String before = Files.readString(known.file());
        RecordingListener events = new RecordingListener();
        model(events, true).connect(HOST, server.tlsPort(), true, SECRET, "alice");

        assertThat(awaitOutcome(events)).isInstanceOfSatisfying(ConnectOutcome.Untrusted.class, untrusted -> {
            assertThat(untrusted.reason()).isEqualTo(ConnectFailedException.Reason.CERTIFICATE_CHANGED);
            assertThat(untrusted.message())
                    .contains("certificate of the server " + HOST + ":" + server.tlsPort() + " has changed")
                    .contains("Trusted before: " + OTHER_FINGERPRINT)
                    .contains("Shown now: " + server.server().tlsFingerprint())
                    .contains("delete the line \"" + HOST + ":" + server.tlsPort() + " " + OTHER_FINGERPRINT + "\"")
                    .contains(known.file().toString())
                    .doesNotContain(SECRET);
        });
        assertThat(asked).as("a changed certificate is never put to the user as a new one").isEmpty();
        assertThat(Files.readString(known.file())).isEqualTo(before);
        assertThat(server.userCount()).isZero();
    }

    @Test
    void wrongPassword_isAPasswordProblem_andTheRightOneThenConnects() throws Exception {
        known.remember(HOST, server.tlsPort(), server.server().tlsFingerprint());
        RecordingListener events = new RecordingListener();
        ChatModel model = model(events, false);
        model.connect(HOST, server.tlsPort(), true, "not it", "alice");

        assertThat(awaitOutcome(events)).isInstanceOfSatisfying(ConnectOutcome.PasswordRefused.class,
                refused -> assertThat(refused.message()).contains("refused the password").doesNotContain("not it"));
        assertThat(server.userCount()).isZero();

        model.connect(HOST, server.tlsPort(), true, SECRET, "alice");
        await().atMost(WAIT).until(() -> events.outcomes.size() == 2);
        assertThat(events.outcomes.get(1)).isEqualTo(new ConnectOutcome.Connected(HOST, server.tlsPort(), true, "alice"));
        assertThat(asked).isEmpty();
    }

    @Test
    void noPassword_forAServerThatNeedsOne_asksForIt() throws Exception {
        known.remember(HOST, server.tlsPort(), server.server().tlsFingerprint());
        RecordingListener events = new RecordingListener();
        model(events, false).connect(HOST, server.tlsPort(), true, "", "alice");

        assertThat(awaitOutcome(events)).isInstanceOfSatisfying(ConnectOutcome.PasswordRefused.class,
                refused -> assertThat(refused.message()).contains("needs a password"));
        assertThat(server.userCount()).isZero();
    }

    @Test
    void plainTextToTheTlsPort_isUnreachableWithAClearReason() {
        RecordingListener events = new RecordingListener();
        model(events, true).connect(HOST, server.tlsPort(), false, SECRET, "alice");

        assertThat(awaitOutcome(events)).isInstanceOf(ConnectOutcome.Unreachable.class);
        assertThat(asked).isEmpty();
        assertThat(server.userCount()).isZero();
    }

    @Test
    void reconnection_givesThePasswordAgain_withoutAskingAboutTheKnownCertificate() throws Exception {
        RecordingListener events = new RecordingListener();
        model(events, true).connect(HOST, server.tlsPort(), true, SECRET, "alice");
        assertThat(awaitOutcome(events)).isInstanceOf(ConnectOutcome.Connected.class);
        int tlsPort = server.tlsPort();

        server.stop();
        await().atMost(WAIT).until(() -> events.currentState() instanceof ConnectionState.Reconnecting);
        server.start();

        await().atMost(WAIT).until(() -> events.in(ChatModel.ROOM).stream()
                .anyMatch(e -> e.kind() == Entry.Kind.LOCAL && e.text().equals("Reconnected to " + HOST + ":" + tlsPort + ".")));
        assertThat(events.signedOnAs("alice")).isTrue();
        assertThat(server.userCount()).isEqualTo(1);
        assertThat(asked).as("asked only the first time").hasSize(1);
        assertThat(events.entries).noneMatch(added -> added.entry().text().contains(SECRET));
    }

    @Test
    void reconnection_toAServerWithANewCertificate_stopsAndSaysWhy() throws Exception {
        RecordingListener events = new RecordingListener();
        model(events, true).connect(HOST, server.tlsPort(), true, SECRET, "alice");
        assertThat(awaitOutcome(events)).isInstanceOf(ConnectOutcome.Connected.class);
        int tlsPort = server.tlsPort();
        String trusted = server.server().tlsFingerprint();

        server.stop();
        await().atMost(WAIT).until(() -> events.currentState() instanceof ConnectionState.Reconnecting);
        // The same port with another certificate.
        ChatServer other = server.closeAfter(ChatServer.start(ServerConfig.defaults().toBuilder().bind(HOST)
                .plain(false).passwordFile(server.directory().resolve("password"))
                .tls(new ServerConfig.Tls(tlsPort, null, null, home.resolve("other-data"))).build()));
        assertThat(other.tlsFingerprint()).isNotEqualTo(trusted);

        await().atMost(WAIT).until(() -> events.in(ChatModel.ROOM).stream()
                .anyMatch(e -> e.kind() == Entry.Kind.LOCAL && e.text().contains("has changed since you trusted it")));
        assertThat(events.currentState()).isEqualTo(new ConnectionState.Offline());
        assertThat(events.reconnectsStopped).as("the window is told, to open the connect dialog").singleElement()
                .isInstanceOf(ConnectOutcome.Untrusted.class);
        assertThat(other.userCount()).isZero();
        assertThat(known.fingerprint(HOST, tlsPort)).contains(trusted);
        assertThat(asked).hasSize(1);
    }
}
