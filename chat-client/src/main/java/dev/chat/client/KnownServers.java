package dev.chat.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The servers whose self-signed certificates the user has trusted, kept in a text file with
 * one {@code host:port FINGERPRINT} line per server (like SSH's {@code known_hosts}); lines
 * starting with {@code #} and blank lines are ignored. The file is read anew on every lookup,
 * so an edit by hand counts at once, and written whole through a temporary file that is
 * moved into place, so that a crash never leaves half a file. Thread-safe within one process.
 */
public final class KnownServers {

    /** Where the file is kept in the user's config directory, relative to the home directory. */
    public static final Path DEFAULT_RELATIVE = Path.of(".chat", "known-servers");

    private final Path file;

    public KnownServers(Path file) {
        this.file = file;
    }

    /** The file in the user's config directory under {@code home}: {@code ~/.chat/known-servers}. */
    public static KnownServers inHome(Path home) {
        return new KnownServers(home.resolve(DEFAULT_RELATIVE));
    }

    /** The file the fingerprints are kept in. */
    public Path file() {
        return file;
    }

    /** How a server is named in the file: {@code host:port}, the host in lower case, an IPv6 address in brackets. */
    public static String key(String host, int port) {
        String lower = host.toLowerCase(Locale.ROOT);
        return (lower.contains(":") && !lower.startsWith("[") ? "[" + lower + "]" : lower) + ":" + port;
    }

    /**
     * The fingerprint remembered for {@code host:port}, if any. Blocks on reading the file.
     *
     * @throws IOException when the file exists but cannot be read
     */
    public synchronized Optional<String> fingerprint(String host, int port) throws IOException {
        String key = key(host, port);
        for (String line : lines()) {
            String[] fields = fields(line);
            if (fields != null && fields[0].equals(key)) {
                return Fingerprint.parse(fields[1]);
            }
        }
        return Optional.empty();
    }

    /**
     * Remembers {@code fingerprint} for {@code host:port}, replacing what was there for it;
     * creates the file and its directory when missing. Blocks on writing the file.
     *
     * @throws IOException when the file cannot be written
     * @throws IllegalArgumentException when {@code fingerprint} is not a SHA-256 fingerprint
     */
    public synchronized void remember(String host, int port, String fingerprint) throws IOException {
        String canonical = Fingerprint.parse(fingerprint)
                .orElseThrow(() -> new IllegalArgumentException("not a SHA-256 fingerprint: " + fingerprint));
        String key = key(host, port);
        List<String> kept = new ArrayList<>();
        for (String line : lines()) {
            String[] fields = fields(line);
            if (fields == null || !fields[0].equals(key)) {
                kept.add(line);
            }
        }
        kept.add(key + " " + canonical);
        write(kept);
    }

    private List<String> lines() throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /** The key and the fingerprint of a line, or null for a comment, a blank or a malformed line. */
    private static String[] fields(String line) {
        String stripped = line.strip();
        if (stripped.isEmpty() || stripped.startsWith("#")) {
            return null;
        }
        String[] fields = stripped.split("\\s+", 2);
        return fields.length == 2 ? fields : null;
    }

    private void write(List<String> lines) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
        try {
            Files.write(temporary, lines, StandardCharsets.UTF_8);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
