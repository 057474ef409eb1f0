package dev.chat.client;

import dev.chat.protocol.NameRules;
import java.util.List;
import java.util.TreeMap;

/**
 * Who is in one room, kept current from the room's lines: its {@code Online} list replaces
 * it, {@code joined} and {@code left} change it, a nick change renames. A large room's count
 * ({@code People}) replaces it with that count and no names, until the next whole list. Not
 * thread-safe: a {@link ChatClient} touches it on its events thread only.
 */
final class MemberList {

    /** Name key to name as the server spells it; sorted by key, which is the order names are shown in. */
    private final TreeMap<String, String> byKey = new TreeMap<>();
    /** How many members a large room has, or -1 while every member is in {@link #byKey}. */
    private int largeCount = -1;
    /** The value last handed out, or null when something changed since. */
    private Members members = Members.NONE;

    /** Takes {@code names} as the whole list. Returns whether anything changed. */
    boolean replace(List<String> names) {
        TreeMap<String, String> before = new TreeMap<>(byKey);
        boolean wasLarge = isLarge();
        byKey.clear();
        largeCount = -1;
        names.forEach(name -> byKey.put(NameRules.key(name), name));
        return changed(wasLarge || !before.equals(byKey));
    }

    /** The room is large and has {@code count} members, whose names are not told. Returns whether anything changed. */
    boolean count(int count) {
        boolean changed = count != largeCount || !byKey.isEmpty();
        byKey.clear();
        largeCount = count;
        return changed(changed);
    }

    /** Whether the room is large: only its count is known. */
    boolean isLarge() {
        return largeCount >= 0;
    }

    boolean add(String name) {
        if (isLarge()) {
            return false;
        }
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
        boolean had = !byKey.isEmpty() || isLarge();
        byKey.clear();
        largeCount = -1;
        return changed(had);
    }

    boolean contains(String name) {
        return byKey.containsKey(NameRules.key(name));
    }

    /** The list as a value. */
    Members members() {
        if (members == null) {
            members = new Members(List.copyOf(byKey.values()), isLarge() ? largeCount : byKey.size());
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
