package dev.chat.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A text file the server keeps what it must remember across restarts in (bans, registered
 * names): read as lines without comments, written whole to a new file that is then moved into
 * place, so that a crash or a full disk never leaves half a file, and a reader never sees one.
 */
final class KeptFile {

    private KeptFile() {
    }

    /**
     * The lines of {@code file} that are neither blank nor comments ({@code #}), each with its
     * line number; none when the file does not exist.
     *
     * @throws IOException when the file exists but cannot be read
     */
    static List<Line> read(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < all.size(); i++) {
            String line = all.get(i);
            if (!line.isBlank() && !line.startsWith("#")) {
                lines.add(new Line(i + 1, line));
            }
        }
        return lines;
    }

    /** One line of a kept file and its number, counted from 1, for error messages. */
    record Line(int number, String text) {
    }

    /**
     * Writes {@code header} (a comment, written with its {@code #}) and {@code lines} to a new
     * file beside {@code file} and moves it over {@code file} in one step. The caller holds
     * whatever lock guards the file.
     */
    static void write(Path file, String header, List<String> lines) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + file.getFileName(), ".tmp");
        try {
            List<String> all = new ArrayList<>(lines.size() + 1);
            all.add(header);
            all.addAll(lines);
            Files.write(temporary, all, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
