package dev.chat.client.identity;

import dev.chat.protocol.identity.Base64Url;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.KeyAgreement;

/**
 * A user's own keys: an Ed25519 key pair that signs the server's challenges (so that only this
 * user gets a name registered to it) and an X25519 key pair that private messages are sealed for
 * ({@link SealedMessage}). Made once and kept in an {@link IdentityFile}; what others see of it
 * is its {@link #publicIdentity()}. Immutable and thread-safe.
 */
public final class Identity {

    /** How long the secret part is, in bytes: the Ed25519 private key, then the X25519 one. */
    static final int SECRET_BYTES = 2 * PublicIdentity.KEY_BYTES;

    // X25519 of a private key and the curve's base point (u = 9) is that key's public key.
    private static final byte[] BASE_POINT = basePoint();

    private final PrivateKey signing;
    private final PrivateKey agreement;
    private final PublicIdentity publicIdentity;

    private Identity(PrivateKey signing, PrivateKey agreement, PublicIdentity publicIdentity) {
        this.signing = signing;
        this.agreement = agreement;
        this.publicIdentity = publicIdentity;
    }

    /** New keys, from the JDK's default source of secure randomness. */
    public static Identity generate() {
        try {
            KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            KeyPair x25519 = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            return new Identity(ed25519.getPrivate(), x25519.getPrivate(),
                    PublicIdentity.of(ed25519.getPublic(), x25519.getPublic()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519 or X25519", e);
        }
    }

    /**
     * The keys whose private halves are {@code secret} (Ed25519's 32 bytes, then X25519's 32) and
     * whose public halves are said to be {@code claimed}. The JDK cannot work out an Ed25519
     * public key from its private key, so the claim is checked: a signature by the private key
     * must verify with the public one, and X25519 of the private key and the base point must
     * give the public key.
     *
     * @return the identity, or empty when the two halves do not belong together
     */
    static Optional<Identity> fromSecret(byte[] secret, PublicIdentity claimed) {
        if (secret.length != SECRET_BYTES) {
            return Optional.empty();
        }
        byte[] ed25519 = Arrays.copyOfRange(secret, 0, PublicIdentity.KEY_BYTES);
        byte[] x25519 = Arrays.copyOfRange(secret, PublicIdentity.KEY_BYTES, SECRET_BYTES);
        try {
            PrivateKey signing = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, ed25519));
            PrivateKey agreement = KeyFactory.getInstance("X25519")
                    .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, x25519));
            Identity identity = new Identity(signing, agreement, claimed);
            byte[] probe = "chat-identity-pair-check".getBytes(StandardCharsets.US_ASCII);
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(claimed.verifyingKey());
            verifier.update(probe);
            boolean signingMatches = verifier.verify(identity.sign(probe));
            boolean agreementMatches = Arrays.equals(
                    identity.agree(PublicIdentity.x25519Key(BASE_POINT)), PublicIdentity.rawX25519(claimed.agreementKey()));
            return signingMatches && agreementMatches ? Optional.of(identity) : Optional.empty();
        } catch (InvalidKeyException | InvalidKeySpecException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks Ed25519 or X25519", e);
        } finally {
            Arrays.fill(ed25519, (byte) 0);
            Arrays.fill(x25519, (byte) 0);
        }
    }

    /** The public keys, to publish and for others to pin. */
    public PublicIdentity publicIdentity() {
        return publicIdentity;
    }

    /**
     * Signs a server's challenge for {@code name}, as {@link Challenge} lays out the bytes.
     *
     * @param serverFingerprint the fingerprint of the certificate the server showed (as
     *                          {@code Connection} reports it), or null on a connection without TLS
     * @return the signature's token: 86 characters of base64url (64 bytes)
     * @throws IllegalArgumentException when {@code name} or {@code serverFingerprint} is malformed
     */
    public String signChallenge(Challenge challenge, String name, String serverFingerprint) {
        return Base64Url.encode(sign(challenge.signedBytes(name, serverFingerprint)));
    }

    /** An Ed25519 signature of {@code message}. */
    byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(signing);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot sign with Ed25519", e);
        }
    }

    /**
     * X25519 of this identity's private key and {@code peer}.
     *
     * @throws InvalidKeyException when {@code peer} is of small order (the secret would be zero)
     */
    byte[] agree(PublicKey peer) throws InvalidKeyException {
        return agree(agreement, peer);
    }

    /** X25519 of {@code own} and {@code peer}; refuses a peer key of small order. */
    static byte[] agree(PrivateKey own, PublicKey peer) throws InvalidKeyException {
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(own);
            agreement.doPhase(peer, true);
            return agreement.generateSecret();
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks X25519", e);
        }
    }

    /** The private keys' 64 bytes, for the identity file; the caller clears them when done. */
    byte[] secret() {
        byte[] ed25519 = ((EdECPrivateKey) signing).getBytes()
                .orElseThrow(() -> new IllegalStateException("the Ed25519 private key cannot be exported"));
        byte[] x25519 = ((XECPrivateKey) agreement).getScalar()
                .orElseThrow(() -> new IllegalStateException("the X25519 private key cannot be exported"));
        byte[] secret = new byte[SECRET_BYTES];
        System.arraycopy(ed25519, 0, secret, 0, PublicIdentity.KEY_BYTES);
        System.arraycopy(x25519, 0, secret, PublicIdentity.KEY_BYTES, PublicIdentity.KEY_BYTES);
        Arrays.fill(ed25519, (byte) 0);
        Arrays.fill(x25519, (byte) 0);
        return secret;
    }

    private static byte[] basePoint() {
        byte[] u = new byte[PublicIdentity.KEY_BYTES];
        u[0] = 9;
        return u;
    }

    /** Names the public key's fingerprint, never anything secret. */
    @Override
    public String toString() {
        return "Identity[" + publicIdentity.fingerprint() + "]";
    }
}
