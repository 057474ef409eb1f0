package dev.chat.client;

import dev.chat.protocol.RoomNames;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rooms a user is in, as one value: which ones, which is current (where plain lines go),
 * the server's default room, and who is in each. Immutable; {@link ChatClient#rooms()} gives the
 * latest.
 *
 * @param defaultRoom the server's default room, whose lines carry no room name
 * @param joined      the rooms the user is in, in the order joined (the server's order)
 * @param current     the room plain lines go to, or null when the user is in none
 * @param members     who is in each joined room, by {@link RoomNames#key(String)}
 * @param listed      the rooms the last {@code /rooms} answer named, sorted
 */
public record Rooms(String defaultRoom, List<String> joined, String current, Map<String, Members> members,
        List<String> listed) {

    /** Before any sign-on: in no room, the default room as the protocol names it unless told. */
    public static final Rooms NONE = new Rooms(RoomNames.DEFAULT_ROOM, List.of(), null, Map.of(), List.of());

    public Rooms {
        joined = List.copyOf(joined);
        members = Map.copyOf(members);
        listed = List.copyOf(listed);
    }

    /** Whether the user is in {@code room}, ignoring case. */
    public boolean isIn(String room) {
        return members.containsKey(RoomNames.key(room));
    }

    /** Whether {@code room} is the server's default room, ignoring case. */
    public boolean isDefault(String room) {
        return same(room, defaultRoom);
    }

    /** Whether {@code room} is the current room. */
    public boolean isCurrent(String room) {
        return same(room, current);
    }

    /** Who is in {@code room}; {@link Members#NONE} for a room the user is not in. */
    public Members membersOf(String room) {
        return members.getOrDefault(RoomNames.key(room), Members.NONE);
    }

    /** The rooms the user is in and those the last {@code /rooms} listed, without repeats, sorted ignoring case. */
    public List<String> known() {
        Map<String, String> all = new TreeMap<>();
        listed.forEach(room -> all.put(RoomNames.key(room), room));
        joined.forEach(room -> all.put(RoomNames.key(room), room));
        return List.copyOf(all.values());
    }

    /** Whether two room names (either may be null) name the same room. */
    public static boolean same(String a, String b) {
        return a == null ? b == null : b != null && RoomNames.key(a).equals(RoomNames.key(b));
    }
}
