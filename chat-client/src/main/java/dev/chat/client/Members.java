package dev.chat.client;

import dev.chat.protocol.NameRules;
import java.util.List;

/**
 * Who is in a room, as a client knows it: the names it has heard of, sorted ignoring case,
 * and how many members the room has in all. The two agree while the server announces every
 * join and leave; for a large room, which it does not, only the count is known, and names are
 * found by asking the server ({@link ChatClient#searchNames}).
 *
 * @param names the members' names as the server spells them, sorted ignoring case
 * @param total how many members the room has
 */
public record Members(List<String> names, int total) {

    /** Nobody: a room the client is not in, or one whose list has not come yet. */
    public static final Members NONE = new Members(List.of(), 0);

    public Members {
        names = List.copyOf(names);
    }

    /** Whether the room is large: only how many members it has is known, not their names. */
    public boolean large() {
        return !complete();
    }

    /** Whether every member is named. */
    public boolean complete() {
        return names.size() == total;
    }

    /** Whether {@code name} is among the names, ignoring case. */
    public boolean contains(String name) {
        String key = NameRules.key(name);
        return names.stream().anyMatch(n -> NameRules.key(n).equals(key));
    }
}
