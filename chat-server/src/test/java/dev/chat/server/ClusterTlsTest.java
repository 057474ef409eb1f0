package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.NatsServer;
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
 * A NATS server that speaks TLS only, with a certificate of a private authority: a node given
 * that authority's certificate in a file joins over TLS; one without it is refused. The
 * certificates are made with {@code openssl}; the tests are skipped where it is missing.
 */
@Timeout(60)
class ClusterTlsTest {

    /** The authority's certificate, or null when openssl could not make the certificates. */
    private static final Path CA = makeCertificates();

    @RegisterExtension
    static final NatsServer nats = new NatsServer(CA == null ? List.of() : List.of("--tls", "--tlscert",
            CA.resolveSibling("server.pem").toString(), "--tlskey", CA.resolveSibling("server.key").toString()));

    @RegisterExtension
    final TestServer node = TestServer.create();

    private static Path makeCertificates() {
        try {
            Path dir = Files.createTempDirectory("nats-tls");
            dir.toFile().deleteOnExit();
            Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
            run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                    "-days", "1", "-subj", "/CN=chat test authority");
            run(dir, "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                    "-subj", "/CN=127.0.0.1");
            run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                    "-CAcreateserial", "-out", "server.pem", "-days", "1", "-extfile", "san.ext");
            for (String name : List.of("san.ext", "ca.key", "ca.pem", "ca.srl", "server.key", "server.csr", "server.pem")) {
                dir.resolve(name).toFile().deleteOnExit();
            }
            return dir.resolve("ca.pem");
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    private String tlsUrl() {
        return nats.url().replace("nats://", "tls://");
    }

    @Test
    void aNodeGivenTheAuthoritysCertificateJoinsOverTls() throws IOException {
        assumeTrue(CA != null, "openssl could not make the test certificates");
        node.configure(config -> config.cluster(new ServerConfig.Cluster(List.of(tlsUrl()), "tls-node", null, CA)));
        WireClient alice = node.register("alice");
        alice.send("hello over a TLS link to NATS");
        assertThat(alice.await(ServerLine.Chat.class).text()).isEqualTo("hello over a TLS link to NATS");
    }

    @Test
    void aNodeThatDoesNotTrustTheCertificateIsRefused() {
        assumeTrue(CA != null, "openssl could not make the test certificates");
        node.configure(config -> config.cluster(new ServerConfig.Cluster(List.of(tlsUrl()), "untrusting", null,
                null)));
        assertThatThrownBy(node::start).isInstanceOf(ClusterLink.UnreachableException.class)
                .hasMessageStartingWith("no NATS server answers at " + tlsUrl());
    }
}
