package dev.chat.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/** The server's password, read from a file; compared in constant time; never shown. */
final class ServerPassword {

    private final byte[] secret;

    private ServerPassword(byte[] secret) {
        this.secret = secret;
    }

    /**
     * Reads the first line of {@code file}; null when {@code file} is null (no password).
     *
     * @throws IOException when the file cannot be read or its first line is empty
     */
    static ServerPassword load(Path file) throws IOException {
        if (file == null) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read the password file " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        if (lines.isEmpty() || lines.getFirst().isEmpty()) {
            throw new IOException("the password file " + file + " has no password on its first line");
        }
        return new ServerPassword(lines.getFirst().getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code attempt} is the password. Takes as long whatever the answer. */
    boolean matches(String attempt) {
        return MessageDigest.isEqual(secret, attempt.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ServerPassword[hidden]";
    }
}
