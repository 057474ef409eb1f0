package dev.chat.swing.model;

/** Where the connection to the server stands, as the status bar shows it. */
public sealed interface ConnectionState {

    /** Not connected and not trying. */
    record Disconnected() implements ConnectionState {
    }

    /** An attempt to connect and register is under way. */
    record Connecting(String host, int port) implements ConnectionState {
    }

    /** Registered as {@code name} on {@code host:port}. */
    record Connected(String host, int port, String name) implements ConnectionState {
    }

    /** The connection was lost; the next attempt starts in {@code seconds}. */
    record Reconnecting(String host, int port, long seconds) implements ConnectionState {
    }
}
