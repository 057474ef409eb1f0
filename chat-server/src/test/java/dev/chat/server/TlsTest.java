package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The TLS listener: certificates, handshakes, and the wrong protocol on either port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTest {

    @TempDir
    Path data;

    @RegisterExtension
    final TestServer server = TestServer.create();

    private void startTls(ServerConfig.Tls tls, boolean plain) throws IOException {
        server.configure(config -> config.plain(plain).tls(tls)).start();
    }

    /** Trusts any certificate, and keeps the one it was shown: what a trust-on-first-use client starts from. */
    private static final class Recording implements X509TrustManager {
        final List<X509Certificate> seen = new ArrayList<>();

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("server side only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            seen.add(chain[0]);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    private static SSLSocket connectTls(int port, Recording trust) throws IOException, GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new X509TrustManager[] {trust}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    @Test
    void selfSignedCertificate_isMadeOnceKeptAndShownByItsFingerprint() throws Exception {
        startTls(new ServerConfig.Tls(0, null, null, data), false);
        assertThat(server.port()).isEqualTo(-1);
        assertThat(Files.exists(data.resolve(TlsIdentity.SELF_SIGNED_FILE))).isTrue();
        Recording trust = new Recording();
        try (WireClient tess = WireClient.over(connectTls(server.tlsPort(), trust))) {
            SSLSocket socket = (SSLSocket) tess.socket();
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            assertThat(TlsIdentity.fingerprintOf(trust.seen.getFirst())).isEqualTo(server.server().tlsFingerprint());
            tess.register("tess");
            tess.send("over tls");
            assertThat(tess.await(ServerLine.Chat.class).text()).isEqualTo("over tls");
        }
        String first = server.server().tlsFingerprint();
        server.stop();
        server.start();
        assertThat(server.server().tlsFingerprint()).isEqualTo(first);
    }

    @Test
    void keystoreGivenByTheAdmin_isUsed() throws Exception {
        Path made = Files.createDirectory(data.resolve("made"));
        TlsIdentity identity = TlsIdentity.selfSigned(made);
        Path keystore = made.resolve(TlsIdentity.SELF_SIGNED_FILE);
        Path password = made.resolve(TlsIdentity.SELF_SIGNED_PASSWORD_FILE);
        startTls(new ServerConfig.Tls(0, keystore, password, data.resolve("unused")), true);
        assertThat(server.server().tlsFingerprint()).isEqualTo(identity.fingerprint());
        assertThat(Files.exists(data.resolve("unused"))).isFalse();
    }

    @Test
    void plainClientOnTheTlsPort_isDisconnectedNotLeftHanging() throws Exception {
        startTls(new ServerConfig.Tls(0, null, null, data), true);
        try (Socket plain = new Socket("127.0.0.1", server.tlsPort())) {
            plain.setSoTimeout(15_000);
            plain.getOutputStream().write("alice\n".getBytes(StandardCharsets.UTF_8));
            // Whatever the server answers (a TLS alert, or nothing), the connection ends.
            byte[] buffer = new byte[1024];
            int total = 0;
            for (int n; (n = readOrReset(plain, buffer)) > 0; ) {
                total += n;
            }
            assertThat(total).isLessThan(1024);
        }
    }

    private static int readOrReset(Socket socket, byte[] buffer) throws IOException {
        try {
            return socket.getInputStream().read(buffer);
        } catch (java.net.SocketException reset) {
            return -1;
        }
    }

    @Test
    void tlsClientOnThePlainPort_failsWithAClearErrorNotAHang() throws Exception {
        startTls(new ServerConfig.Tls(0, null, null, data), true);
        assertThatThrownBy(() -> connectTls(server.port(), new Recording()).close())
                .isInstanceOf(SSLException.class);
    }

    @Test
    void openSslClient_canChat() throws Exception {
        startTls(new ServerConfig.Tls(0, null, null, data), false);
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")),
                "openssl is not installed");
        Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + server.tlsPort(), "-quiet")
                .redirectErrorStream(true).start();
        try {
            openssl.getOutputStream().write("ossl\nhello from openssl\n".getBytes(StandardCharsets.UTF_8));
            openssl.getOutputStream().flush();
            BufferedReader out = openssl.inputReader(StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            // The test's timeout bounds this read: openssl keeps the connection open.
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
                if (line.endsWith("ossl: hello from openssl")) {
                    break;
                }
            }
            assertThat(lines).anyMatch(line -> line.endsWith("*** Welcome, ossl!"));
            assertThat(lines.getLast()).endsWith("ossl: hello from openssl");
        } finally {
            openssl.destroy();
            openssl.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
