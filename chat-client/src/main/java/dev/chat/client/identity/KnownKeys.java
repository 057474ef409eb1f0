package dev.chat.client.identity;

import dev.chat.protocol.NameRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The public keys of other users as this client first saw them (trust on first use), kept in a
 * text file, by default {@code ~/.chat/known-keys}, with one {@code name chatkey1:… [verified]}
 * line per user, the name in lower case; lines starting with {@code #}, blank lines and lines
 * this version does not read are kept as they are. A key seen for the first time is pinned; a
 * different key for a pinned name is reported ({@link Check.Changed}) and never replaces the pin
 * unless the user {@linkplain #accept accepts} it (or {@linkplain #forget forgets} the pin);
 * {@linkplain #markVerified verified} marks a contact whose safety number the user compared. Like {@code KnownServers}: read anew on every
 * call, written whole (permissions 600) to a new file that takes the old one's place.
 * Thread-safe within one process.
 */
public final class KnownKeys {

    /** Where the file is kept, relative to the home directory. */
    public static final Path DEFAULT_RELATIVE = Path.of(".chat", "known-keys");

    private static final String VERIFIED = "verified";

    private final Path file;

    /** A key pinned for a name, and whether the user verified it. */
    public record Pin(PublicIdentity key, boolean verified) {
    }

    /** What {@link #check} found for a name and the key the server gave for it. */
    public sealed interface Check {

        /** The key may be used: the same as pinned, or pinned just now. */
        default boolean usable() {
            return !(this instanceof Changed);
        }

        /** No key was pinned for the name: {@code key} is pinned now, not verified. */
        record FirstSeen(String name, PublicIdentity key) implements Check {
        }

        /** The key is the one pinned for the name. */
        record Same(String name, PublicIdentity key, boolean verified) implements Check {
        }

        /**
         * The server gave {@code offered}, but {@code pinned} is pinned for the name: someone
         * else may be using it, or its owner made a new key. Nothing was changed; messages to
         * the name should wait until the user accepts the new key.
         */
        record Changed(String name, PublicIdentity pinned, PublicIdentity offered, boolean wasVerified) implements Check {

            /** What to tell the user, loudly: both fingerprints and what to do. */
            public String message() {
                return "WARNING: the key of " + name + " has CHANGED" + (wasVerified ? " (you had verified the old one)" : "")
                        + ". Someone may be posing as " + name + ", or " + name + " made a new key."
                        + " Pinned: " + pinned.fingerprint() + ". Offered now: " + offered.fingerprint() + "."
                        + " Messages to " + name + " wait until you accept the new key;"
                        + " ask " + name + " another way first, then compare safety numbers with /verify " + name + ".";
            }
        }
    }

    public KnownKeys(Path file) {
        this.file = file;
    }

    /** The file in the user's config directory under {@code home}: {@code ~/.chat/known-keys}. */
    public static KnownKeys inHome(Path home) {
        return new KnownKeys(home.resolve(DEFAULT_RELATIVE));
    }

    /** The file the keys are kept in. */
    public Path file() {
        return file;
    }

    /**
     * The key pinned for {@code name} (ignoring case), if any. Blocks on reading the file.
     *
     * @throws IOException when the file exists but cannot be read
     */
    public synchronized Optional<Pin> pinned(String name) throws IOException {
        String key = nameKey(name);
        for (String line : lines()) {
            Entry entry = Entry.parse(line);
            if (entry != null && entry.name.equals(key)) {
                return Optional.of(new Pin(entry.key, entry.verified));
            }
        }
        return Optional.empty();
    }

    /**
     * Checks the key the server gave for {@code name} against the pinned one, pinning it when
     * none is. Blocks on the file.
     *
     * @throws IOException when the file cannot be read or written
     */
    public synchronized Check check(String name, PublicIdentity key) throws IOException {
        Optional<Pin> pin = pinned(name);
        if (pin.isEmpty()) {
            write(nameKey(name), key, false);
            return new Check.FirstSeen(name, key);
        }
        if (pin.get().key().equals(key)) {
            return new Check.Same(name, key, pin.get().verified());
        }
        return new Check.Changed(name, pin.get().key(), key, pin.get().verified());
    }

    /**
     * Pins {@code key} for {@code name} on the user's word, replacing any other key; the contact
     * is not verified any more. Blocks on the file.
     *
     * @throws IOException when the file cannot be read or written
     */
    public synchronized void accept(String name, PublicIdentity key) throws IOException {
        write(nameKey(name), key, false);
    }

    /**
     * Marks {@code name} verified, the user having compared the safety number made with
     * {@code key}; pins the key when none is pinned. Blocks on the file.
     *
     * @return false, changing nothing, when another key is pinned for the name (accept it first)
     * @throws IOException when the file cannot be read or written
     */
    public synchronized boolean markVerified(String name, PublicIdentity key) throws IOException {
        Optional<Pin> pin = pinned(name);
        if (pin.isPresent() && !pin.get().key().equals(key)) {
            return false;
        }
        write(nameKey(name), key, true);
        return true;
    }

    /**
     * Drops the pin of {@code name}, on the user's word: for a name that no longer has a key (its
     * owner's registration was released and the name is someone else's now), so that the next
     * key seen for it is {@link Check.FirstSeen} again. Blocks on the file.
     *
     * @return whether a key was pinned for the name
     * @throws IOException when the file cannot be read or written
     */
    public synchronized boolean forget(String name) throws IOException {
        if (pinned(name).isEmpty()) {
            return false;
        }
        rewrite(nameKey(name), null);
        return true;
    }

    /** Rewrites the file with {@code key} pinned for {@code name}, in the place of its old line or at the end. */
    private void write(String name, PublicIdentity key, boolean verified) throws IOException {
        rewrite(name, name + " " + key.token() + (verified ? " " + VERIFIED : ""));
    }

    /** Rewrites the file with {@code pinLine} in the place of the pin of {@code name}, or at the end; none when null. */
    private void rewrite(String name, String pinLine) throws IOException {
        List<String> kept = new ArrayList<>();
        boolean placed = pinLine == null;
        for (String line : lines()) {
            Entry entry = Entry.parse(line);
            if (entry == null || !entry.name.equals(name)) {
                kept.add(line);
            } else if (!placed) {
                kept.add(pinLine);
                placed = true;
            }
        }
        if (!placed) {
            kept.add(pinLine);
        }
        StringBuilder text = new StringBuilder();
        for (String line : kept) {
            text.append(line).append('\n');
        }
        PrivateFiles.replace(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private List<String> lines() throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private static String nameKey(String name) {
        if (!NameRules.isValid(name)) {
            throw new IllegalArgumentException("not a valid name: " + name);
        }
        return NameRules.key(name);
    }

    /** One pin line. */
    private record Entry(String name, PublicIdentity key, boolean verified) {

        /** The pin on {@code line}, or null for a comment, a blank or a line this version does not read. */
        static Entry parse(String line) {
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#")) {
                return null;
            }
            String[] fields = stripped.split("\\s+");
            if (fields.length < 2 || fields.length > 3 || !NameRules.isValid(fields[0])
                    || (fields.length == 3 && !fields[2].equals(VERIFIED))) {
                return null;
            }
            return PublicIdentity.parse(fields[1])
                    .map(key -> new Entry(NameRules.key(fields[0]), key, fields.length == 3))
                    .orElse(null);
        }
    }
}
