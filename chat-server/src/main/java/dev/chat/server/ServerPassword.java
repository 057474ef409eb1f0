package dev.chat.server;

import dev.chat.protocol.PasswordFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;

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
        return new ServerPassword(PasswordFile.read(file).getBytes(StandardCharsets.UTF_8));
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
