package dev.chat.client.identity;

import dev.chat.protocol.NameRules;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The number two users compare (read aloud, or side by side) to know that each holds the other's
 * real key: 60 digits in 12 groups of 5, the same on both sides, different for any other key or
 * name. Computed as Signal computes its safety numbers (version 1), with this project's 64 public
 * key bytes and the lower-case name in the places of Signal's identity key and phone number.
 * Immutable.
 *
 * <p>For each of the two users: start from the bytes {@code 0x00 0x00}, the 64 key bytes, the
 * name (ASCII); {@value #ITERATIONS} times, replace them with SHA-512 of themselves followed by
 * the 64 key bytes; of the last digest, each of the first six 5-byte pieces, read as a
 * big-endian number, modulo 100,000, is written as 5 digits. The two users' 30 digits, the
 * smaller (as text) first, are the 60.
 */
public final class SafetyNumber {

    /** How many times each half is hashed: Signal's number, which makes a search for a colliding key slow. */
    public static final int ITERATIONS = 5200;

    private static final int GROUP_DIGITS = 5;
    private static final int GROUPS_PER_USER = 6;
    private static final int PIECE_BYTES = 5;

    private final String digits;

    private SafetyNumber(String digits) {
        this.digits = digits;
    }

    /**
     * The safety number of two users, whichever comes first: {@code of(a, ka, b, kb)} equals
     * {@code of(b, kb, a, ka)}. Takes some milliseconds.
     *
     * @throws IllegalArgumentException when a name breaks the name rules
     */
    public static SafetyNumber of(String name, PublicIdentity key, String otherName, PublicIdentity otherKey) {
        return combine(half(key.bytes(), nameBytes(name), ITERATIONS), half(otherKey.bytes(), nameBytes(otherName), ITERATIONS));
    }

    /** The 60 digits, without blanks. */
    public String digits() {
        return digits;
    }

    /** The 12 groups of 5 digits. */
    public List<String> groups() {
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < digits.length(); i += GROUP_DIGITS) {
            groups.add(digits.substring(i, i + GROUP_DIGITS));
        }
        return groups;
    }

    /** The 12 groups, one blank between each: {@code 30035 44776 …}. */
    @Override
    public String toString() {
        return String.join(" ", groups());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SafetyNumber that && digits.equals(that.digits);
    }

    @Override
    public int hashCode() {
        return digits.hashCode();
    }

    /** One user's 30 digits from the key bytes and the identifier, hashed {@code iterations} times. */
    static String half(byte[] key, byte[] identifier, int iterations) {
        try {
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            byte[] hash = new byte[2 + key.length + identifier.length];
            System.arraycopy(key, 0, hash, 2, key.length);
            System.arraycopy(identifier, 0, hash, 2 + key.length, identifier.length);
            for (int i = 0; i < iterations; i++) {
                sha512.update(hash);
                hash = sha512.digest(key);
            }
            StringBuilder digits = new StringBuilder();
            for (int group = 0; group < GROUPS_PER_USER; group++) {
                long piece = 0;
                for (int i = 0; i < PIECE_BYTES; i++) {
                    piece = (piece << 8) | (hash[group * PIECE_BYTES + i] & 0xff);
                }
                digits.append(String.format("%05d", piece % 100_000));
            }
            return digits.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks SHA-512", e);
        }
    }

    /** The number made of two halves, the smaller first. */
    static SafetyNumber combine(String half, String otherHalf) {
        return new SafetyNumber(half.compareTo(otherHalf) <= 0 ? half + otherHalf : otherHalf + half);
    }

    private static byte[] nameBytes(String name) {
        if (!NameRules.isValid(name)) {
            throw new IllegalArgumentException("not a valid name: " + name);
        }
        return NameRules.key(name).getBytes(StandardCharsets.US_ASCII);
    }
}
