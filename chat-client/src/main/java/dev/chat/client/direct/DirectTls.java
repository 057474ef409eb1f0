package dev.chat.client.direct;

import dev.chat.client.identity.DirectProof;
import dev.chat.protocol.tls.SelfSignedKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS of direct connections: TLS 1.3 only, the listening side with a throwaway self-signed
 * certificate made once per run, the connecting side checking no certificate. Who is at the other
 * end is proved afterwards, with the identity keys, over the session's exported keying material
 * ({@link DirectProof}); the certificate only lets TLS run.
 */
final class DirectTls {

    private static final String[] PROTOCOLS = {"TLSv1.3"};

    private DirectTls() {
    }

    /** The throwaway certificate's context, made the first time a client listens. */
    private static final class ServerContext {
        static final SSLContext CONTEXT = make();

        private static SSLContext make() {
            Path directory = null;
            try {
                directory = Files.createTempDirectory("chat-direct-");
                Path keystore = directory.resolve("direct.p12");
                byte[] random = new byte[24];
                new SecureRandom().nextBytes(random);
                String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                SelfSignedKeyStore.generate(keystore, password, "chat direct connection", "dns:localhost", 2);
                KeyStore store = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(keystore)) {
                    store.load(in, password.toCharArray());
                }
                KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password.toCharArray());
                SSLContext context = SSLContext.getInstance("TLSv1.3");
                context.init(keys.getKeyManagers(), null, null);
                return context;
            } catch (IOException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot make a certificate for direct connections: " + e.getMessage(), e);
            } finally {
                deleteQuietly(directory);
            }
        }
    }

    /** Checks nothing: the identity keys authenticate the two sides, not the certificate. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // No client certificate is asked for.
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Proved afterwards with DirectProof.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * A TLS socket listening on {@code address}, port chosen by the system. The first call in a
     * run blocks while the certificate is made (keytool, about a second).
     *
     * @throws IOException when it cannot listen there, or no certificate can be made
     */
    static SSLServerSocket listen(InetAddress address) throws IOException {
        SSLContext context;
        try {
            context = ServerContext.CONTEXT;
        } catch (IllegalStateException | ExceptionInInitializerError e) {
            throw new IOException("no certificate for direct connections could be made", e);
        }
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        try {
            socket.setEnabledProtocols(PROTOCOLS);
            socket.bind(new InetSocketAddress(address, 0), 1);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Connects to {@code to} and completes the TLS handshake, blocking at most {@code timeout}
     * for each.
     *
     * @throws IOException when no connection or no handshake could be made
     */
    static SSLSocket connect(InetSocketAddress to, Duration timeout) throws IOException {
        Socket tcp = new Socket();
        try {
            tcp.connect(to, Math.toIntExact(timeout.toMillis()));
            tcp.setTcpNoDelay(true);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(null, new TrustManager[] {new AnyCertificate()}, null);
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(tcp, to.getHostString(), to.getPort(), true);
            tls.setEnabledProtocols(PROTOCOLS);
            tls.setUseClientMode(true);
            tls.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            tls.startHandshake();
            return tls;
        } catch (GeneralSecurityException e) {
            tcp.close();
            throw new IOException("TLS 1.3 is not available: " + e.getMessage(), e);
        } catch (IOException e) {
            tcp.close();
            throw e;
        }
    }

    /** Completes the TLS handshake of a connection accepted on a {@link #listen} socket, blocking at most {@code timeout}. */
    static void handshake(SSLSocket accepted, Duration timeout) throws IOException {
        accepted.setSoTimeout(Math.toIntExact(timeout.toMillis()));
        accepted.setTcpNoDelay(true);
        accepted.startHandshake();
    }

    /** The keying material the two sides' proofs sign, exported from the TLS session (RFC 8446, section 7.5). */
    static byte[] exported(SSLSocket socket) throws IOException {
        if (!(socket.getSession() instanceof ExtendedSSLSession session) || !"TLSv1.3".equals(session.getProtocol())) {
            throw new IOException("the direct connection is not TLS 1.3");
        }
        return session.exportKeyingMaterialData(DirectProof.EXPORTER_LABEL, null, DirectProof.EXPORTED_BYTES);
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind holds only a throwaway certificate.
        }
    }
}
