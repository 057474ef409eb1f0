package dev.chat.server;

import dev.chat.protocol.NameRules;
import dev.chat.protocol.identity.KeyToken;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The registered names: each bound to the key ({@link KeyToken}) whose holder alone may use it,
 * kept in a file so that they survive restarts. One name per line: {@code NAME chatkey1:…}.
 * Written as the bans are ({@link KeptFile}), read at start and on SIGHUP.
 */
final class Registrations {

    /** A registered name, spelt as it was registered, and its key. */
    record Registration(String name, KeyToken key) {

        private String toLine() {
            return name + " " + key.token();
        }
    }

    private final Path file;

    /** Guards {@link #byKey} and the file. */
    private final ReentrantLock lock = new ReentrantLock();
    /** {@link NameRules#key} of a name to its registration; replaced whole, never changed in place. */
    private Map<String, Registration> byKey = Map.of();

    Registrations(Path file) {
        this.file = file;
    }

    /**
     * Reads the file again (at start and on SIGHUP); a missing file means no registered names.
     *
     * @throws IOException when the file cannot be read or a line is not a registration; the
     *                     registrations stay as they were
     */
    void reload() throws IOException {
        Map<String, Registration> loaded = new HashMap<>();
        for (KeptFile.Line line : KeptFile.read(file)) {
            Registration registration = parse(line);
            if (loaded.putIfAbsent(NameRules.key(registration.name()), registration) != null) {
                throw new IOException(file + " line " + line.number() + ": " + registration.name()
                        + " is registered twice");
            }
        }
        lock.lock();
        try {
            byKey = Map.copyOf(loaded);
        } finally {
            lock.unlock();
        }
    }

    private Registration parse(KeptFile.Line line) throws IOException {
        String[] fields = line.text().strip().split("\\s+");
        if (fields.length != 2 || !NameRules.isValid(fields[0])) {
            throw new IOException(file + " line " + line.number() + " is not \"NAME KEY\"");
        }
        KeyToken key = KeyToken.parse(fields[1]).orElseThrow(
                () -> new IOException(file + " line " + line.number() + ": not a valid key for " + fields[0]));
        return new Registration(fields[0], key);
    }

    /** The registration of {@code name}, ignoring case, or null when it is not registered. */
    Registration find(String name) {
        lock.lock();
        try {
            return byKey.get(NameRules.key(name));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Registers {@code name} to {@code key}, replacing its registration if it has one, and saves
     * the file. The caller has checked that it may.
     *
     * @throws IOException when the file cannot be written; nothing changes then
     */
    void register(String name, KeyToken key) throws IOException {
        lock.lock();
        try {
            Map<String, Registration> changed = new HashMap<>(byKey);
            changed.put(NameRules.key(name), new Registration(name, key));
            save(changed);
            byKey = Map.copyOf(changed);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Releases {@code name} and saves the file.
     *
     * @return the released registration, or null when the name was not registered
     * @throws IOException when the file cannot be written; nothing changes then
     */
    Registration release(String name) throws IOException {
        lock.lock();
        try {
            Map<String, Registration> changed = new HashMap<>(byKey);
            Registration released = changed.remove(NameRules.key(name));
            if (released != null) {
                save(changed);
                byKey = Map.copyOf(changed);
            }
            return released;
        } finally {
            lock.unlock();
        }
    }

    /** Every registration, sorted by name ignoring case. */
    List<Registration> all() {
        lock.lock();
        try {
            List<Registration> all = new ArrayList<>(byKey.values());
            all.sort(Comparator.comparing(registration -> NameRules.key(registration.name())));
            return all;
        } finally {
            lock.unlock();
        }
    }

    /** How many names are registered. */
    int size() {
        lock.lock();
        try {
            return byKey.size();
        } finally {
            lock.unlock();
        }
    }

    /** Writes every registration, sorted by name, to a new file moved into place. Lock held. */
    private void save(Map<String, Registration> all) throws IOException {
        List<Registration> sorted = new ArrayList<>(all.values());
        sorted.sort(Comparator.comparing(registration -> NameRules.key(registration.name())));
        KeptFile.write(file, "# name key (written by the chat server; edit, then send SIGHUP)",
                sorted.stream().map(Registration::toLine).toList());
    }
}
