package dev.chat.client.identity;

import dev.chat.protocol.NameRules;
import dev.chat.protocol.identity.Base64Url;
import dev.chat.protocol.identity.KeyToken;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;

/**
 * The proof each side of a direct connection gives that it holds its identity key: an Ed25519
 * signature over the TLS session's exported keying material, the signer's role and both names.
 * The TLS certificates are throwaway ones that nobody checks; a party in the middle would run
 * two TLS sessions with two different exported values, and could sign neither with the key the
 * other side pinned. {@code docs/security.md} lays out the bytes.
 */
public final class DirectProof {

    /** How many bytes of keying material the TLS session exports for the proof. */
    public static final int EXPORTED_BYTES = 32;
    /** The exporter label (RFC 8446, section 7.5). */
    public static final String EXPORTER_LABEL = "EXPORTER-chat-direct-v1";

    private static final byte[] CONTEXT = "chat-direct-v1".getBytes(StandardCharsets.US_ASCII);

    /** Who signs: the side that offered (and connects) or the side that accepted (and listens). */
    public enum Role {
        OFFERER((byte) 'O'),
        ACCEPTER((byte) 'A');

        private final byte tag;

        Role(byte tag) {
            this.tag = tag;
        }
    }

    private DirectProof() {
    }

    /**
     * The signature's token (86 characters of base64url) by {@code identity}, whose user is
     * {@code signer}, for its connection with {@code peer}.
     *
     * @throws IllegalArgumentException when a name breaks the name rules or {@code exported} is not 32 bytes
     */
    public static String sign(Identity identity, Role role, String signer, String peer, byte[] exported) {
        return Base64Url.encode(identity.sign(signedBytes(role, signer, peer, exported)));
    }

    /**
     * Whether {@code signature} is {@code key}'s proof, as {@link #sign} makes it, by {@code signer}
     * in {@code role} for its connection with {@code peer}; false for a malformed signature.
     */
    public static boolean verify(PublicIdentity key, Role role, String signer, String peer, byte[] exported,
            String signature) {
        byte[] signatureBytes = Base64Url.decode(signature, KeyToken.SIGNATURE_BYTES);
        if (signatureBytes == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key.verifyingKey());
            verifier.update(signedBytes(role, signer, peer, exported));
            return verifier.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The context, a zero byte, the role, the two names in lower case each after a zero byte, a zero byte, the 32 exported bytes. */
    static byte[] signedBytes(Role role, String signer, String peer, byte[] exported) {
        if (!NameRules.isValid(signer) || !NameRules.isValid(peer) || exported.length != EXPORTED_BYTES) {
            throw new IllegalArgumentException("a direct proof needs two names and " + EXPORTED_BYTES + " exported bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(CONTEXT);
        out.write(0);
        out.write(role.tag);
        out.write(0);
        out.writeBytes(NameRules.key(signer).getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(NameRules.key(peer).getBytes(StandardCharsets.UTF_8));
        out.write(0);
        out.writeBytes(exported);
        return out.toByteArray();
    }
}
