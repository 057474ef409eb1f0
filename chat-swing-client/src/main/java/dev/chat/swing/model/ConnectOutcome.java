package dev.chat.swing.model;

import dev.chat.client.ConnectFailedException;

/** How a connect request from the user ended; every message is in plain words for the user. */
public sealed interface ConnectOutcome {

    /** Connected, with TLS if {@code tls}, and registered as {@code name}. */
    record Connected(String host, int port, boolean tls, String name) implements ConnectOutcome {
    }

    /** The server needs a password and none was given, or it refused the one given; only the password needs changing. */
    record PasswordRefused(String message) implements ConnectOutcome {
    }

    /**
     * The server's TLS certificate is not trusted: the user declined it ({@code NOT_TRUSTED}),
     * it changed since the user trusted it ({@code CERTIFICATE_CHANGED}), or the known-servers
     * file could not be used ({@code KNOWN_SERVERS}). Nothing was sent to the server.
     */
    record Untrusted(ConnectFailedException.Reason reason, String message) implements ConnectOutcome {
    }

    /** No connection could be made, or it broke before the name was accepted. */
    record Unreachable(String message) implements ConnectOutcome {
    }

    /** The server refused the name; only the name needs changing. */
    record NameRefused(Reason reason, String message) implements ConnectOutcome {
    }

    /** Why a name was refused. */
    enum Reason {
        /** Someone else uses it. */
        TAKEN,
        /** It breaks the name rules. */
        INVALID
    }
}
