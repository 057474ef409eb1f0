package dev.chat.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's limit on open files, read from {@code /proc/self/limits}, and whether
 * {@code --max-clients} fits under it. The JVM on Linux already raises its soft limit to the
 * hard limit at start ({@code -XX:+MaxFDLimit}, on by default), so this only reads it.
 */
final class OpenFileLimit {

    /** Files the server holds besides client sockets: the listener, logs, jars, the JVM's own. */
    static final int HEADROOM = 100;

    private static final Path PROC_LIMITS = Path.of("/proc/self/limits");
    private static final String OPEN_FILES_ROW = "Max open files";

    private OpenFileLimit() {
    }

    /** This process's soft limit on open files; empty where {@code /proc} does not tell it. */
    static OptionalLong current() {
        try {
            return parse(Files.readString(PROC_LIMITS, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The soft limit in the "Max open files" row of a {@code /proc/<pid>/limits} text; empty when
     * the row is missing or says "unlimited".
     */
    static OptionalLong parse(String limits) {
        for (String row : limits.split("\n")) {
            if (row.startsWith(OPEN_FILES_ROW)) {
                String[] columns = row.substring(OPEN_FILES_ROW.length()).trim().split("\\s+");
                if (columns.length > 0 && columns[0].chars().allMatch(Character::isDigit) && !columns[0].isEmpty()) {
                    return OptionalLong.of(Long.parseLong(columns[0]));
                }
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /**
     * A warning for the admin when {@code maxClients} connections and the server's own files
     * would pass {@code limit}; null when they fit.
     */
    static String warningFor(int maxClients, long limit) {
        if ((long) maxClients + HEADROOM <= limit) {
            return null;
        }
        return "max-clients is " + maxClients + " but this process may open only " + limit
                + " files; about " + Math.max(0, limit - HEADROOM) + " clients can connect before accepting fails"
                + " (raise the hard limit, e.g. LimitNOFILE= in systemd or ulimit -Hn, or lower --max-clients)";
    }
}
