package dev.chat.client;

import dev.chat.protocol.NameRules;
import java.util.List;
import java.util.TreeMap;

/**
 * Who is in one room, kept current from the room's lines: its {@code Online} list replaces
 * it, {@code joined} and {@code left} change it, a nick change renames. Not thread-safe: a
 * {@link ChatClient} touches it on its events thread only.
 */
final class MemberList {

    /** Name key to name as the server spells it; sorted by key, which is the order names are shown in. */
    private final TreeMap<String, String> byKey = new TreeMap<>();
    /** The value last handed out, or null when something changed since. */
    private Members members = Members.NONE;

    /** Takes {@code names} as the whole list. Returns whether anything changed. */
    boolean replace(List<String> names) {
        TreeMap<String, String> before = new TreeMap<>(byKey);
        byKey.clear();
        names.forEach(name -> byKey.put(NameRules.key(name), name));
        return changed(!before.equals(byKey));
    }

    boolean add(String name) {
        return changed(!name.equals(byKey.put(NameRules.key(name), name)));
    }

    boolean remove(String name) {
        return changed(byKey.remove(NameRules.key(name)) != null);
    }

    /** Renames {@code from} to {@code to} if {@code from} is here. Returns whether it was. */
    boolean rename(String from, String to) {
        if (byKey.remove(NameRules.key(from)) == null) {
            return false;
        }
        byKey.put(NameRules.key(to), to);
        return changed(true);
    }

    boolean clear() {
        boolean had = !byKey.isEmpty();
        byKey.clear();
        return changed(had);
    }

    boolean contains(String name) {
        return byKey.containsKey(NameRules.key(name));
    }

    /** The list as a value. */
    Members members() {
        if (members == null) {
            members = new Members(List.copyOf(byKey.values()), byKey.size());
        }
        return members;
    }

    private boolean changed(boolean changed) {
        if (changed) {
            members = null;
        }
        return changed;
    }
}
