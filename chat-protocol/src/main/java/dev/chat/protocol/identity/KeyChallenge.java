package dev.chat.protocol.identity;

import dev.chat.protocol.NameRules;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The random value a server that registers names gives each connection ({@code *** Key
 * challenge: …}), and the bytes a client signs to prove that it holds the key a name is
 * registered to. Its token is 43 characters of base64url (32 bytes). Immutable.
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
public final class KeyChallenge {

    /** How many random bytes a challenge has. */
    public static final int BYTES = 32;

    /** How many characters its token has. */
    public static final int TOKEN_LENGTH = Base64Url.encodedLength(BYTES);

    private static final byte[] CONTEXT = "chat-identity-challenge-v1\0".getBytes(StandardCharsets.US_ASCII);
    private static final int FINGERPRINT_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private KeyChallenge(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A new challenge, as a server makes one for each connection. */
    public static KeyChallenge random() {
        byte[] bytes = new byte[BYTES];
        RANDOM.nextBytes(bytes);
        return new KeyChallenge(bytes);
    }

    /** The challenge {@code token} spells, or empty when it is not 32 bytes of canonical base64url. */
    public static Optional<KeyChallenge> parse(String token) {
        return Optional.ofNullable(Base64Url.decode(token, BYTES)).map(KeyChallenge::new);
    }

    /** The challenge as it goes on the wire. */
    public String token() {
        return Base64Url.encode(bytes);
    }

    /**
     * The bytes a signature covers, laid out as the class describes.
     *
     * @param serverFingerprint the SHA-256 fingerprint of the server's certificate as 64 hex
     *                          digits, either case, pairs optionally separated by colons (as
     *                          servers and clients print it), or null on a connection without TLS
     * @throws IllegalArgumentException when {@code name} breaks the name rules or the fingerprint is none
     */
    public byte[] signedBytes(String name, String serverFingerprint) {
        if (!NameRules.isValid(name)) {
            throw new IllegalArgumentException("not a valid name: " + name);
        }
        byte[] certificate = serverFingerprint == null ? new byte[FINGERPRINT_BYTES] : certificateDigest(serverFingerprint);
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        signed.writeBytes(CONTEXT);
        signed.writeBytes(certificate);
        signed.writeBytes(bytes);
        signed.writeBytes(NameRules.key(name).getBytes(StandardCharsets.US_ASCII));
        return signed.toByteArray();
    }

    private static byte[] certificateDigest(String fingerprint) {
        String hex = fingerprint.replace(":", "");
        if (hex.length() != 2 * FINGERPRINT_BYTES) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint: " + fingerprint);
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint: " + fingerprint, e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyChallenge that && Arrays.equals(bytes, that.bytes);
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
