package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ServerLine;
import dev.chat.server.ChatServer;
import dev.chat.server.ServerConfig;
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
import org.junit.jupiter.api.io.TempDir;

/** TLS connections to a real server: authorities, trust on first use, a changed certificate, the wrong port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsConnectionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The server's data directory, shared so that its certificate is made once for all tests. */
    @TempDir
    static Path data;

    @TempDir
    Path directory;

    private ChatServer server;
    private KnownServers known;
    /** Every question the prompt was asked, as {@code host:port fingerprint}. */
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private ChatClient client;

    @BeforeEach
    void start() throws IOException {
        server = ChatServer.start(ServerConfig.defaults().toBuilder().bind("127.0.0.1").port(0)
                .tls(new ServerConfig.Tls(0, null, null, data)).build());
        known = new KnownServers(directory.resolve("home").resolve("known-servers"));
        client = new ChatClient(new ChatClient.Listener() {
            @Override
            public void onLine(ServerLine line) {
                lines.add(line.body());
            }

            @Override
            public void onDisconnected(boolean byUs) {
            }
        });
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private TrustPrompt answering(boolean answer) {
        return (host, port, fingerprint) -> {
            asked.add(host + ":" + port + " " + fingerprint);
            return answer;
        };
    }

    /** Trust in no authority at all: the self-signed certificate must go through trust on first use. */
    private Endpoint tofu(TrustPrompt prompt) {
        return Endpoint.tls("127.0.0.1", server.tlsPort(), new ServerTrust(null, known, prompt));
    }

    @Test
    void firstConnection_asksWithTheServersFingerprint_remembersYes_andTheNextAsksNothing() throws Exception {
        client.connect(tofu(answering(true)), TIMEOUT);

        assertThat(asked).containsExactly("127.0.0.1:" + server.tlsPort() + " " + server.tlsFingerprint());
        assertThat(known.fingerprint("127.0.0.1", server.tlsPort())).contains(server.tlsFingerprint());
        assertThat(client.serverFingerprint()).contains(server.tlsFingerprint());
        assertThat(client.register("alice", TIMEOUT)).isEqualTo(new Registration.Accepted("alice"));
        client.send("over tls");
        await().atMost(TIMEOUT).until(() -> lines.contains("alice: over tls"));
        client.quit(TIMEOUT);

        asked.clear();
        client.connect(tofu(answering(false)), TIMEOUT);
        assertThat(asked).isEmpty();
        assertThat(client.register("alice", TIMEOUT)).isInstanceOf(Registration.Accepted.class);
    }

    @Test
    void sayingNo_failsAsNotTrusted_andRemembersNothing() throws Exception {
        assertThatThrownBy(() -> client.connect(tofu(answering(false)), TIMEOUT))
                .isInstanceOfSatisfying(ConnectFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConnectFailedException.Reason.NOT_TRUSTED);
                    assertThat(e.presentedFingerprint()).contains(server.tlsFingerprint());
                });
        assertThat(asked).hasSize(1);
        assertThat(Files.exists(known.file())).isFalse();
    }

    @Test
    void aChangedCertificate_isRefusedWithoutAsking_andTheFileIsLeftAlone() throws Exception {
        String other = "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";
        known.remember("127.0.0.1", server.tlsPort(), other);
        String before = Files.readString(known.file());

        assertThatThrownBy(() -> client.connect(tofu(answering(true)), TIMEOUT))
                .isInstanceOfSatisfying(ConnectFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConnectFailedException.Reason.CERTIFICATE_CHANGED);
                    assertThat(e.knownFingerprint()).contains(other);
                    assertThat(e.presentedFingerprint()).contains(server.tlsFingerprint());
                    assertThat(e.reason().needsUser()).isTrue();
                });
        assertThat(asked).isEmpty();
        assertThat(Files.readString(known.file())).isEqualTo(before);
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void aCertificateAnAuthorityVouchesFor_isTrustedWithoutAskingOrRemembering() throws Exception {
        // The server's own certificate as the only authority: what a CA-issued certificate looks like to a client.
        X509ExtendedTrustManager authorities = trusting(serverCertificate());
        Endpoint endpoint = Endpoint.tls("127.0.0.1", server.tlsPort(),
                new ServerTrust(authorities, known, answering(false)));

        client.connect(endpoint, TIMEOUT);

        assertThat(asked).isEmpty();
        assertThat(Files.exists(known.file())).isFalse();
        assertThat(client.register("carol", TIMEOUT)).isInstanceOf(Registration.Accepted.class);
    }

    @Test
    void anAuthorityThatDoesNotVouch_leavesItToTheUser() throws Exception {
        // The JDK's own authorities know nothing of a self-signed certificate.
        Endpoint endpoint = Endpoint.tls("127.0.0.1", server.tlsPort(),
                ServerTrust.withSystemAuthorities(known, answering(true)));

        client.connect(endpoint, TIMEOUT);

        assertThat(asked).hasSize(1);
        assertThat(known.fingerprint("127.0.0.1", server.tlsPort())).contains(server.tlsFingerprint());
    }

    @Test
    void tlsOnThePlainPort_failsAtOnceSayingSo() {
        Endpoint endpoint = Endpoint.tls("127.0.0.1", server.port(), new ServerTrust(null, known, answering(true)));
        long started = System.nanoTime();

        assertThatThrownBy(() -> client.connect(endpoint, TIMEOUT))
                .isInstanceOfSatisfying(ConnectFailedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(ConnectFailedException.Reason.NOT_TLS);
                    assertThat(e.getMessage()).isEqualTo("Cannot connect to 127.0.0.1:" + server.port()
                            + ": the server did not answer with TLS (is this the plain port?)");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(TIMEOUT);
        assertThat(asked).isEmpty();
    }

    @Test
    void aServerThatNeverAnswersTheHandshake_timesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Endpoint endpoint = Endpoint.tls("127.0.0.1", silent.getLocalPort(),
                    new ServerTrust(null, known, answering(true)));

            assertThatThrownBy(() -> client.connect(endpoint, Duration.ofMillis(500)))
                    .isInstanceOfSatisfying(ConnectFailedException.class, e ->
                            assertThat(e.reason()).isEqualTo(ConnectFailedException.Reason.TLS_TIMED_OUT));
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
        assertThat(Fingerprint.of(certificate)).isEqualTo(server.tlsFingerprint());
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
