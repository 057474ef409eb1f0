package dev.chat.client.identity;

import java.io.IOException;
import java.nio.file.Path;

/** The identity file exists but cannot be used, and why; the message says it in words for the user. */
public final class IdentityFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why the identity file cannot be used. */
    public enum Problem {
        /** Other users may read or change the file, or replace it; it is not read. */
        UNSAFE_PERMISSIONS,
        /** The file is not an identity file this version reads (damaged, or from a newer version). */
        MALFORMED,
        /** The private keys are protected by a passphrase and none was given. */
        PASSPHRASE_NEEDED,
        /** The passphrase given is not the one the keys are protected by (or the file was changed). */
        PASSPHRASE_WRONG,
        /** The private keys do not belong to the public keys written beside them. */
        KEYS_DO_NOT_MATCH
    }

    private final Problem problem;
    private final transient Path file;

    IdentityFileException(Problem problem, Path file, String message) {
        super(message);
        this.problem = problem;
        this.file = file;
    }

    public Problem problem() {
        return problem;
    }

    /** The identity file. */
    public Path file() {
        return file;
    }
}
