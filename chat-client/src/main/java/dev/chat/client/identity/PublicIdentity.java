package dev.chat.client.identity;

import dev.chat.protocol.identity.KeyToken;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Optional;

/**
 * The public half of an {@link Identity}: the Ed25519 key that checks its signatures and the
 * X25519 key that messages are sealed for. What a client publishes through the server and what
 * others pin ({@link KnownKeys}). Immutable; equal when both keys are.
 *
 * <p>Its token is {@code chatkey1:} and 86 characters of base64url (no padding) of 64 bytes: the
 * Ed25519 public key (32 bytes, RFC 8032 encoding) and then the X25519 public key (32 bytes,
 * RFC 7748 u-coordinate, little-endian). 95 characters in all, no blank. The token, its strict
 * reading and the check of a signature are the protocol's {@link KeyToken}, which the server
 * uses too; this class adds what only clients need.
 */
public final class PublicIdentity {

    /** What every public key token starts with; the digit is the format's version. */
    public static final String PREFIX = KeyToken.PREFIX;

    /** How long a token is, in characters. */
    public static final int TOKEN_LENGTH = KeyToken.TOKEN_LENGTH;

    static final int KEY_BYTES = KeyToken.KEY_BYTES;
    static final int HINT_BYTES = 4;

    private final KeyToken keys;

    private PublicIdentity(KeyToken keys) {
        this.keys = keys;
    }

    /**
     * Reads a token strictly: the prefix, exactly 86 characters of canonical base64url, an
     * Ed25519 key that is a point of the curve, an X25519 key in its canonical form and not of
     * small order (such a key would make every shared secret zero).
     *
     * @return the keys, or empty when {@code token} is not such a token
     */
    public static Optional<PublicIdentity> parse(String token) {
        return KeyToken.parse(token).map(PublicIdentity::new);
    }

    /** The keys in {@code bytes} (Ed25519, then X25519, 32 bytes each), checked as {@link #parse} checks them. */
    static Optional<PublicIdentity> fromBytes(byte[] bytes) {
        return KeyToken.fromBytes(bytes).map(PublicIdentity::new);
    }

    /** The public keys of freshly made key pairs. */
    static PublicIdentity of(PublicKey verifying, PublicKey agreement) {
        return new PublicIdentity(KeyToken.of(verifying, agreement));
    }

    /** The token, as it goes on the wire and into files. */
    public String token() {
        return keys.token();
    }

    /**
     * The SHA-256 of the 64 key bytes as colon-separated upper-case hex pairs, written like a
     * server certificate's fingerprint; what a user compares when a key changes.
     */
    public String fingerprint() {
        return keys.fingerprint();
    }

    /**
     * Whether {@code signature} is this identity's signature of {@code challenge} for {@code name}
     * on the server whose certificate has {@code serverFingerprint}; what a server checks before
     * it gives a registered name.
     *
     * @param signature         the signature's token: 86 characters of base64url (64 bytes)
     * @param serverFingerprint the server's certificate fingerprint, or null on a plain connection
     * @throws IllegalArgumentException when {@code name} or {@code serverFingerprint} is malformed
     */
    public boolean verifyChallenge(Challenge challenge, String name, String serverFingerprint, String signature) {
        return keys.verifyChallenge(challenge.keyChallenge(), name, Challenge.canonical(serverFingerprint), signature);
    }

    /** The 64 key bytes: Ed25519, then X25519. */
    byte[] bytes() {
        return keys.bytes();
    }

    /** The X25519 key, for sealing messages to this identity. */
    PublicKey agreementKey() {
        return keys.agreementKey();
    }

    /** The Ed25519 key. */
    PublicKey verifyingKey() {
        return keys.verifyingKey();
    }

    /** The first four bytes of the fingerprint: tells which key a message was sealed with. */
    byte[] hint() {
        return Arrays.copyOf(keys.digest(), HINT_BYTES);
    }

    /** The 32 raw bytes of an X25519 public key. */
    static byte[] rawX25519(PublicKey x25519) {
        return KeyToken.rawX25519(x25519);
    }

    /** The X25519 key of the 32 bytes {@code u}, without the checks of {@link #parse}. */
    static PublicKey x25519Key(byte[] u) throws InvalidKeyException {
        return KeyToken.x25519Key(u);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublicIdentity that && keys.equals(that.keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    /** The token. */
    @Override
    public String toString() {
        return token();
    }
}
