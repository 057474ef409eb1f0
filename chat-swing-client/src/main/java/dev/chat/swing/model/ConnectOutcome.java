package dev.chat.swing.model;

/** How a connect request from the user ended; every message is in plain words for the user. */
public sealed interface ConnectOutcome {

    /** Connected and registered as {@code name}. */
    record Connected(String host, int port, String name) implements ConnectOutcome {
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
