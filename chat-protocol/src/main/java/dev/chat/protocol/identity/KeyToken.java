package dev.chat.protocol.identity;

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
 * A user's public keys as they travel: the {@code chatkey1:} token, read strictly, with the
 * Ed25519 key that checks the user's signatures and the X25519 key that messages are sealed
 * for. What the server keeps for a registered name and checks a {@link KeyChallenge}'s
 * signature with; the clients' {@code PublicIdentity} is built on it. Immutable; equal when
 * both keys are.
 *
 * <p>The token is {@code chatkey1:} and 86 characters of base64url (no padding) of 64 bytes: the
 * Ed25519 public key (32 bytes, RFC 8032 encoding) and then the X25519 public key (32 bytes,
 * RFC 7748 u-coordinate, little-endian). 95 characters in all, no blank.
 */
public final class KeyToken {

    /** What every public key token starts with; the digit is the format's version. */
    public static final String PREFIX = "chatkey1:";

    /** How long each of the two keys is, in bytes. */
    public static final int KEY_BYTES = 32;

    /** How long a token is, in characters. */
    public static final int TOKEN_LENGTH = PREFIX.length() + Base64Url.encodedLength(2 * KEY_BYTES);

    /** How long a key's {@link #fingerprint()} is, in characters: 32 hex pairs and 31 colons. */
    public static final int FINGERPRINT_LENGTH = 95;

    /** How long an Ed25519 signature is, in bytes (86 characters of base64url). */
    public static final int SIGNATURE_BYTES = 64;

    // The DER of an X.509 SubjectPublicKeyInfo for each curve, up to the 32 bytes of the key (RFC 8410).
    private static final byte[] ED25519_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final byte[] X25519_PREFIX = HexFormat.of().parseHex("302a300506032b656e032100");
    private static final HexFormat FINGERPRINT_FORMAT = HexFormat.ofDelimiter(":").withUpperCase();
    private static final PrivateKey PROBE = probeKey();

    private final byte[] bytes;
    private final PublicKey verifying;
    private final PublicKey agreement;

    private KeyToken(byte[] bytes, PublicKey verifying, PublicKey agreement) {
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
    public static Optional<KeyToken> parse(String token) {
        if (!token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        byte[] bytes = Base64Url.decode(token.substring(PREFIX.length()), 2 * KEY_BYTES);
        return bytes == null ? Optional.empty() : fromBytes(bytes);
    }

    /** The keys in {@code bytes} (Ed25519, then X25519, 32 bytes each), checked as {@link #parse} checks them. */
    public static Optional<KeyToken> fromBytes(byte[] bytes) {
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
            return Optional.of(new KeyToken(bytes.clone(), verifying, agreement));
        } catch (InvalidKeyException | InvalidKeySpecException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519 or X25519", e);
        }
    }

    /**
     * The token of freshly made keys, which need no checking.
     *
     * @throws IllegalArgumentException when a key is not an Ed25519 or X25519 key in the JDK's X.509 encoding
     */
    public static KeyToken of(PublicKey verifying, PublicKey agreement) {
        byte[] bytes = new byte[2 * KEY_BYTES];
        System.arraycopy(rawEd25519(verifying), 0, bytes, 0, KEY_BYTES);
        System.arraycopy(rawX25519(agreement), 0, bytes, KEY_BYTES, KEY_BYTES);
        return new KeyToken(bytes, verifying, agreement);
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

    /** The SHA-256 of the 64 key bytes. */
    public byte[] digest() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    /**
     * Whether {@code signature} is this key's signature of {@code challenge} for {@code name}
     * on the server whose certificate has {@code serverFingerprint}; what a server checks before
     * it gives a registered name. A malformed signature is no signature.
     *
     * @param signature         the signature's token: 86 characters of base64url (64 bytes)
     * @param serverFingerprint the server's certificate fingerprint (see {@link KeyChallenge#signedBytes}),
     *                          or null on a plain connection
     * @throws IllegalArgumentException when {@code name} or {@code serverFingerprint} is malformed
     */
    public boolean verifyChallenge(KeyChallenge challenge, String name, String serverFingerprint, String signature) {
        byte[] signed = challenge.signedBytes(name, serverFingerprint);
        byte[] signatureBytes = Base64Url.decode(signature, SIGNATURE_BYTES);
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
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The Ed25519 key, which checks this user's signatures. */
    public PublicKey verifyingKey() {
        return verifying;
    }

    /** The X25519 key, which messages to this user are sealed for. */
    public PublicKey agreementKey() {
        return agreement;
    }

    /** The 32 raw bytes of an Ed25519 public key: its X.509 encoding after the fixed prefix. */
    public static byte[] rawEd25519(PublicKey ed25519) {
        return raw(ed25519, ED25519_PREFIX);
    }

    /** The 32 raw bytes of an X25519 public key: its X.509 encoding after the fixed prefix. */
    public static byte[] rawX25519(PublicKey x25519) {
        return raw(x25519, X25519_PREFIX);
    }

    /**
     * The X25519 key of the 32 bytes {@code u}, without the checks of {@link #parse}.
     *
     * @throws InvalidKeyException when the JDK refuses the bytes as a key
     */
    public static PublicKey x25519Key(byte[] u) throws InvalidKeyException {
        try {
            return decode("X25519", X25519_PREFIX, u);
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeyException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks X25519", e);
        }
    }

    private static byte[] raw(PublicKey key, byte[] prefix) {
        byte[] encoded = key.getEncoded();
        if (encoded.length != prefix.length + KEY_BYTES || !Arrays.equals(encoded, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IllegalArgumentException("not an " + key.getAlgorithm() + " key of the expected form");
        }
        return Arrays.copyOfRange(encoded, prefix.length, encoded.length);
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
        return other instanceof KeyToken that && Arrays.equals(bytes, that.bytes);
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
