package dev.chat.protocol;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How every part of the project reads a secret from a file rather than a command line that
 * {@code ps} shows: the password is the first line of the file, in UTF-8, without its line
 * terminator; what follows is ignored, so the file may end with a newline or carry a comment.
 */
public final class PasswordFile {

    private PasswordFile() {
    }

    /**
     * The first line of {@code file}.
     *
     * @throws IOException when the file cannot be read or its first line is empty or blank;
     *                     the message names the file and is fit for users, and never holds the secret
     */
    public static String read(Path file) throws IOException {
        String first;
        try (BufferedReader lines = Files.newBufferedReader(file, Protocol.CHARSET)) {
            first = lines.readLine();
        } catch (IOException e) {
            throw new IOException("cannot read the password file " + file + " (" + reason(e) + ")", e);
        }
        if (first == null || first.isBlank()) {
            throw new IOException("the password file " + file + " has no password on its first line");
        }
        return first;
    }

    private static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException _ -> "no such file";
            case java.nio.file.AccessDeniedException _ -> "permission denied";
            case java.nio.charset.CharacterCodingException _ -> "not UTF-8 text";
            default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        };
    }
}
