package dev.chat.server;

import dev.chat.protocol.identity.Base64Url;
import dev.chat.protocol.identity.KeyChallenge;
import dev.chat.protocol.identity.KeyToken;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;

/**
 * A user's keys for the server's tests: an Ed25519 and an X25519 key pair, published as the
 * protocol's {@link KeyToken}, signing a connection's {@link KeyChallenge} with the JDK's Ed25519
 * over the bytes the protocol lays out, as a client's identity does. (The server's tests cannot
 * use the client's identity classes: the client's tests depend on the server.)
 */
final class TestKey {

    private final KeyPair signing;
    private final KeyToken token;

    TestKey() {
        try {
            signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            token = KeyToken.of(signing.getPublic(), KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key token, as {@code /register} and {@code /publish} take it. */
    String token() {
        return token.token();
    }

    String fingerprint() {
        return token.fingerprint();
    }

    /** The signature of {@code challenge} (its token, as the server sent it) for {@code name} on a plain connection. */
    String sign(String challenge, String name) {
        return sign(challenge, name, null);
    }

    /** The same over the certificate with {@code certificateFingerprint} (null: none). */
    String sign(String challenge, String name, String certificateFingerprint) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(signing.getPrivate());
            signer.update(KeyChallenge.parse(challenge).orElseThrow().signedBytes(name, certificateFingerprint));
            return Base64Url.encode(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
