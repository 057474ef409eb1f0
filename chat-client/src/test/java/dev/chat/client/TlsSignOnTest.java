package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.server.ServerConfig;
import dev.chat.testkit.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Signing on with TLS to a real server: authorities, trust on first use, a changed certificate, the wrong port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsSignOnTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The server's data directory, shared so that its certificate is made once for all tests. */
    @TempDir
    static Path data;

    @TempDir
    Path directory;

    @RegisterExtension
    final TestServer server = TestServer.create()
            .configure(config -> config.tls(new ServerConfig.Tls(0, null, null, data)));

    private KnownServers known;
    /** Every question the prompt was asked, as {@code host:port fingerprint}. */
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final Recorder events = new Recorder();
    private final ChatClient client = new ChatClient(ChatClient.Settings.defaults(), events);

    @BeforeEach
    void start() throws IOException {
        // Started now, so that its certificate is there to read.
        server.start();
        known = new KnownServers(directory.resolve("home").resolve("known-servers"));
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private Login.Prompts answering(boolean answer) {
        return new Login.Prompts() {
            @Override
            public boolean trustFirstTime(String host, int port, String fingerprint) {
                asked.add(host + ":" + port + " " + fingerprint);
                return answer;
            }
        };
    }

    /** Trust in no authority at all: the self-signed certificate must go through trust on first use. */
    private Endpoint tofu() {
        return Endpoint.tls("127.0.0.1", server.tlsPort(), new ServerTrust(null, known));
    }

    private Login.Outcome signOn(Endpoint endpoint, String name, Login.Prompts prompts) throws InterruptedException {
        return client.signOn(endpoint, name, null, prompts);
    }

    /** The connection failure behind an outcome that is not signed on. */
    private static ConnectFailedException failure(Login.Outcome outcome) {
        return switch (outcome) {
            case Login.Outcome.TrustNeeded needed -> needed.failure();
            case Login.Outcome.Unreachable unreachable -> unreachable.failure();
            default -> throw new AssertionError("not a connection failure: " + outcome);
        };
    }

    @Test
    void firstConnection_asksWithTheServersFingerprint_remembersYes_andTheNextAsksNothing() throws Exception {
        assertThat(signOn(tofu(), "alice", answering(true))).isEqualTo(new Login.Outcome.SignedOn("alice"));

        assertThat(asked).containsExactly("127.0.0.1:" + server.tlsPort() + " " + server.server().tlsFingerprint());
        assertThat(known.fingerprint("127.0.0.1", server.tlsPort())).contains(server.server().tlsFingerprint());
        assertThat(client.state()).isInstanceOfSatisfying(ConnectionState.SignedOn.class, signedOn -> {
            assertThat(signedOn.tls()).isTrue();
            assertThat(signedOn.serverFingerprint()).contains(server.server().tlsFingerprint());
        });
        client.send("over tls");
        events.awaitBody("alice: over tls");
        client.quit(TIMEOUT);

        asked.clear();
        try (ChatClient again = new ChatClient(ChatClient.Settings.defaults(), event -> {
        })) {
            assertThat(again.signOn(tofu(), "alice", null, answering(false))).isInstanceOf(Login.Outcome.SignedOn.class);
        }
        assertThat(asked).isEmpty();
    }

    @Test
    void sayingNo_failsAsNotTrusted_andRemembersNothing() throws Exception {
        Login.Outcome outcome = signOn(tofu(), "alice", answering(false));

        assertThat(outcome).isInstanceOf(Login.Outcome.TrustNeeded.class);
        assertThat(failure(outcome).reason()).isEqualTo(ConnectFailedException.Reason.NOT_TRUSTED);
        assertThat(failure(outcome).presentedFingerprint()).contains(server.server().tlsFingerprint());
        assertThat(asked).hasSize(1);
        assertThat(Files.exists(known.file())).isFalse();
    }

    @Test
    void aChangedCertificate_isRefusedWithoutAsking_andTheFileIsLeftAlone() throws Exception {
        String other = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
        known.remember("127.0.0.1", server.tlsPort(), other);
        String before = Files.readString(known.file());

        Login.Outcome outcome = signOn(tofu(), "alice", answering(true));

        assertThat(outcome).isInstanceOf(Login.Outcome.TrustNeeded.class);
        ConnectFailedException e = failure(outcome);
        assertThat(e.reason()).isEqualTo(ConnectFailedException.Reason.CERTIFICATE_CHANGED);
        assertThat(e.knownFingerprint()).contains(other);
        assertThat(e.presentedFingerprint()).contains(server.server().tlsFingerprint());
        assertThat(e.certificateChangeExplained(known.file())).contains("Trusted before: " + other,
                "Shown now: " + server.server().tlsFingerprint());
        assertThat(asked).isEmpty();
        assertThat(Files.readString(known.file())).isEqualTo(before);
        assertThat(client.state()).isInstanceOf(ConnectionState.Offline.class);
    }

    @Test
    void aCertificateAnAuthorityVouchesFor_isTrustedWithoutAskingOrRemembering() throws Exception {
        // The server's own certificate as the only authority: what a CA-issued certificate looks like to a client.
        X509ExtendedTrustManager authorities = trusting(serverCertificate());
        Endpoint endpoint = Endpoint.tls("127.0.0.1", server.tlsPort(), new ServerTrust(authorities, known));

        assertThat(signOn(endpoint, "carol", answering(false))).isInstanceOf(Login.Outcome.SignedOn.class);

        assertThat(asked).isEmpty();
        assertThat(Files.exists(known.file())).isFalse();
    }

    @Test
    void anAuthorityThatDoesNotVouch_leavesItToTheUser() throws Exception {
        // The JDK's own authorities know nothing of a self-signed certificate.
        Endpoint endpoint = Endpoint.tls("127.0.0.1", server.tlsPort(), ServerTrust.withSystemAuthorities(known));

        assertThat(signOn(endpoint, "dave", answering(true))).isInstanceOf(Login.Outcome.SignedOn.class);

        assertThat(asked).hasSize(1);
        assertThat(known.fingerprint("127.0.0.1", server.tlsPort())).contains(server.server().tlsFingerprint());
    }

    @Test
    void tlsOnThePlainPort_failsAtOnceSayingSo() throws Exception {
        Endpoint endpoint = Endpoint.tls("127.0.0.1", server.port(), new ServerTrust(null, known));
        long started = System.nanoTime();

        Login.Outcome outcome = signOn(endpoint, "alice", answering(true));

        assertThat(outcome).isInstanceOf(Login.Outcome.Unreachable.class);
        assertThat(failure(outcome).reason()).isEqualTo(ConnectFailedException.Reason.NOT_TLS);
        assertThat(failure(outcome).getMessage()).isEqualTo("Cannot connect to 127.0.0.1:" + server.port()
                + ": the server did not answer with TLS (is this the plain port?)");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
        assertThat(asked).isEmpty();
    }

    @Test
    void aServerThatNeverAnswersTheHandshake_timesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Endpoint endpoint = Endpoint.tls("127.0.0.1", silent.getLocalPort(), new ServerTrust(null, known));
            try (ChatClient impatient = new ChatClient(ChatClient.Settings.defaults()
                    .withConnectTimeout(Duration.ofMillis(500)), event -> {
                    })) {
                Login.Outcome outcome = impatient.signOn(endpoint, "alice", null, answering(true));

                assertThat(failure(outcome).reason()).isEqualTo(ConnectFailedException.Reason.TLS_TIMED_OUT);
            }
        }
    }

    private Certificate serverCertificate() throws Exception {
        char[] password = Files.readAllLines(data.resolve("server.p12.password"), StandardCharsets.UTF_8)
                .getFirst().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(data.resolve("server.p12"))) {
            store.load(in, password);
        }
        Certificate certificate = store.getCertificate(store.aliases().nextElement());
        assertThat(Fingerprint.of(certificate)).isEqualTo(server.server().tlsFingerprint());
        return certificate;
    }

    private static X509ExtendedTrustManager trusting(Certificate authority) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("authority", authority);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return (X509ExtendedTrustManager) factory.getTrustManagers()[0];
    }
}
