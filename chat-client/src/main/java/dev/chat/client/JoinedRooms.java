package dev.chat.client;

import dev.chat.protocol.ClientLine;
import dev.chat.protocol.Command;
import dev.chat.protocol.RoomNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The rooms the user is in, which of them plain lines go to, and who is in each, kept the way
 * the server keeps them; also the rooms the last {@code /rooms} answer named. Not thread-safe:
 * a {@link ChatClient} touches it on its events thread only and hands out {@link #snapshot()}s.
 */
final class JoinedRooms {

    /** A room the user is in. */
    private record Joined(String name, MemberList members) {
    }

    /** The server's default room: the protocol's unless the server named another at sign-on. */
    private String defaultRoom = RoomNames.DEFAULT_ROOM;
    /** Room key to room, in the order joined (the last joined is last). */
    private final Map<String, Joined> joined = new LinkedHashMap<>();
    /** Room key to name, from the last {@code /rooms} answer. */
    private final Map<String, String> listed = new TreeMap<>();
    /** The room plain lines go to, or null when in none. */
    private String current;
    private Rooms snapshot = Rooms.NONE;

    /** Registered (again): the server puts everyone in its default room, and only there. */
    void signedOn(String me) {
        joined.clear();
        enter(defaultRoom);
        memberJoined(defaultRoom, me);
        changed();
    }

    /** The server named its default room; returns whether that changed anything. */
    boolean nameDefault(String room) {
        if (room.equals(defaultRoom)) {
            return false;
        }
        String oldKey = RoomNames.key(defaultRoom);
        Joined was = joined.get(oldKey);
        if (was != null) {
            // Renamed in place, keeping the order and who is in it.
            Map<String, Joined> renamed = new LinkedHashMap<>();
            joined.forEach((key, value) -> {
                if (key.equals(oldKey)) {
                    renamed.put(RoomNames.key(room), new Joined(room, value.members()));
                } else {
                    renamed.put(key, value);
                }
            });
            joined.clear();
            joined.putAll(renamed);
        }
        if (Rooms.same(current, defaultRoom)) {
            current = room;
        }
        defaultRoom = room;
        changed();
        return true;
    }

    String defaultRoom() {
        return defaultRoom;
    }

    /** The user joined {@code room} (again): it moves to the end, as the server orders rooms, and becomes current. */
    void entered(String room) {
        enter(room);
        changed();
    }

    private void enter(String room) {
        String key = RoomNames.key(room);
        Joined was = joined.remove(key);
        joined.put(key, was != null ? was : new Joined(room, new MemberList()));
        current = room;
    }

    /** The user left {@code room}; as the server does, the room joined last of those left becomes current. */
    void left(String room) {
        joined.remove(RoomNames.key(room));
        if (Rooms.same(current, room)) {
            current = joined.isEmpty() ? null : joined.values().stream().reduce((a, b) -> b).orElseThrow().name();
        }
        changed();
    }

    /** The connection is gone: on the server the user is in no room now. */
    void lost() {
        joined.clear();
        current = null;
        changed();
    }

    /**
     * Takes {@code names} as everyone in {@code room}. Returns whether the list changed (false
     * also for a room the user is not in).
     */
    boolean replaceMembers(String room, List<String> names) {
        return changed(room, list -> list.replace(names));
    }

    /** {@code room} is large and has {@code count} members; returns whether that changed anything. */
    boolean countMembers(String room, int count) {
        return changed(room, list -> list.count(count));
    }

    /** Whether {@code room} is one of the user's rooms and large: only its count is known. */
    boolean isLarge(String room) {
        Joined found = joined.get(RoomNames.key(room));
        return found != null && found.members().isLarge();
    }

    boolean memberJoined(String room, String name) {
        return changed(room, list -> list.add(name));
    }

    boolean memberLeft(String room, String name) {
        return changed(room, list -> list.remove(name));
    }

    /** Someone took a new name: renamed in every room they are in, which are returned. */
    List<String> renamed(String from, String to) {
        List<String> rooms = new ArrayList<>();
        for (Joined room : joined.values()) {
            if (room.members().rename(from, to)) {
                rooms.add(room.name());
            }
        }
        if (!rooms.isEmpty()) {
            changed();
        }
        return rooms;
    }

    /** Who is in {@code room}; {@link Members#NONE} for a room the user is not in. */
    Members members(String room) {
        Joined found = joined.get(RoomNames.key(room));
        return found == null ? Members.NONE : found.members().members();
    }

    /** Whether {@code name} is in any of the user's rooms. */
    boolean anyRoomHas(String name) {
        return joined.values().stream().anyMatch(room -> room.members().contains(name));
    }

    private boolean changed(String room, Predicate<MemberList> change) {
        Joined found = joined.get(RoomNames.key(room));
        if (found == null || !change.test(found.members())) {
            return false;
        }
        changed();
        return true;
    }

    boolean isIn(String room) {
        return joined.containsKey(RoomNames.key(room));
    }

    /** A {@code /rooms} answer starts. */
    void listingStarted() {
        listed.clear();
        changed();
    }

    void listed(String room) {
        listed.put(RoomNames.key(room), room);
        changed();
    }

    /**
     * Takes into account a line the user sends: {@code /join} of a room the user is already in
     * makes it current, which the server confirms only in words. Returns whether the current
     * room changed.
     */
    boolean sent(String typed) {
        String before = current;
        String target = joinTarget(typed);
        if (target == null && ClientLine.parse(typed) instanceof ClientLine.Invocation invocation
                && Command.byWord(invocation.word()).orElse(null) == Command.IN) {
            List<String> arguments = invocation.arguments(Command.IN.minArguments(), Command.IN.arguments());
            String inner = arguments == null ? null : joinTarget(arguments.get(1));
            // "/in #a /join #b" ends in #b; "/in #a /join #a" goes back to where the user was.
            if (inner != null && isIn(arguments.get(0)) && !Rooms.same(inner, arguments.get(0))) {
                target = inner;
            }
        }
        if (target != null && isIn(target)) {
            current = joined.get(RoomNames.key(target)).name();
        }
        if (Rooms.same(before, current)) {
            return false;
        }
        changed();
        return true;
    }

    /** The room a {@code /join} line names, or null when the line is not a valid one. */
    private static String joinTarget(String typed) {
        if (ClientLine.parse(typed) instanceof ClientLine.Invocation invocation
                && Command.byWord(invocation.word()).orElse(null) == Command.JOIN) {
            List<String> arguments = invocation.arguments(Command.JOIN.minArguments(), Command.JOIN.arguments());
            if (arguments != null && RoomNames.isValid(arguments.getFirst())) {
                return arguments.getFirst();
            }
        }
        return null;
    }

    /** What to join again after a reconnection to be where the user is now. */
    Rejoin rejoin() {
        List<String> others = new ArrayList<>();
        joined.values().forEach(room -> {
            if (!Rooms.same(room.name(), defaultRoom)) {
                others.add(room.name());
            }
        });
        return new Rejoin(isIn(defaultRoom), others, current);
    }

    Rooms snapshot() {
        if (snapshot == null) {
            Map<String, Members> members = new LinkedHashMap<>();
            joined.forEach((key, room) -> members.put(key, room.members().members()));
            snapshot = new Rooms(defaultRoom, joined.values().stream().map(Joined::name).toList(), current, members,
                    List.copyOf(listed.values()));
        }
        return snapshot;
    }

    /** Something a snapshot shows changed. */
    private void changed() {
        snapshot = null;
    }

    /**
     * The rooms to restore on a fresh registration (which is in the default room only), and the
     * current one, as they were when the connection was lost.
     *
     * @param inDefault whether the user was in the default room
     * @param others    the other rooms, in the order joined
     * @param current   the current room then, or null
     */
    record Rejoin(boolean inDefault, List<String> others, String current) {

        /** Nothing to restore: the user was in the default room only, and it was current. */
        static final Rejoin NONE = new Rejoin(true, List.of(), null);

        /** The same without {@code room}, which the user left while disconnected. */
        Rejoin without(String room, String defaultRoom) {
            return new Rejoin(inDefault && !Rooms.same(room, defaultRoom),
                    others.stream().filter(other -> !Rooms.same(other, room)).toList(),
                    Rooms.same(current, room) ? null : current);
        }

        /** The lines that bring a fresh registration back here, the current room joined last so that it is current again. */
        List<String> lines(String defaultRoom) {
            List<String> lines = new ArrayList<>();
            if (!inDefault) {
                lines.add("/" + Command.PART.word() + " " + defaultRoom);
            }
            for (String room : others) {
                if (!Rooms.same(room, current)) {
                    lines.add("/" + Command.JOIN.word() + " " + room);
                }
            }
            if (current != null && (!Rooms.same(current, defaultRoom) || !others.isEmpty())) {
                // For the default room: switched back to, as /join of a room one is in does.
                lines.add("/" + Command.JOIN.word() + " " + current);
            }
            return lines;
        }

        /** The rooms that the lines join. */
        List<String> rooms() {
            return others;
        }
    }
}
