package dev.chat.client.identity;

import dev.chat.client.Fingerprint;
import dev.chat.protocol.NameRules;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The random value a server gives each connection so that a client can prove it holds the key a
 * name is registered to: the client signs it ({@link Identity#signChallenge}), the server checks
 * the signature ({@link PublicIdentity#verifyChallenge}). Its token is 43 characters of
 * base64url (32 bytes). Immutable.
 *
 * <p>What is signed, byte for byte:
 * <pre>
 * "chat-identity-challenge-v1" 0x00    27 bytes: what the signature is for, so it means nothing elsewhere
 * server certificate's SHA-256          32 bytes: the TLS certificate the client saw; 32 zero bytes on a plain connection
 * challenge                             32 bytes: from this connection, so it cannot be used on another
 * name                                  1 to 20 bytes: the name in lower case (ASCII), so it cannot be used for another
 * </pre>
 * The certificate binds the signature to the server the client really talks to: a server that
 * passes another server's challenge on to its own users gets signatures over its own
 * certificate, which the other server refuses.
 */
public final class Challenge {

    /** How many random bytes a challenge has. */
    public static final int BYTES = 32;

    private static final byte[] CONTEXT = "chat-identity-challenge-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final int FINGERPRINT_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private Challenge(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A new challenge, as a server makes one for each connection. */
    public static Challenge random() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return new Challenge(bytes);
    }

    /** The challenge {@code token} spells, or empty when it is not 32 bytes of canonical base64url. */
    public static Optional<Challenge> parse(String token) {
        return Optional.ofNullable(Base64Url.decode(token, BYTES)).map(Challenge::new);
    }

    /** The challenge as it goes on the wire. */
    public String token() {
        return Base64Url.encode(bytes);
    }

    /**
     * The bytes a signature covers, laid out as the class describes.
     *
     * @param serverFingerprint the server certificate's SHA-256 fingerprint as {@link Fingerprint}
     *                          writes it, or null on a connection without TLS
     * @throws IllegalArgumentException when {@code name} breaks the name rules or the fingerprint is none
     */
    byte[] signedBytes(String name, String serverFingerprint) {
        if (!NameRules.isValid(name)) {
            throw new IllegalArgumentException("not a valid name: " + name);
        }
        byte[] certificate = new byte[FINGERPRINT_BYTES];
        if (serverFingerprint != null) {
            String canonical = Fingerprint.parse(serverFingerprint)
                    .orElseThrow(() -> new IllegalArgumentException("not a SHA-256 fingerprint: " + serverFingerprint));
            certificate = HexFormat.of().parseHex(canonical.replace(":", ""));
        }
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.writeBytes(CONTEXT);
        signed.writeBytes(certificate);
        signed.writeBytes(bytes);
        signed.writeBytes(NameRules.key(name).getBytes(StandardCharsets.US_ASCII));
        return signed.toByteArray();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Challenge that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return token();
    }
}
