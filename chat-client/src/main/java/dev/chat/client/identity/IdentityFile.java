package dev.chat.client.identity;

import dev.chat.client.identity.IdentityFileException.Problem;
import dev.chat.protocol.identity.Base64Url;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where a user's {@link Identity} is kept: one text file, by default {@code ~/.chat/identity},
 * made on first use with POSIX permissions 600 in a folder made 700, written to a new file that
 * then takes its place, and never read when other users could read or change it. The private
 * keys may be protected by a passphrase. Thread-safe within one process.
 *
 * <p>The file, UTF-8, one item a line (blank lines and lines starting with {@code #} are
 * skipped):
 * <pre>
 * chat-identity 1
 * public chatkey1:…                     the public keys' token ({@link PublicIdentity})
 * secret plain SECRET                   without a passphrase, or
 * secret pbkdf2-sha256 ITERATIONS SALT chacha20-poly1305 NONCE SEALED
 * </pre>
 * {@code SECRET} is the private keys' 64 bytes (Ed25519's 32, then X25519's 32) in base64url.
 * With a passphrase, a 256-bit key is derived from the passphrase's UTF-8 bytes by
 * PBKDF2-HMAC-SHA256 with {@code ITERATIONS} rounds (600,000 by default, OWASP's advice for this
 * function in 2023) over a random 16-byte {@code SALT}; ChaCha20-Poly1305 with that key and a
 * random 12-byte {@code NONCE} seals the 64 bytes into {@code SEALED} (80 bytes, the tag last),
 * with the ASCII text {@code "chat-identity 1 "} followed by the public token as associated
 * data, so that the public keys beside it cannot be swapped unnoticed.
 */
public final class IdentityFile {

    /** Where the file is kept, relative to the home directory. */
    public static final Path DEFAULT_RELATIVE = Path.of(".chat", "identity");

    /** PBKDF2-HMAC-SHA256 rounds for a new passphrase (OWASP, 2023): under a second on current hardware, once at start. */
    public static final int DEFAULT_ITERATIONS = 600_000;

    private static final String HEADER = "chat-identity 1";
    private static final String PLAIN = "plain";
    private static final String PBKDF2 = "pbkdf2-sha256";
    private static final String CHACHA = "chacha20-poly1305";
    private static final int SALT_BYTES = 16;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    private static final int MAX_ITERATIONS = 100_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final int iterations;

    public IdentityFile(Path file) {
        this(file, DEFAULT_ITERATIONS);
    }

    /** A file whose new passphrases get {@code iterations} rounds; for tests, which cannot wait. */
    IdentityFile(Path file, int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations out of range: " + iterations);
        }
        this.file = file;
        this.iterations = iterations;
    }

    /** The file in the user's config directory under {@code home}: {@code ~/.chat/identity}. */
    public static IdentityFile inHome(Path home) {
        return new IdentityFile(home.resolve(DEFAULT_RELATIVE));
    }

    /** The file the keys are kept in. */
    public Path file() {
        return file;
    }

    /** Whether the file exists (usable or not). */
    public boolean exists() {
        return Files.exists(file);
    }

    /**
     * Whether the file's private keys are protected by a passphrase, so that {@link #load} needs
     * one. Blocks on reading the file.
     *
     * @throws NoSuchFileException    when there is no file
     * @throws IdentityFileException  when it is unsafe or malformed
     * @throws IOException            when it cannot be read
     */
    public synchronized boolean needsPassphrase() throws IOException {
        return read().salt != null;
    }

    /**
     * The identity in the file, without a passphrase; when there is no file yet, a new identity,
     * written to a new file (without a passphrase). Blocks on the file.
     *
     * @throws IdentityFileException when the file exists but cannot be used, e.g. because it
     *                               needs a passphrase ({@link Problem#PASSPHRASE_NEEDED})
     * @throws IOException           when it cannot be read or written
     */
    public synchronized Identity loadOrCreate() throws IOException {
        if (!exists()) {
            try {
                return create(null);
            } catch (FileAlreadyExistsException e) {
                // Another client made it meanwhile: that one is the identity.
            }
        }
        return load(null);
    }

    /** Asks a person for the passphrase of an identity file. */
    @FunctionalInterface
    public interface PassphrasePrompt {

        /**
         * The passphrase of {@code file}, or null to go on without keys. Blocks while a person answers.
         *
         * @param wrong whether the passphrase given last was wrong
         */
        char[] passphrase(Path file, boolean wrong);
    }

    /** What {@link #open} found: the identity, and whether it was made just now. */
    public record Opened(Identity identity, boolean created) {
    }

    /** How many wrong passphrases {@link #open} takes before it gives up. */
    public static final int PASSPHRASE_TRIES = 3;

    /**
     * What a client does at start: the identity in the file, asking {@code prompt} for its
     * passphrase when it has one (again after a wrong one, {@value #PASSPHRASE_TRIES} times at
     * most); when there is no file yet, a new identity without a passphrase, written to a new file.
     * Blocks on the file, the key derivation and the prompt.
     *
     * @return the identity, or null when the prompt gave no passphrase
     * @throws IdentityFileException when the file cannot be used (unsafe, malformed, keys that do not
     *                               match, a passphrase wrong {@value #PASSPHRASE_TRIES} times)
     * @throws IOException           when it cannot be read or written
     */
    public Opened open(PassphrasePrompt prompt) throws IOException {
        if (!exists()) {
            try {
                return new Opened(create(null), true);
            } catch (FileAlreadyExistsException e) {
                // Another client made it meanwhile: that one is the identity.
            }
        }
        if (!needsPassphrase()) {
            return new Opened(load(null), false);
        }
        boolean wrong = false;
        for (int attempt = 1; ; attempt++) {
            char[] passphrase = prompt.passphrase(file, wrong);
            if (passphrase == null) {
                return null;
            }
            try {
                return new Opened(load(passphrase), false);
            } catch (IdentityFileException e) {
                if (e.problem() != Problem.PASSPHRASE_WRONG && e.problem() != Problem.PASSPHRASE_NEEDED
                        || attempt == PASSPHRASE_TRIES) {
                    throw e;
                }
                wrong = true;
            } finally {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /**
     * The identity in the file. With a passphrase, blocks for the key derivation (about half a
     * second).
     *
     * @param passphrase the passphrase, or null (or empty) when the keys have none; not kept
     * @throws NoSuchFileException    when there is no file
     * @throws IdentityFileException  when it cannot be used: unsafe, malformed, a passphrase
     *                                needed or wrong, keys that do not match
     * @throws IOException            when it cannot be read
     */
    public synchronized Identity load(char[] passphrase) throws IOException {
        Contents contents = read();
        byte[] secret;
        if (contents.salt == null) {
            secret = contents.secret;
        } else if (passphrase == null || passphrase.length == 0) {
            throw new IdentityFileException(Problem.PASSPHRASE_NEEDED, file,
                    "the private keys in " + file + " are protected by a passphrase; give it to use them");
        } else {
            secret = unseal(contents, passphrase);
        }
        try {
            return Identity.fromSecret(secret, contents.publicIdentity)
                    .orElseThrow(() -> new IdentityFileException(Problem.KEYS_DO_NOT_MATCH, file,
                            "the private keys in " + file + " do not belong to its public keys; the file was changed"));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /**
     * Makes a new identity and writes it to the file, which must not exist yet. With a
     * passphrase, blocks for the key derivation.
     *
     * @param passphrase the passphrase to protect the private keys with, or null (or empty) for none; not kept
     * @throws FileAlreadyExistsException when the file exists (an identity is never overwritten by this)
     * @throws IOException                when it cannot be written
     */
    public synchronized Identity create(char[] passphrase) throws IOException {
        Identity identity = Identity.generate();
        PrivateFiles.writeNew(file, format(identity, passphrase));
        return identity;
    }

    /**
     * Writes {@code identity} over the file, protected by {@code passphrase}: how a passphrase is
     * set, changed or removed. The old file is replaced in one step.
     *
     * @param passphrase the new passphrase, or null (or empty) for none; not kept
     * @throws IOException when it cannot be written
     */
    public synchronized void save(Identity identity, char[] passphrase) throws IOException {
        PrivateFiles.replace(file, format(identity, passphrase));
    }

    private byte[] format(Identity identity, char[] passphrase) {
        String token = identity.publicIdentity().token();
        byte[] secret = identity.secret();
        try {
            String secretLine;
            if (passphrase == null || passphrase.length == 0) {
                secretLine = "secret " + PLAIN + " " + Base64Url.encode(secret);
            } else {
                byte[] salt = random(SALT_BYTES);
                byte[] nonce = random(NONCE_BYTES);
                byte[] sealed = crypt(Cipher.ENCRYPT_MODE, passphrase, salt, iterations, nonce, token, secret);
                secretLine = String.join(" ", "secret", PBKDF2, Integer.toString(iterations), Base64Url.encode(salt),
                        CHACHA, Base64Url.encode(nonce), Base64Url.encode(sealed));
            }
            String text = "# chat identity: your private keys. Whoever has this file can read your private\n"
                    + "# messages and sign on with your registered name. Keep it to yourself.\n"
                    + HEADER + "\n"
                    + "public " + token + "\n"
                    + secretLine + "\n";
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalStateException("sealing cannot fail authentication", e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private byte[] unseal(Contents contents, char[] passphrase) throws IdentityFileException {
        try {
            return crypt(Cipher.DECRYPT_MODE, passphrase, contents.salt, contents.iterations, contents.nonce,
                    contents.publicIdentity.token(), contents.secret);
        } catch (AEADBadTagException e) {
            throw new IdentityFileException(Problem.PASSPHRASE_WRONG, file,
                    "the passphrase is wrong: it does not unlock the private keys in " + file);
        }
    }

    /** Seals or unseals the private keys under a key derived from {@code passphrase}. */
    private static byte[] crypt(int mode, char[] passphrase, byte[] salt, int iterations, byte[] nonce,
                                String publicToken, byte[] input) throws AEADBadTagException {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        byte[] key = null;
        try {
            key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
            cipher.init(mode, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            cipher.updateAAD((HEADER + " " + publicToken).getBytes(StandardCharsets.US_ASCII));
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256 or ChaCha20-Poly1305", e);
        } finally {
            spec.clearPassword();
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /** The file's items, its permissions checked first. */
    private Contents read() throws IOException {
        String unsafe = PrivateFiles.unsafeForSecrets(file);
        if (unsafe != null) {
            throw new IdentityFileException(Problem.UNSAFE_PERMISSIONS, file, "your identity is not used: " + unsafe);
        }
        List<String> items = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String stripped = line.strip();
            if (!stripped.isEmpty() && !stripped.startsWith("#")) {
                items.add(stripped);
            }
        }
        if (items.isEmpty() || !items.getFirst().equals(HEADER)) {
            throw malformed(items.isEmpty() || !items.getFirst().startsWith("chat-identity ")
                    ? "it does not start with \"" + HEADER + "\""
                    : "it was written by a newer version (" + items.getFirst() + ")");
        }
        if (items.size() != 3) {
            throw malformed("it should hold three items (version, public, secret), not " + items.size());
        }
        String[] publicItem = items.get(1).split(" ");
        if (publicItem.length != 2 || !publicItem[0].equals("public")) {
            throw malformed("the second item is not \"public KEY\"");
        }
        PublicIdentity publicIdentity = PublicIdentity.parse(publicItem[1])
                .orElseThrow(() -> malformed("the public keys are not a valid key token"));
        String[] secretItem = items.get(2).split(" ");
        if (secretItem.length == 3 && secretItem[0].equals("secret") && secretItem[1].equals(PLAIN)) {
            byte[] secret = Base64Url.decode(secretItem[2], Identity.SECRET_BYTES);
            if (secret == null) {
                throw malformed("the private keys are not 64 bytes of base64url");
            }
            return new Contents(publicIdentity, secret, null, 0, null);
        }
        if (secretItem.length == 7 && secretItem[0].equals("secret") && secretItem[1].equals(PBKDF2)
                && secretItem[4].equals(CHACHA)) {
            int rounds = parseIterations(secretItem[2]);
            byte[] salt = Base64Url.decode(secretItem[3], SALT_BYTES);
            byte[] nonce = Base64Url.decode(secretItem[5], NONCE_BYTES);
            byte[] sealed = Base64Url.decode(secretItem[6], Identity.SECRET_BYTES + TAG_BYTES);
            if (rounds < 1 || salt == null || nonce == null || sealed == null) {
                throw malformed("the protected private keys are damaged");
            }
            return new Contents(publicIdentity, sealed, salt, rounds, nonce);
        }
        throw malformed("the third item is not \"secret plain …\" or \"secret " + PBKDF2 + " …\"");
    }

    private static int parseIterations(String text) {
        if (!text.matches("[1-9][0-9]{0,8}")) {
            return -1;
        }
        int value = Integer.parseInt(text);
        return value <= MAX_ITERATIONS ? value : -1;
    }

    private IdentityFileException malformed(String why) {
        return new IdentityFileException(Problem.MALFORMED, file, file + " is not an identity file this version can read: " + why);
    }

    private static byte[] random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return value;
    }

    /** What the file holds: the secret is plain when {@code salt} is null, else sealed. */
    private record Contents(PublicIdentity publicIdentity, byte[] secret, byte[] salt, int iterations, byte[] nonce) {
    }
}
