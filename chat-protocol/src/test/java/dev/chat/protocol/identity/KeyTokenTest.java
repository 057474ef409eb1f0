package dev.chat.protocol.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a server checks of a key: its token read strictly, and a challenge's signature made with the JDK's Ed25519. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class KeyTokenTest {

    private static final String CERTIFICATE = String.join(":", java.util.Collections.nCopies(32, "AB"));

    private final KeyPair signing = pair("Ed25519");
    private final KeyToken key = KeyToken.of(signing.getPublic(), pair("X25519").getPublic());

    @Test
    void aToken_parsesBackToTheSameKeys_andAnythingElseIsRefused() {
        String token = key.token();

        assertThat(token).startsWith("chatkey1:").hasSize(KeyToken.TOKEN_LENGTH);
        assertThat(KeyToken.parse(token)).contains(key);
        assertThat(KeyToken.parse(token + "A")).isEmpty();
        assertThat(KeyToken.parse(token.substring(1))).isEmpty();
        assertThat(KeyToken.parse("chatkey1:" + "A".repeat(86))).as("an X25519 key of small order").isEmpty();
        assertThat(key.fingerprint()).hasSize(KeyToken.FINGERPRINT_LENGTH).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void aSignature_verifiesForItsChallengeNameAndServer_only() throws GeneralSecurityException {
        KeyChallenge challenge = KeyChallenge.random();
        String signature = sign(challenge.signedBytes("Alice", CERTIFICATE));

        assertThat(key.verifyChallenge(challenge, "alice", CERTIFICATE, signature)).isTrue();
        assertThat(key.verifyChallenge(challenge, "alice", CERTIFICATE.toLowerCase().replace(":", ""), signature)).isTrue();
        assertThat(key.verifyChallenge(challenge, "bob", CERTIFICATE, signature)).isFalse();
        assertThat(key.verifyChallenge(challenge, "alice", null, signature)).isFalse();
        assertThat(key.verifyChallenge(KeyChallenge.random(), "alice", CERTIFICATE, signature)).isFalse();
        assertThat(key.verifyChallenge(challenge, "alice", CERTIFICATE, "not-a-signature")).isFalse();
        assertThatThrownBy(() -> challenge.signedBytes("al ice", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> challenge.signedBytes("alice", "AB:CD")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChallengeToken_is43CharactersAndParsesBack() {
        KeyChallenge challenge = KeyChallenge.random();

        assertThat(challenge.token()).hasSize(KeyChallenge.TOKEN_LENGTH).hasSize(43);
        assertThat(KeyChallenge.parse(challenge.token())).contains(challenge);
        assertThat(KeyChallenge.parse(challenge.token() + "=")).isEmpty();
    }

    @Test
    void aSealedToken_isToldApartFromTextThatOnlyStartsLikeOne() {
        assertThat(SealedToken.looksSealed("e2e1:WkC8abc-_")).isTrue();
        assertThat(SealedToken.looksSealed("e2e2:WkC8")).isTrue();
        assertThat(SealedToken.looksSealed("e2e1: my secret")).isFalse();
        assertThat(SealedToken.looksSealed("e2e1:")).isFalse();
        assertThat(SealedToken.looksSealed("hello e2e1:WkC8")).isFalse();
    }

    private String sign(byte[] message) throws GeneralSecurityException {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(signing.getPrivate());
        signer.update(message);
        return Base64Url.encode(signer.sign());
    }

    private static KeyPair pair(String algorithm) {
        try {
            return KeyPairGenerator.getInstance(algorithm).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
