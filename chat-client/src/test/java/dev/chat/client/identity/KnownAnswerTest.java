package dev.chat.client.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The primitives under this package against the published test vectors, through this
 * package's own key encodings where it has them: RFC 7748 (X25519), RFC 8032 (Ed25519),
 * RFC 5869 (HKDF-SHA256 through the JDK's KDF API) and RFC 8439 (ChaCha20-Poly1305).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class KnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();

    // RFC 7748, section 6.1.
    private static final String ALICE_X25519_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String ALICE_X25519_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String BOB_X25519_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private static final String BOB_X25519_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String SHARED_SECRET = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    // RFC 8032, section 7.1, TEST 1 and TEST 2.
    private static final String ED25519_1_PRIVATE = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    private static final String ED25519_1_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    private static final String ED25519_1_SIGNATURE = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
    private static final String ED25519_2_PRIVATE = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
    private static final String ED25519_2_PUBLIC = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    private static final String ED25519_2_SIGNATURE = "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
            + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00";

    @Test
    void x25519_rfc7748_section5_2_singleSteps() throws Exception {
        assertThat(x25519("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))
                .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
        // The u-coordinate's top bit is set here; X25519 ignores it (RFC 7748, section 5).
        assertThat(x25519("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493"))
                .isEqualTo("95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
    }

    @Test
    void x25519_rfc7748_section6_1_diffieHellman_throughIdentities() throws Exception {
        Identity alice = identity(ED25519_1_PRIVATE, ALICE_X25519_PRIVATE, ED25519_1_PUBLIC, ALICE_X25519_PUBLIC);
        Identity bob = identity(ED25519_2_PRIVATE, BOB_X25519_PRIVATE, ED25519_2_PUBLIC, BOB_X25519_PUBLIC);

        assertThat(HEX.formatHex(alice.agree(bob.publicIdentity().agreementKey()))).isEqualTo(SHARED_SECRET);
        assertThat(HEX.formatHex(bob.agree(alice.publicIdentity().agreementKey()))).isEqualTo(SHARED_SECRET);
        assertThat(HEX.formatHex(PublicIdentity.rawX25519(alice.publicIdentity().agreementKey())))
                .isEqualTo(ALICE_X25519_PUBLIC);
    }

    @Test
    void ed25519_rfc8032_tests1and2_signAndVerify_throughIdentities() throws Exception {
        Identity one = identity(ED25519_1_PRIVATE, ALICE_X25519_PRIVATE, ED25519_1_PUBLIC, ALICE_X25519_PUBLIC);
        Identity two = identity(ED25519_2_PRIVATE, BOB_X25519_PRIVATE, ED25519_2_PUBLIC, BOB_X25519_PUBLIC);

        assertThat(HEX.formatHex(one.sign(new byte[0]))).isEqualTo(ED25519_1_SIGNATURE);
        assertThat(HEX.formatHex(two.sign(HEX.parseHex("72")))).isEqualTo(ED25519_2_SIGNATURE);
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(one.publicIdentity().verifyingKey());
        assertThat(verifier.verify(HEX.parseHex(ED25519_1_SIGNATURE))).isTrue();
    }

    @Test
    void identity_refusesPrivateKeysThatAreNotThoseOfThePublicOnes() {
        PublicIdentity published = PublicIdentity.fromBytes(HEX.parseHex(ED25519_1_PUBLIC + ALICE_X25519_PUBLIC)).orElseThrow();
        assertThat(Identity.fromSecret(HEX.parseHex(ED25519_2_PRIVATE + ALICE_X25519_PRIVATE), published)).isEmpty();
        assertThat(Identity.fromSecret(HEX.parseHex(ED25519_1_PRIVATE + BOB_X25519_PRIVATE), published)).isEmpty();
        assertThat(Identity.fromSecret(HEX.parseHex(ED25519_1_PRIVATE + ALICE_X25519_PRIVATE), published)).isPresent();
    }

    @Test
    void hkdfSha256_rfc5869_testCases1to3() throws Exception {
        KDF hkdf = KDF.getInstance("HKDF-SHA256");
        byte[] ikm = HEX.parseHex("0b".repeat(22));

        byte[] salt1 = HEX.parseHex("000102030405060708090a0b0c");
        SecretKey prk = hkdf.deriveKey("Generic", HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(salt1).extractOnly());
        assertThat(HEX.formatHex(prk.getEncoded())).isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        assertThat(HEX.formatHex(hkdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(salt1)
                .thenExpand(HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42))))
                .isEqualTo("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");

        assertThat(HEX.formatHex(hkdf.deriveData(HKDFParameterSpec.ofExtract()
                .addIKM(range(0x00, 80)).addSalt(range(0x60, 80)).thenExpand(range(0xb0, 80), 82))))
                .isEqualTo("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                        + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                        + "cc30c58179ec3e87c14c01d5c1f3434f1d87");

        assertThat(HEX.formatHex(hkdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(ikm).thenExpand(new byte[0], 42))))
                .isEqualTo("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    @Test
    void chacha20Poly1305_rfc8439_section2_8_2() throws Exception {
        byte[] key = range(0x80, 32);
        byte[] nonce = HEX.parseHex("070000004041424344454647");
        byte[] aad = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
        byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
                + " sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        String expected = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116"
                + "1ae10b594f09e26a7e902ecbd0600691";

        Cipher seal = Cipher.getInstance("ChaCha20-Poly1305");
        seal.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        seal.updateAAD(aad);
        assertThat(HEX.formatHex(seal.doFinal(plaintext))).isEqualTo(expected);

        Cipher open = Cipher.getInstance("ChaCha20-Poly1305");
        open.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        open.updateAAD(aad);
        assertThat(open.doFinal(HEX.parseHex(expected))).isEqualTo(plaintext);
    }

    private static String x25519(String scalar, String u) throws Exception {
        PrivateKey own = KeyFactory.getInstance("X25519")
                .generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, HEX.parseHex(scalar)));
        return HEX.formatHex(Identity.agree(own, PublicIdentity.x25519Key(HEX.parseHex(u))));
    }

    private static Identity identity(String ed25519Private, String x25519Private, String ed25519Public, String x25519Public) {
        PublicIdentity published = PublicIdentity.fromBytes(HEX.parseHex(ed25519Public + x25519Public)).orElseThrow();
        return Identity.fromSecret(HEX.parseHex(ed25519Private + x25519Private), published).orElseThrow();
    }

    private static byte[] range(int first, int count) {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++) {
            bytes[i] = (byte) (first + i);
        }
        return bytes;
    }
}
