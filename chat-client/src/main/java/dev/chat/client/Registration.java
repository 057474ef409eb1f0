package dev.chat.client;

import dev.chat.protocol.ErrorCode;

/** How a server answered a name. */
public sealed interface Registration {

    /** Registered under {@code name}, as the server spells it. */
    record Accepted(String name) implements Registration {
    }

    /**
     * The name was refused ({@link ErrorCode#NAME_TAKEN} or {@link ErrorCode#NAME_INVALID});
     * the connection stays open for another try. {@code message} is the server's explanation.
     * Also the answer when the server wants its password first
     * ({@link ErrorCode#PASSWORD_REQUIRED}: see {@link ChatClient#authenticate}) or a password
     * sent with {@code /pass} was wrong ({@link ErrorCode#PASSWORD_WRONG}; the server closes
     * the connection).
     */
    record Refused(ErrorCode code, String message) implements Registration {
    }

    /** The connection ended before an answer came. */
    record Lost() implements Registration {
    }
}
