package dev.chat.server;

import dev.chat.protocol.PasswordFile;
import dev.chat.protocol.tls.SelfSignedKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * The server's TLS certificate and key, from a PKCS#12 keystore the admin gives, or a
 * self-signed one made at first start ({@link SelfSignedKeyStore}) and kept in the data
 * directory. Only the JDK's JSSE and keytool are used.
 */
final class TlsIdentity {

    /** Offered in this order; nothing older. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    static final String SELF_SIGNED_FILE = "server.p12";
    static final String SELF_SIGNED_PASSWORD_FILE = "server.p12.password";

    private final SSLContext context;
    private final String fingerprint;

    private TlsIdentity(SSLContext context, String fingerprint) {
        this.context = context;
        this.fingerprint = fingerprint;
    }

    /**
     * Loads the keystore at {@code keystore}, whose password is the first line of
     * {@code passwordFile}.
     *
     * @throws IOException when either file cannot be read, or the keystore holds no usable key
     */
    static TlsIdentity load(Path keystore, Path passwordFile) throws IOException {
        char[] password = readPassword(passwordFile);
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return fromKeyStore(store, password);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    /**
     * The self-signed identity kept in {@code directory}, made there with the JDK's keytool
     * the first time.
     */
    static TlsIdentity selfSigned(Path directory) throws IOException {
        Path keystore = directory.resolve(SELF_SIGNED_FILE);
        Path passwordFile = directory.resolve(SELF_SIGNED_PASSWORD_FILE);
        if (!Files.exists(keystore)) {
            generate(directory, keystore, passwordFile);
        }
        return load(keystore, passwordFile);
    }

    private static void generate(Path directory, Path keystore, Path passwordFile) throws IOException {
        Files.createDirectories(directory);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
        restrictToOwner(passwordFile);
        String host = InetAddress.getLocalHost().getHostName();
        SelfSignedKeyStore.generate(keystore, password, host, "dns:" + host + ",dns:localhost,ip:127.0.0.1", 3650);
        restrictToOwner(keystore);
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: its own defaults apply.
        }
    }

    private static char[] readPassword(Path passwordFile) throws IOException {
        return PasswordFile.read(passwordFile).toCharArray();
    }

    private static TlsIdentity fromKeyStore(KeyStore store, char[] password)
            throws GeneralSecurityException, IOException {
        String alias = Collections.list(store.aliases()).stream().filter(name -> {
            try {
                return store.isKeyEntry(name);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }).findFirst().orElseThrow(() -> new IOException("the keystore holds no private key"));
        Certificate certificate = store.getCertificate(alias);
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return new TlsIdentity(context, fingerprintOf(certificate));
    }

    /** SHA-256 of the certificate, as colon-separated hex pairs, e.g. {@code AB:CD:…}. */
    static String fingerprintOf(Certificate certificate) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    /** The certificate's SHA-256 fingerprint, for users to compare. */
    String fingerprint() {
        return fingerprint;
    }

    /** The TLS context with the certificate and key, for the web listener's HTTPS. */
    SSLContext context() {
        return context;
    }

    /** A listening TLS socket on {@code address}, offering TLS 1.3 and 1.2 only. */
    SSLServerSocket listen(InetSocketAddress address, int backlog) throws IOException {
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.setEnabledProtocols(PROTOCOLS);
            socket.bind(address, backlog);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}
