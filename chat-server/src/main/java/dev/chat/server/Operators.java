package dev.chat.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The operator accounts, from a file of salted PBKDF2 hashes, one account per line:
 * {@code NAME pbkdf2-sha256:ITERATIONS:SALT:HASH} (salt and hash in Base64). Lines starting
 * with {@code #} and blank lines are skipped. {@code chat-server --hash-password NAME} makes
 * a line.
 */
final class Operators {

    private static final String SCHEME = "pbkdf2-sha256";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    /** Iterations for new hashes; a stored hash keeps the count it was made with. */
    static final int ITERATIONS = 310_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private record Account(String name, int iterations, byte[] salt, byte[] hash) {
    }

    /** Account name, lower-cased, to its account. */
    private final Map<String, Account> accounts;
    /** Hashed against when the account does not exist, so that a wrong name takes as long as a wrong password. */
    private final Account decoy;

    private Operators(Map<String, Account> accounts) {
        this.accounts = accounts;
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        this.decoy = new Account("", ITERATIONS, salt, new byte[HASH_BITS / 8]);
    }

    /** No operators at all. */
    static Operators none() {
        return new Operators(Map.of());
    }

    /**
     * Reads the accounts in {@code file}; none when {@code file} is null.
     *
     * @throws IOException when the file cannot be read or a line is not an account
     */
    static Operators load(Path file) throws IOException {
        if (file == null) {
            return none();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read the operators file " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        Map<String, Account> accounts = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Account account = parse(line);
            if (account == null) {
                throw new IOException(file + " line " + (i + 1) + " is not \"NAME " + SCHEME + ":…\" (make one with --hash-password)");
            }
            accounts.put(account.name().toLowerCase(Locale.ROOT), account);
        }
        return new Operators(accounts);
    }

    private static Account parse(String line) {
        String[] fields = line.split("\\s+");
        if (fields.length != 2) {
            return null;
        }
        String[] parts = fields[1].split(":");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return null;
        }
        try {
            Base64.Decoder base64 = Base64.getDecoder();
            return new Account(fields[0], Integer.parseInt(parts[1]), base64.decode(parts[2]), base64.decode(parts[3]));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** How many accounts there are. */
    int size() {
        return accounts.size();
    }

    /**
     * Whether {@code password} is the password of the account {@code name} (ignoring case).
     * Takes about as long for an unknown name; blocks the calling thread for the hashing.
     */
    boolean verify(String name, String password) {
        Account account = accounts.get(name.toLowerCase(Locale.ROOT));
        Account checked = account != null ? account : decoy;
        byte[] hash = hash(password.toCharArray(), checked.salt(), checked.iterations(), checked.hash().length * 8);
        return MessageDigest.isEqual(hash, checked.hash()) && account != null;
    }

    /** The account name as written in the file, for {@code name} (ignoring case). */
    String accountName(String name) {
        Account account = accounts.get(name.toLowerCase(Locale.ROOT));
        return account == null ? name : account.name();
    }

    /** A line for the operators file: {@code name} with a new salted hash of {@code password}. */
    static String entry(String name, char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        byte[] hash = hash(password, salt, ITERATIONS, HASH_BITS);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return name + " " + SCHEME + ":" + ITERATIONS + ":" + base64.encodeToString(salt) + ":" + base64.encodeToString(hash);
    }

    private static byte[] hash(char[] password, byte[] salt, int iterations, int bits) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
