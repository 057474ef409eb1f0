package dev.chat.protocol.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Makes a PKCS#12 keystore with one self-signed EC (P-256) certificate and its key, with the
 * JDK's own keytool, which the JDK offers no API for. The server keeps one as its certificate;
 * a client makes a throwaway one for the TLS of its direct connections.
 */
public final class SelfSignedKeyStore {

    private static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);

    private SelfSignedKeyStore() {
    }

    /**
     * Writes the keystore to {@code keystore} (which must not exist), its key under the alias
     * {@code chat}. Blocks while keytool runs, at most a minute.
     *
     * @param password        the keystore's password; handed to keytool through its environment
     * @param commonName      the certificate's CN
     * @param subjectAltNames keytool's SAN value, e.g. {@code dns:localhost,ip:127.0.0.1}
     * @param validityDays    how long the certificate is valid
     * @throws IOException when keytool fails or does not finish in time
     */
    public static void generate(Path keystore, String password, String commonName, String subjectAltNames,
            int validityDays) throws IOException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        ProcessBuilder builder = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "chat",
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-validity", Integer.toString(validityDays),
                "-dname", "CN=" + commonName, "-ext", "SAN=" + subjectAltNames,
                "-storetype", "PKCS12", "-keystore", keystore.toString(),
                // The password goes through the environment, not the command line that ps shows.
                "-storepass:env", "CHAT_KEYSTORE_PASSWORD")
                .redirectErrorStream(true);
        builder.environment().put("CHAT_KEYSTORE_PASSWORD", password);
        Process process = builder.start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(KEYTOOL_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("keytool could not make a certificate: " + output.strip());
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making a certificate", e);
        }
    }
}
