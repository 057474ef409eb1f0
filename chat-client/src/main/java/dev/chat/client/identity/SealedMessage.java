package dev.chat.client.identity;

import dev.chat.client.identity.OpenFailedException.Reason;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.Text;
import dev.chat.protocol.identity.Base64Url;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A private message sealed on the sender's machine for one recipient's key, so that only the
 * recipient can read it and knows who sealed it: what travels as the text of {@code /msg NAME
 * e2e1:…}. Each message has a fresh ephemeral X25519 key; its key and nonce come from
 * HKDF-SHA256 over two X25519 secrets, and ChaCha20-Poly1305 seals the text with the names and
 * the message's id as associated data. {@code docs/security.md} gives every byte.
 *
 * <p>The token is {@code e2e1:} and base64url (no padding) of:
 * <pre>
 * ephemeral X25519 public key     32 bytes
 * message id                      16 bytes: sender's clock in ms (8, big-endian), 8 random
 * sender key hint                  4 bytes: the first 4 of the sender's key fingerprint
 * recipient key hint               4 bytes: the same of the recipient's
 * ciphertext                       the text's UTF-8, then 0x80, then 0x00 up to a multiple of 32 bytes
 * Poly1305 tag                    16 bytes
 * </pre>
 * The text is padded so that the server learns its length only to within 32 bytes. Stateless
 * and thread-safe.
 */
public final class SealedMessage {

    /** What a sealed message of this version starts with. */
    public static final String PREFIX = "e2e1:";

    /**
     * The longest text, in UTF-8 bytes, a sealed message holds on a server that takes lines of
     * {@link Protocol#DEFAULT_MAX_LINE_BYTES} bytes: 2,975.
     */
    public static final int MAX_PLAINTEXT_BYTES;

    private static final Pattern ANY_VERSION = Pattern.compile("e2e[0-9]+:.*", Pattern.DOTALL);
    private static final byte[] VERSION = "e2e1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] INFO = "chat-e2e1-message-key".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_BYTES = PublicIdentity.KEY_BYTES + MessageId.BYTES + 2 * PublicIdentity.HINT_BYTES;
    private static final int TAG_BYTES = 16;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int PADDING_BLOCK = 32;
    // The line a client sends: "/msg NAME TOKEN", with a name as long as names go.
    private static final int LINE_OVERHEAD = "/msg ".length() + NameRules.MAX_LENGTH + " ".length();

    static {
        MAX_PLAINTEXT_BYTES = maxPlaintextBytes(Protocol.DEFAULT_MAX_LINE_BYTES);
    }

    private SealedMessage() {
    }

    /** A sealed message opened: its text (control characters removed) and when the sender sealed it, by the sender's clock. */
    public record Opened(String text, Instant sentAt) {
    }

    /**
     * The longest text, in UTF-8 bytes, that a sealed message holds when {@code /msg NAME TOKEN}
     * must fit in a line of {@code maxLineBytes} bytes, NAME as long as names go.
     *
     * @throws IllegalArgumentException when no sealed message fits in such a line
     */
    public static int maxPlaintextBytes(int maxLineBytes) {
        int binary = Base64Url.decodedLength(maxLineBytes - LINE_OVERHEAD - PREFIX.length());
        int padded = (binary - HEADER_BYTES - TAG_BYTES) / PADDING_BLOCK * PADDING_BLOCK;
        if (padded < PADDING_BLOCK) {
            throw new IllegalArgumentException("no sealed message fits in a line of " + maxLineBytes + " bytes");
        }
        return padded - 1;
    }

    /** How many bytes of a sealed message {@code text} takes: its UTF-8 length once control characters are removed. */
    public static int plaintextBytes(String text) {
        return Text.stripControls(text).getBytes(StandardCharsets.UTF_8).length;
    }

    /** Whether {@code text} fits in one sealed message on a server with the default line limit. */
    public static boolean fits(String text) {
        return plaintextBytes(text) <= MAX_PLAINTEXT_BYTES;
    }

    /** Whether {@code text} is a sealed message of any version ({@code e2e} digits {@code :} …), readable or not. */
    public static boolean isSealed(String text) {
        return ANY_VERSION.matcher(text).matches();
    }

    /**
     * Seals {@code text} (its control characters removed) from {@code sender}, signed on as
     * {@code senderName}, for {@code recipientName}, whose key is {@code recipient}.
     *
     * @return the token, at most {@code Protocol.DEFAULT_MAX_LINE_BYTES - 26} characters
     * @throws IllegalArgumentException when a name breaks the name rules or the text does not
     *                                  {@link #fits fit}; check before, to tell the user
     */
    public static String seal(Identity sender, String senderName, PublicIdentity recipient, String recipientName,
                              String text) {
        requireName(senderName);
        requireName(recipientName);
        byte[] plain = Text.stripControls(text).getBytes(StandardCharsets.UTF_8);
        if (plain.length > MAX_PLAINTEXT_BYTES) {
            throw new IllegalArgumentException("a sealed message holds at most " + MAX_PLAINTEXT_BYTES
                    + " bytes of text, not " + plain.length);
        }
        try {
            KeyPair ephemeral = KeyPairGenerator.getInstance("X25519").generateKeyPair();
            byte[] ephemeralPublic = PublicIdentity.rawX25519(ephemeral.getPublic());
            byte[] ephemeralSecret = Identity.agree(ephemeral.getPrivate(), recipient.agreementKey());
            byte[] staticSecret = sender.agree(recipient.agreementKey());

            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            header.put(ephemeralPublic);
            MessageId.next().write(header);
            header.put(sender.publicIdentity().hint()).put(recipient.hint());

            byte[] padded = pad(plain);
            byte[] sealed = crypt(Cipher.ENCRYPT_MODE, ephemeralSecret, staticSecret, ephemeralPublic,
                    sender.publicIdentity(), recipient, header.array(), senderName, recipientName, padded);
            Arrays.fill(padded, (byte) 0);
            byte[] token = Arrays.copyOf(header.array(), HEADER_BYTES + sealed.length);
            System.arraycopy(sealed, 0, token, HEADER_BYTES, sealed.length);
            return PREFIX + Base64Url.encode(token);
        } catch (InvalidKeyException | AEADBadTagException e) {
            // A parsed PublicIdentity is never of small order, and sealing does not authenticate.
            throw new IllegalStateException("cannot seal for " + recipientName, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks X25519", e);
        }
    }

    /**
     * Opens a sealed message that {@code senderName}, whose pinned key is {@code sender}, sent to
     * {@code recipient}, signed on as {@code recipientName}, and remembers its id in {@code seen}.
     *
     * @param token the message's text as it came: {@code e2e1:…}
     * @throws OpenFailedException when it cannot be opened, with the reason
     */
    public static Opened open(Identity recipient, String recipientName, PublicIdentity sender, String senderName,
                              String token, ReplayGuard seen) throws OpenFailedException {
        requireName(senderName);
        requireName(recipientName);
        if (!token.startsWith(PREFIX)) {
            throw new OpenFailedException(isSealed(token) ? Reason.UNKNOWN_VERSION : Reason.MALFORMED, senderName);
        }
        byte[] bytes = Base64Url.decode(token.substring(PREFIX.length()));
        int sealedLength = bytes == null ? -1 : bytes.length - HEADER_BYTES;
        if (sealedLength < PADDING_BLOCK + TAG_BYTES || (sealedLength - TAG_BYTES) % PADDING_BLOCK != 0) {
            throw new OpenFailedException(Reason.MALFORMED, senderName);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte[] ephemeralPublic = new byte[PublicIdentity.KEY_BYTES];
        buffer.get(ephemeralPublic);
        MessageId id = MessageId.read(buffer);
        byte[] senderHint = new byte[PublicIdentity.HINT_BYTES];
        byte[] recipientHint = new byte[PublicIdentity.HINT_BYTES];
        buffer.get(senderHint).get(recipientHint);
        if (!MessageDigest.isEqual(recipientHint, recipient.publicIdentity().hint())) {
            throw new OpenFailedException(Reason.WRONG_RECIPIENT_KEY, senderName);
        }
        if (!MessageDigest.isEqual(senderHint, sender.hint())) {
            throw new OpenFailedException(Reason.WRONG_SENDER_KEY, senderName);
        }
        byte[] padded;
        try {
            PublicKey ephemeral = PublicIdentity.x25519Key(ephemeralPublic);
            byte[] ephemeralSecret = recipient.agree(ephemeral);
            byte[] staticSecret = recipient.agree(sender.agreementKey());
            padded = crypt(Cipher.DECRYPT_MODE, ephemeralSecret, staticSecret, ephemeralPublic, sender,
                    recipient.publicIdentity(), Arrays.copyOf(bytes, HEADER_BYTES), senderName, recipientName,
                    Arrays.copyOfRange(bytes, HEADER_BYTES, bytes.length));
        } catch (InvalidKeyException | AEADBadTagException e) {
            // A small-order ephemeral key is made by nobody but an attacker.
            throw new OpenFailedException(Reason.TAMPERED, senderName);
        }
        String text = unpad(padded, senderName);
        Arrays.fill(padded, (byte) 0);
        if (!seen.firstSight(senderName, id)) {
            throw new OpenFailedException(Reason.REPLAYED, senderName);
        }
        return new Opened(Text.stripControls(text), id.sentAt());
    }

    /**
     * ChaCha20-Poly1305 under the key and nonce that HKDF-SHA256 derives: input keying material
     * the ephemeral secret then the static one, salt the ephemeral public key, info
     * {@code "chat-e2e1-message-key"} then the sender's and the recipient's 64 public key bytes;
     * 44 bytes out, the key (32) then the nonce (12). Clears both secrets.
     */
    private static byte[] crypt(int mode, byte[] ephemeralSecret, byte[] staticSecret, byte[] ephemeralPublic,
                                PublicIdentity sender, PublicIdentity recipient, byte[] header,
                                String senderName, String recipientName, byte[] input) throws AEADBadTagException {
        byte[] keyMaterial = new byte[ephemeralSecret.length + staticSecret.length];
        System.arraycopy(ephemeralSecret, 0, keyMaterial, 0, ephemeralSecret.length);
        System.arraycopy(staticSecret, 0, keyMaterial, ephemeralSecret.length, staticSecret.length);
        Arrays.fill(ephemeralSecret, (byte) 0);
        Arrays.fill(staticSecret, (byte) 0);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes(INFO);
        info.writeBytes(sender.bytes());
        info.writeBytes(recipient.bytes());
        byte[] derived = null;
        try {
            derived = KDF.getInstance("HKDF-SHA256").deriveData(HKDFParameterSpec.ofExtract()
                    .addIKM(keyMaterial).addSalt(ephemeralPublic).thenExpand(info.toByteArray(), KEY_BYTES + NONCE_BYTES));
            Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
            cipher.init(mode, new SecretKeySpec(derived, 0, KEY_BYTES, "ChaCha20"),
                    new IvParameterSpec(derived, KEY_BYTES, NONCE_BYTES));
            cipher.updateAAD(associatedData(header, senderName, recipientName));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HKDF-SHA256 or ChaCha20-Poly1305", e);
        } finally {
            Arrays.fill(keyMaterial, (byte) 0);
            if (derived != null) {
                Arrays.fill(derived, (byte) 0);
            }
        }
    }

    /** {@code "e2e1"}, the 56 header bytes, then each name in lower case after its length in one byte. */
    static byte[] associatedData(byte[] header, String senderName, String recipientName) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(VERSION);
        data.writeBytes(header);
        for (String name : new String[] {senderName, recipientName}) {
            byte[] key = NameRules.key(name).getBytes(StandardCharsets.US_ASCII);
            data.write(key.length);
            data.writeBytes(key);
        }
        return data.toByteArray();
    }

    private static byte[] pad(byte[] plain) {
        int length = (plain.length / PADDING_BLOCK + 1) * PADDING_BLOCK;
        byte[] padded = Arrays.copyOf(plain, length);
        padded[plain.length] = (byte) 0x80;
        return padded;
    }

    /** The text before the padding, which must be 0x80 and then at most 31 zero bytes, as UTF-8. */
    private static String unpad(byte[] padded, String senderName) throws OpenFailedException {
        int end = padded.length - 1;
        while (end >= 0 && padded[end] == 0) {
            end--;
        }
        if (end < 0 || padded[end] != (byte) 0x80 || padded.length - end > PADDING_BLOCK) {
            throw new OpenFailedException(Reason.MALFORMED, senderName);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(padded, 0, end)).toString();
        } catch (CharacterCodingException e) {
            throw new OpenFailedException(Reason.MALFORMED, senderName);
        }
    }

    private static void requireName(String name) {
        if (!NameRules.isValid(name)) {
            throw new IllegalArgumentException("not a valid name: " + name);
        }
    }
}
