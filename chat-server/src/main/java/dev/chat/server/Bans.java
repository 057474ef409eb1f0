package dev.chat.server;

import dev.chat.protocol.NameRules;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who is kept out: names and addresses (or CIDR blocks), each until a time or for good, kept
 * in a file so that they survive restarts. One ban per line, tab-separated:
 * {@code name|address TARGET until|never BY REASON}, with {@code until} an ISO-8601 instant.
 */
final class Bans {

    /** What a ban applies to. */
    enum Kind { NAME, ADDRESS }

    /**
     * One ban.
     *
     * @param target  the name, or the address or block as written
     * @param expires when the ban ends, or null for never
     */
    record Ban(Kind kind, String target, Instant expires, String by, String reason) {

        boolean isActive(Instant now) {
            return expires == null || now.isBefore(expires);
        }

        /** How the ban reads for users: {@code until 2026-11-22T16:00:00Z} or {@code for good}. */
        String duration() {
            return expires == null ? "for good" : "until " + expires;
        }

        private String toLine() {
            return String.join("\t", kind.name().toLowerCase(java.util.Locale.ROOT), target,
                    expires == null ? "never" : expires.toString(), by, reason);
        }
    }

    private final Path file;
    private final Clock clock;

    /** Guards {@link #bans} and the file. */
    private final ReentrantLock lock = new ReentrantLock();
    private List<Ban> bans = List.of();

    Bans(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /**
     * Reads the file again (at start and on SIGHUP); a missing file means no bans.
     *
     * @throws IOException when the file cannot be read or a line is not a ban; the bans stay as they were
     */
    void reload() throws IOException {
        List<Ban> loaded = new ArrayList<>();
        for (KeptFile.Line line : KeptFile.read(file)) {
            loaded.add(parse(line.text(), line.number()));
        }
        lock.lock();
        try {
            bans = List.copyOf(loaded);
        } finally {
            lock.unlock();
        }
    }

    private Ban parse(String line, int number) throws IOException {
        String[] fields = line.split("\t", 5);
        try {
            if (fields.length != 5) {
                throw new IllegalArgumentException("five tab-separated fields expected");
            }
            Kind kind = Kind.valueOf(fields[0].toUpperCase(java.util.Locale.ROOT));
            if (kind == Kind.ADDRESS) {
                AddressRange.parse(fields[1]);
            }
            Instant expires = fields[2].equals("never") ? null : Instant.parse(fields[2]);
            return new Ban(kind, fields[1], expires, fields[3], fields[4]);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw new IOException(file + " line " + number + " is not a ban: " + e.getMessage(), e);
        }
    }

    /** Adds {@code ban}, replacing a ban of the same target, and saves the file. */
    void add(Ban ban) throws IOException {
        lock.lock();
        try {
            List<Ban> changed = new ArrayList<>(bans);
            changed.removeIf(existing -> sameTarget(existing, ban.kind(), ban.target()));
            changed.add(ban);
            save(changed);
            bans = List.copyOf(changed);
        } finally {
            lock.unlock();
        }
    }

    /** Lifts the ban of {@code target} (a name or an address as banned); returns whether there was one. */
    boolean remove(String target) throws IOException {
        lock.lock();
        try {
            List<Ban> changed = new ArrayList<>(bans);
            boolean removed = changed.removeIf(existing -> sameTarget(existing, Kind.NAME, target)
                    || sameTarget(existing, Kind.ADDRESS, target));
            if (removed) {
                save(changed);
                bans = List.copyOf(changed);
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** The bans in force now. */
    List<Ban> active() {
        Instant now = clock.instant();
        lock.lock();
        try {
            return bans.stream().filter(ban -> ban.isActive(now)).toList();
        } finally {
            lock.unlock();
        }
    }

    /** The ban in force on {@code address}, or null. */
    Ban forAddress(InetAddress address) {
        for (Ban ban : active()) {
            if (ban.kind() == Kind.ADDRESS && AddressRange.parse(ban.target()).contains(address)) {
                return ban;
            }
        }
        return null;
    }

    /** The ban in force on {@code name} (ignoring case), or null. */
    Ban forName(String name) {
        for (Ban ban : active()) {
            if (ban.kind() == Kind.NAME && NameRules.key(ban.target()).equals(NameRules.key(name))) {
                return ban;
            }
        }
        return null;
    }

    private static boolean sameTarget(Ban ban, Kind kind, String target) {
        if (ban.kind() != kind) {
            return false;
        }
        return kind == Kind.NAME ? NameRules.key(ban.target()).equals(NameRules.key(target))
                : ban.target().equals(target);
    }

    /** Writes all bans to a new file and moves it into place, so a crash never leaves half a file. Lock held. */
    private void save(List<Ban> all) throws IOException {
        KeptFile.write(file, "# kind\ttarget\tuntil\tby\treason (written by the chat server; edit, then send SIGHUP)",
                all.stream().map(Ban::toLine).toList());
    }
}
