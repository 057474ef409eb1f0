package dev.chat.client;

/** How a server answered its password ({@code /pass}). */
public sealed interface Authentication {

    /** The password is right; the server now asks for a name. */
    record Accepted() implements Authentication {
    }

    /** The server asked for a name straight away: it has no password, and none was sent. */
    record NotNeeded() implements Authentication {
    }

    /**
     * The password is wrong; the server closes the connection. {@code message} is the
     * server's explanation, which never repeats the password.
     */
    record Wrong(String message) implements Authentication {
    }

    /** The connection ended before an answer came. */
    record Lost() implements Authentication {
    }
}
