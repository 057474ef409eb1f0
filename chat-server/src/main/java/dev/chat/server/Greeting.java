package dev.chat.server;

import dev.chat.protocol.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The texts set by the admin: the greeting every connection reads before the name prompt, and the message of the day. */
final class Greeting {

    static final List<String> BUILT_IN = List.of(
            "Welcome to the chat server.",
            "Names are 1 to 20 letters, digits, '_', '-' or '.'.");

    private Greeting() {
    }

    /**
     * Reads the greeting from {@code file}, one protocol line per non-blank line, with control
     * characters removed; the built-in greeting when {@code file} is null.
     *
     * @throws IOException when the file cannot be read
     */
    static List<String> load(Path file) throws IOException {
        return file == null ? BUILT_IN : read(file, "greeting");
    }

    /** Reads the message of the day as {@link #load} reads a greeting; none when {@code file} is null. */
    static List<String> loadMotd(Path file) throws IOException {
        return file == null ? List.of() : read(file, "message-of-the-day");
    }

    private static List<String> read(Path file, String what) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(Text::stripControls)
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new IOException("cannot read the " + what + " file " + file + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }
}
