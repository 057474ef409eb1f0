package dev.chat.server;

import dev.chat.protocol.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The lines every new connection reads before the name prompt. */
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
        if (file == null) {
            return BUILT_IN;
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                    .map(Text::stripControls)
                    .filter(line -> !line.isBlank())
                    .toList();
        } catch (IOException e) {
            throw new IOException("cannot read the greeting file " + file + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }
}
