package dev.chat.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, read from {@code /proc/<pid>/stat} and {@code status}. */
final class ProcStats {

    /** The kernel reports CPU times in USER_HZ ticks, 100 a second on every Linux architecture in use. */
    private static final double TICKS_PER_SECOND = 100.0;
    /** Fields 14 and 15 of /proc/pid/stat (utime, stime), counted after the ")" that ends field 2. */
    private static final int UTIME_AFTER_NAME = 11;
    private static final int STIME_AFTER_NAME = 12;

    private ProcStats() {
    }

    /** User plus system CPU seconds the process has used so far; NaN when it cannot be read. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(fields[UTIME_AFTER_NAME]) + Long.parseLong(fields[STIME_AFTER_NAME]);
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Resident set size in KiB; -1 when it cannot be read. */
    static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static long self() {
        return ProcessHandle.current().pid();
    }
}
