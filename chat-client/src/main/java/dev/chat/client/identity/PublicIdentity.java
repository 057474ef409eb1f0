package dev.chat.client.identity;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.KeyAgreement;

/**
 * The public half of an {@link Identity}: the Ed25519 key that checks its signatures and the
 * X25519 key that messages are sealed for. What a client publishes through the server and what
 * others pin ({@link KnownKeys}). Immutable; equal when both keys are.
 *
 * <p>Its token is {@code chatkey1:} and 86 characters of base64url (no padding) of 64 bytes: the
 * Ed25519 public key (32 bytes, RFC 8032 encoding) and then the X25519 public key (32 bytes,
 * RFC 7748 u-coordinate, little-endian). 95 characters in all, no blank.
 */
public final class PublicIdentity {

    /** What every public key token starts with; the digit is the format's version. */
    public static final String PREFIX = "chatkey1:";

    /** How long a token is, in characters. */
    public static final int TOKEN_LENGTH = PREFIX.length() + Base64Url.encodedLength(64);

    static final int KEY_BYTES = 32;
    static final int HINT_BYTES = 4;

    // The DER of an X.509 SubjectPublicKeyInfo for each curve, up to the 32 bytes of the key (RFC 8410).
    private static final byte[] ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] X25519_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");
    private static final HexFormat FINGERPRINT_FORMAT = HexFormat.ofDelimiter(":").withUpperCase();
    private static final PrivateKey PROBE = probeKey();

    private final byte[] bytes;
    private final PublicKey verifying;
    private final PublicKey agreement;

    private PublicIdentity(byte[] bytes, PublicKey verifying, PublicKey agreement) {
        this.bytes = bytes;
        this.verifying = verifying;
        this.agreement = agreement;
    }

    /**
     * Reads a token strictly: the prefix, exactly 86 characters of canonical base64url, an
     * Ed25519 key that is a point of the curve, an X25519 key in its canonical form and not of
     * small order (such a key would make every shared secret zero).
     *
     * @return the keys, or empty when {@code token} is not such a token
     */
    public static Optional<PublicIdentity> parse(String token) {
        if (!token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        byte[] bytes = Base64Url.decode(token.substring(PREFIX.length()), 2 * KEY_BYTES);
        return bytes == null ? Optional.empty() : fromBytes(bytes);
    }

    /** The keys in {@code bytes} (Ed25519, then X25519, 32 bytes each), checked as {@link #parse} checks them. */
    static Optional<PublicIdentity> fromBytes(byte[] bytes) {
        if (bytes.length != 2 * KEY_BYTES) {
            return Optional.empty();
        }
        byte[] ed25519 = Arrays.copyOfRange(bytes, 0, KEY_BYTES);
        byte[] x25519 = Arrays.copyOfRange(bytes, KEY_BYTES, 2 * KEY_BYTES);
        // The top bit of an Ed25519 key is the sign of x; the rest is y, which must be below p.
        byte[] y = ed25519.clone();
        y[KEY_BYTES - 1] &= 0x7f;
        if (!belowFieldPrime(y) || (x25519[KEY_BYTES - 1] & 0x80) != 0 || !belowFieldPrime(x25519)) {
            return Optional.empty();
        }
        try {
            PublicKey verifying = decode("Ed25519", ED25519_PREFIX, ed25519);
            // The JDK decodes the point only here: a y with no x on the curve is refused.
            Signature.getInstance("Ed25519").initVerify(verifying);
            PublicKey agreement = decode("X25519", X25519_PREFIX, x25519);
            KeyAgreement probe = KeyAgreement.getInstance("X25519");
            probe.init(PROBE);
            probe.doPhase(agreement, true);
            return Optional.of(new PublicIdentity(bytes.clone(), verifying, agreement));
        } catch (InvalidKeyException | InvalidKeySpecException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519 or X25519", e);
        }
    }

    /** The public keys of freshly made key pairs. */
    static PublicIdentity of(PublicKey verifying, PublicKey agreement) {
        byte[] bytes = new byte[2 * KEY_BYTES];
        System.arraycopy(raw(verifying, ED25519_PREFIX), 0, bytes, 0, KEY_BYTES);
        System.arraycopy(raw(agreement, X25519_PREFIX), 0, bytes, KEY_BYTES, KEY_BYTES);
        return new PublicIdentity(bytes, verifying, agreement);
    }

    /** The token, as it goes on the wire and into files. */
    public String token() {
        return PREFIX + Base64Url.encode(bytes);
    }

    /**
     * The SHA-256 of the 64 key bytes as colon-separated upper-case hex pairs, written like a
     * server certificate's fingerprint; what a user compares when a key changes.
     */
    public String fingerprint() {
        return FINGERPRINT_FORMAT.formatHex(digest());
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
        byte[] signed = challenge.signedBytes(name, serverFingerprint);
        byte[] signatureBytes = Base64Url.decode(signature, Identity.SIGNATURE_BYTES);
        if (signatureBytes == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(verifying);
            verifier.update(signed);
            return verifier.verify(signatureBytes);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519", e);
        }
    }

    /** The 64 key bytes: Ed25519, then X25519. */
    byte[] bytes() {
        return bytes.clone();
    }

    /** The X25519 key, for sealing messages to this identity. */
    PublicKey agreementKey() {
        return agreement;
    }

    /** The Ed25519 key. */
    PublicKey verifyingKey() {
        return verifying;
    }

    /** The first four bytes of the fingerprint: tells which key a message was sealed with. */
    byte[] hint() {
        return Arrays.copyOf(digest(), HINT_BYTES);
    }

    private byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /** The 32 raw bytes of an X25519 or Ed25519 public key: its X.509 encoding after the fixed prefix. */
    private static byte[] raw(PublicKey key, byte[] prefix) {
        byte[] encoded = key.getEncoded();
        if (encoded.length != prefix.length + KEY_BYTES || !Arrays.equals(encoded, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IllegalArgumentException("not an " + key.getAlgorithm() + " key of the expected form");
        }
        return Arrays.copyOfRange(encoded, prefix.length, encoded.length);
    }

    /** The 32 raw bytes of an X25519 public key. */
    static byte[] rawX25519(PublicKey x25519) {
        return raw(x25519, X25519_PREFIX);
    }

    /** The X25519 key of the 32 bytes {@code u}, without the checks of {@link #parse}. */
    static PublicKey x25519Key(byte[] u) throws InvalidKeyException {
        try {
            return decode("X25519", X25519_PREFIX, u);
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeyException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks X25519", e);
        }
    }

    private static PublicKey decode(String algorithm, byte[] prefix, byte[] key) throws GeneralSecurityException {
        byte[] encoded = Arrays.copyOf(prefix, prefix.length + KEY_BYTES);
        System.arraycopy(key, 0, encoded, prefix.length, KEY_BYTES);
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(encoded));
    }

    /** Whether the 32-byte little-endian number {@code value} (top bit clear) is below 2^255 - 19. */
    private static boolean belowFieldPrime(byte[] value) {
        if ((value[KEY_BYTES - 1] & 0xff) != 0x7f) {
            return (value[KEY_BYTES - 1] & 0x80) == 0;
        }
        for (int i = KEY_BYTES - 2; i >= 1; i--) {
            if ((value[i] & 0xff) != 0xff) {
                return true;
            }
        }
        return (value[0] & 0xff) < 0xed;
    }

    private static PrivateKey probeKey() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks X25519", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublicIdentity that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The token. */
    @Override
    public String toString() {
        return token();
    }
}
