package dev.chat.client;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A certificate's SHA-256 fingerprint as the server prints it: colon-separated upper-case
 * hex pairs of the digest of the certificate's DER encoding, e.g. {@code 9E:1E:34:…:9A:17}.
 */
public final class Fingerprint {

    private static final HexFormat FORMAT = HexFormat.ofDelimiter(":").withUpperCase();
    private static final Pattern SEPARATORS = Pattern.compile("[:\\s]");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9A-F]{64}");

    private Fingerprint() {
    }

    /** The fingerprint of {@code certificate}. */
    public static String of(Certificate certificate) {
        try {
            return FORMAT.formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            // Every JDK has SHA-256, and a certificate seen in a handshake has an encoding.
            throw new IllegalStateException("cannot fingerprint a certificate", e);
        }
    }

    /**
     * Reads a fingerprint as a user may type or paste it: either case, with or without colons
     * (or spaces), optionally prefixed with {@code SHA256:} or {@code sha256 Fingerprint=} as
     * openssl prints it.
     *
     * @return the fingerprint in the canonical form, or empty when it is not 32 hex pairs
     */
    public static Optional<String> parse(String text) {
        String value = text.strip();
        int equals = value.lastIndexOf('=');
        if (equals >= 0) {
            value = value.substring(equals + 1);
        }
        if (value.regionMatches(true, 0, "SHA256:", 0, 7)) {
            value = value.substring(7);
        }
        String hex = SEPARATORS.matcher(value).replaceAll("").toUpperCase(Locale.ROOT);
        if (!SHA256_HEX.matcher(hex).matches()) {
            return Optional.empty();
        }
        return Optional.of(FORMAT.formatHex(HexFormat.of().parseHex(hex)));
    }
}
