package dev.chat.swing;

import dev.chat.protocol.Protocol;
import java.util.prefs.Preferences;

/** What the desktop client remembers between runs: the last connection (never its password) and the theme. */
final class ClientPrefs {

    private static final String HOST = "host";
    private static final String PORT = "port";
    private static final String TLS = "tls";
    private static final String NAME = "name";
    private static final String THEME = "theme";

    private final Preferences node;

    ClientPrefs(Preferences node) {
        this.node = node;
    }

    /** The current user's preferences for this client. */
    static ClientPrefs forUser() {
        return new ClientPrefs(Preferences.userRoot().node("dev/chat/swing-client"));
    }

    String host() {
        return node.get(HOST, "localhost");
    }

    int port() {
        return node.getInt(PORT, Protocol.DEFAULT_PORT);
    }

    boolean tls() {
        return node.getBoolean(TLS, false);
    }

    String name() {
        return node.get(NAME, "");
    }

    Theme theme() {
        return Theme.fromName(node.get(THEME, Theme.SYSTEM.name()));
    }

    /** Remembers a connection that worked, for the next connect dialog. */
    void saveConnection(String host, int port, boolean tls, String name) {
        node.put(HOST, host);
        node.putInt(PORT, port);
        node.putBoolean(TLS, tls);
        node.put(NAME, name);
    }

    void saveTheme(Theme theme) {
        node.put(THEME, theme.name());
    }
}
