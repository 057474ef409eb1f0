package dev.chat.client;

import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who is online, kept current from the server's lines: an {@code Online} list replaces it,
 * {@code Joined} and {@code Left} change it, {@code Welcome} adds you, {@code NickChanged}
 * renames. Only lines without a room name count, i.e. those of the server's default room (and
 * untagged {@code /who} answers); lines of other rooms ({@code InRoom}) are ignored. Thread-safe.
 */
public final class OnlineUsers {

    /** Name key to name as the server spells it; guarded by {@code this}. */
    private final Map<String, String> byKey = new TreeMap<>();

    /**
     * Applies one server line.
     *
     * @return whether the set of names changed
     */
    public synchronized boolean apply(ServerLine line) {
        switch (line) {
            case ServerLine.Online online -> {
                Map<String, String> before = new TreeMap<>(byKey);
                byKey.clear();
                online.names().forEach(name -> byKey.put(NameRules.key(name), name));
                return !before.equals(byKey);
            }
            case ServerLine.Welcome welcome -> {
                return byKey.put(NameRules.key(welcome.name()), welcome.name()) == null;
            }
            case ServerLine.Joined joined -> {
                return byKey.put(NameRules.key(joined.name()), joined.name()) == null;
            }
            case ServerLine.Left left -> {
                return byKey.remove(NameRules.key(left.name())) != null;
            }
            case ServerLine.NickChanged changed -> {
                // Told to everyone who shares any room with the user: rename only someone known here.
                if (byKey.remove(NameRules.key(changed.from())) == null) {
                    return false;
                }
                byKey.put(NameRules.key(changed.to()), changed.to());
                return true;
            }
            case ServerLine.InRoom _ -> {
                // Another room's members are not the default room's.
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** The names, sorted ignoring case. */
    public synchronized List<String> names() {
        List<String> names = new ArrayList<>(byKey.values());
        names.sort(Comparator.comparing(NameRules::key));
        return names;
    }

    /** Whether {@code name} is online, ignoring case. */
    public synchronized boolean contains(String name) {
        return byKey.containsKey(NameRules.key(name));
    }

    /** Forgets everyone, e.g. when the connection is lost. */
    public synchronized void clear() {
        byKey.clear();
    }
}
