package dev.chat.protocol.identity;

import java.util.Base64;

/**
 * The text form of every binary value in the identity tokens (keys, challenges, signatures,
 * sealed messages): base64url (RFC 4648, section 5) without padding, read strictly, so that one
 * value has exactly one spelling.
 */
public final class Base64Url {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {
    }

    /** {@code bytes} as unpadded base64url. */
    public static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * The bytes {@code text} spells, or null when it is not canonical unpadded base64url: a
     * character outside {@code A-Z a-z 0-9 - _}, padding, a length no byte count gives, or
     * unused low bits that are not zero.
     */
    public static byte[] decode(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!alphabet) {
                return null;
            }
        }
        if (text.length() % 4 == 1) {
            return null;
        }
        byte[] bytes = DECODER.decode(text);
        // The decoder ignores set bits past the last byte; a second spelling of a value is refused.
        return ENCODER.encodeToString(bytes).equals(text) ? bytes : null;
    }

    /** The bytes {@code text} spells when they are exactly {@code length} bytes, else null. */
    public static byte[] decode(String text, int length) {
        if (text.length() != encodedLength(length)) {
            return null;
        }
        byte[] bytes = decode(text);
        return bytes != null && bytes.length == length ? bytes : null;
    }

    /** How many characters {@code bytes} bytes take. */
    public static int encodedLength(int bytes) {
        return (bytes * 4 + 2) / 3;
    }

    /** The most bytes that {@code characters} characters can spell. */
    public static int decodedLength(int characters) {
        return characters * 3 / 4;
    }
}
