package dev.chat.client.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat.client.Fingerprint;
import dev.chat.protocol.identity.Base64Url;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PublicIdentityTest {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private static final String CERTIFICATE = "9E:1E:34:AB:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:01:23:45:67:89:AB:CD:EF:10:32:9A:17";
    private static final String OTHER_CERTIFICATE = "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01";

    private final Identity alice = Identity.generate();
    private final Identity mallory = Identity.generate();

    @Test
    void theToken_isOnePrintableWordOf95Characters_andParsesBackToTheSameKeys() {
        String token = alice.publicIdentity().token();

        assertThat(token).startsWith("chatkey1:").hasSize(95).hasSize(PublicIdentity.TOKEN_LENGTH).matches("[!-~]+");
        assertThat(PublicIdentity.parse(token)).contains(alice.publicIdentity());
        assertThat(PublicIdentity.parse(token).orElseThrow().token()).isEqualTo(token);
        assertThat(PublicIdentity.parse(mallory.publicIdentity().token())).isNotEqualTo(PublicIdentity.parse(token));
    }

    @Test
    void parsing_refusesEverythingButTheOneSpellingOfValidKeys() {
        String token = alice.publicIdentity().token();
        String body = token.substring(PublicIdentity.PREFIX.length());
        char last = body.charAt(body.length() - 1);
        // The last character carries 2 bits of the key and 4 unused bits, which must be zero.
        char unusedBitSet = ALPHABET.charAt(ALPHABET.indexOf(last) ^ 1);

        assertThat(PublicIdentity.parse(body)).isEmpty();
        assertThat(PublicIdentity.parse("chatkey2:" + body)).isEmpty();
        assertThat(PublicIdentity.parse("CHATKEY1:" + body)).isEmpty();
        assertThat(PublicIdentity.parse(token + "==")).isEmpty();
        assertThat(PublicIdentity.parse(token + "A")).isEmpty();
        assertThat(PublicIdentity.parse(token.substring(0, token.length() - 1))).isEmpty();
        assertThat(PublicIdentity.parse(" " + token)).isEmpty();
        assertThat(PublicIdentity.parse(token.replace(body.substring(0, 4), "+/+/"))).isEmpty();
        assertThat(PublicIdentity.parse(token.substring(0, token.length() - 1) + unusedBitSet)).isEmpty();
        assertThat(PublicIdentity.parse("")).isEmpty();
    }

    @Test
    void parsing_refusesKeysThatAreNoPointsOrOfSmallOrderOrNotCanonical() {
        byte[] good = alice.publicIdentity().bytes();

        byte[] noPoint = good.clone();
        Arrays.fill(noPoint, 0, 32, (byte) 0);
        noPoint[0] = 2; // y = 2 has no x on Ed25519
        assertThat(PublicIdentity.parse(token(noPoint))).isEmpty();

        byte[] yAtLeastP = good.clone();
        Arrays.fill(yAtLeastP, 0, 32, (byte) 0xff);
        yAtLeastP[31] = 0x7f;
        assertThat(PublicIdentity.parse(token(yAtLeastP))).isEmpty();

        for (int smallOrder : new int[] {0, 1}) {
            byte[] weak = good.clone();
            Arrays.fill(weak, 32, 64, (byte) 0);
            weak[32] = (byte) smallOrder;
            assertThat(PublicIdentity.parse(token(weak))).as("u = %d", smallOrder).isEmpty();
        }

        byte[] topBit = good.clone();
        topBit[63] |= (byte) 0x80;
        assertThat(PublicIdentity.parse(token(topBit))).isEmpty();

        assertThat(PublicIdentity.parse(token(good))).contains(alice.publicIdentity());
    }

    @Test
    void theFingerprint_isTheSha256OfTheKeys_writtenLikeACertificatesFingerprint() {
        String fingerprint = alice.publicIdentity().fingerprint();

        assertThat(fingerprint).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(Fingerprint.parse(fingerprint)).contains(fingerprint);
        assertThat(fingerprint).isNotEqualTo(mallory.publicIdentity().fingerprint());
        assertThat(alice.toString()).contains(fingerprint).doesNotContain(Base64Url.encode(alice.secret()));
    }

    @Test
    void aSignedChallenge_verifiesForTheSameKeyNameChallengeAndServer_only() {
        Challenge challenge = Challenge.random();
        String signature = alice.signChallenge(challenge, "Alice", CERTIFICATE);
        PublicIdentity key = alice.publicIdentity();

        assertThat(signature).hasSize(86).matches("[A-Za-z0-9_-]+");
        assertThat(key.verifyChallenge(challenge, "alice", CERTIFICATE, signature)).isTrue();
        assertThat(key.verifyChallenge(challenge, "ALICE", CERTIFICATE.toLowerCase().replace(":", ""), signature)).isTrue();

        assertThat(mallory.publicIdentity().verifyChallenge(challenge, "alice", CERTIFICATE, signature)).isFalse();
        assertThat(key.verifyChallenge(challenge, "alice2", CERTIFICATE, signature)).isFalse();
        assertThat(key.verifyChallenge(Challenge.random(), "alice", CERTIFICATE, signature)).isFalse();
        assertThat(key.verifyChallenge(challenge, "alice", OTHER_CERTIFICATE, signature)).isFalse();
        assertThat(key.verifyChallenge(challenge, "alice", null, signature)).isFalse();
        assertThat(key.verifyChallenge(challenge, "alice", CERTIFICATE, mallory.signChallenge(challenge, "alice", CERTIFICATE)))
                .isFalse();
    }

    @Test
    void aChallengeOnAPlainConnection_isSignedWithoutACertificate() {
        Challenge challenge = Challenge.random();
        String signature = alice.signChallenge(challenge, "alice", null);

        assertThat(alice.publicIdentity().verifyChallenge(challenge, "alice", null, signature)).isTrue();
        assertThat(alice.publicIdentity().verifyChallenge(challenge, "alice", CERTIFICATE, signature)).isFalse();
    }

    @Test
    void aMalformedSignature_isNoSignature_andMalformedInputsAreRefused() {
        Challenge challenge = Challenge.random();
        String signature = alice.signChallenge(challenge, "alice", null);
        PublicIdentity key = alice.publicIdentity();

        assertThat(key.verifyChallenge(challenge, "alice", null, signature.substring(1))).isFalse();
        assertThat(key.verifyChallenge(challenge, "alice", null, signature + "A")).isFalse();
        assertThat(key.verifyChallenge(challenge, "alice", null, "not a signature")).isFalse();
        assertThatThrownBy(() -> alice.signChallenge(challenge, "al ice", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> alice.signChallenge(challenge, "alice", "AB:CD")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aChallengeToken_is43CharactersAndParsesBackStrictly() {
        Challenge challenge = Challenge.random();

        assertThat(challenge.token()).hasSize(43);
        assertThat(Challenge.parse(challenge.token())).contains(challenge);
        assertThat(Challenge.random()).isNotEqualTo(challenge);
        assertThat(Challenge.parse(challenge.token().substring(1))).isEmpty();
        assertThat(Challenge.parse(challenge.token() + "=")).isEmpty();
        assertThat(Challenge.parse(Base64.getEncoder().encodeToString(new byte[32]))).isEmpty();
    }

    private static String token(byte[] keyBytes) {
        return PublicIdentity.PREFIX + Base64Url.encode(keyBytes);
    }
}
