package dev.chat.console;

import dev.chat.protocol.ClientLine;
import dev.chat.protocol.Command;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.RoomNames;
import dev.chat.protocol.ServerLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The rooms the user is in and which of them plain lines go to, kept current from the
 * server's lines about the user (joined, left) the way the server keeps it; also the rooms
 * seen in the last {@code /rooms} answer, for completion. Thread-safe.
 *
 * <p>The server's default room has no name on the wire; this client calls it
 * {@link RoomNames#DEFAULT_ROOM}.
 */
final class JoinedRooms {

    /** What the client calls the server's default room, whose lines carry no room name. */
    static final String DEFAULT_ROOM = RoomNames.DEFAULT_ROOM;

    /** Room key to room name, in the order joined (the last joined is last); guarded by {@code this}. */
    private final Map<String, String> joined = new LinkedHashMap<>();
    /** Room key to name from the last {@code /rooms} answer; guarded by {@code this}. */
    private final Map<String, String> listed = new TreeMap<>();
    /** The room plain lines go to, or null when in none; guarded by {@code this}. */
    private String current;

    /**
     * Applies one server line as received by the user called {@code me}.
     *
     * @return whether the current room changed
     */
    synchronized boolean apply(ServerLine line, String me) {
        String before = current;
        switch (line) {
            case ServerLine.Welcome welcome -> {
                // Registered (again): the server puts everyone in its default room, and only there.
                joined.clear();
                joined.put(RoomNames.key(DEFAULT_ROOM), DEFAULT_ROOM);
                current = DEFAULT_ROOM;
            }
            case ServerLine.RoomList list -> listed.clear();
            case ServerLine.RoomEntry entry -> listed.put(RoomNames.key(entry.room()), entry.room());
            case ServerLine.InRoom(String room, ServerLine inner) -> applyInRoom(room, inner, me);
            default -> applyInRoom(DEFAULT_ROOM, line, me);
        }
        return !sameRoom(before, current);
    }

    private void applyInRoom(String room, ServerLine line, String me) {
        if (me == null) {
            return;
        }
        String key = RoomNames.key(room);
        if (line instanceof ServerLine.Joined joinedLine && isMe(joinedLine.name(), me)) {
            // A room joined again moves to the end, as the server orders them.
            joined.remove(key);
            joined.put(key, room);
            current = room;
        } else if (line instanceof ServerLine.Left left && isMe(left.name(), me)) {
            joined.remove(key);
            if (sameRoom(current, room)) {
                // As the server does: the room joined last of those left becomes current.
                current = joined.isEmpty() ? null : joined.values().toArray(String[]::new)[joined.size() - 1];
            }
        }
    }

    /**
     * Takes into account a line the user sends: {@code /join} of a room the user is already in
     * makes it current, which the server confirms only in words.
     */
    synchronized boolean sent(String typed) {
        String before = current;
        String target = joinTarget(typed);
        if (target == null && ClientLine.parse(typed) instanceof ClientLine.Invocation invocation
                && Command.byWord(invocation.word()).orElse(null) == Command.IN) {
            List<String> arguments = invocation.arguments(Command.IN.minArguments(), Command.IN.arguments());
            String inner = arguments == null ? null : joinTarget(arguments.get(1));
            // "/in #a /join #b" ends in #b; "/in #a /join #a" goes back to where the user was.
            if (inner != null && joined.containsKey(RoomNames.key(arguments.get(0)))
                    && !sameRoom(inner, arguments.get(0))) {
                target = inner;
            }
        }
        if (target != null && joined.containsKey(RoomNames.key(target))) {
            current = joined.get(RoomNames.key(target));
        }
        return !sameRoom(before, current);
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

    /** The room plain lines go to, or null when the user is in none. */
    synchronized String current() {
        return current;
    }

    /** The rooms the user is in, in the order joined. */
    synchronized List<String> joined() {
        return List.copyOf(joined.values());
    }

    /** The rooms the user is in and those of the last {@code /rooms} answer, without repeats, sorted. */
    synchronized List<String> known() {
        Map<String, String> all = new TreeMap<>(listed);
        all.putAll(joined);
        return List.copyOf(all.values());
    }

    /**
     * The lines that bring a fresh registration (in the default room only) back to these rooms,
     * with the same current room; empty when there is nothing to restore.
     */
    synchronized List<String> rejoinLines() {
        List<String> lines = new ArrayList<>();
        String defaultKey = RoomNames.key(DEFAULT_ROOM);
        if (!joined.containsKey(defaultKey)) {
            lines.add("/" + Command.PART.word());
        }
        for (String room : joined.values()) {
            if (!RoomNames.key(room).equals(defaultKey) && !sameRoom(room, current)) {
                lines.add("/" + Command.JOIN.word() + " " + room);
            }
        }
        if (current != null && (!RoomNames.key(current).equals(defaultKey) || joined.size() > 1)) {
            // Joined last, the current room is current again (for the default room: switched back to).
            lines.add("/" + Command.JOIN.word() + " " + current);
        }
        return lines;
    }

    /**
     * The room {@code line} belongs to: its room name, {@link #DEFAULT_ROOM} for the kinds of
     * line that the default room sends without a name, or null for lines of no room
     * (private messages, notices, nick changes, {@code /who} answers).
     */
    static String roomOf(ServerLine line) {
        ServerLine said = line instanceof ServerLine.History history ? history.line() : line;
        return switch (said) {
            case ServerLine.InRoom inRoom -> inRoom.room();
            case ServerLine.Chat _, ServerLine.Action _, ServerLine.Joined _, ServerLine.Left _, ServerLine.Topic _,
                 ServerLine.TopicChanged _ -> DEFAULT_ROOM;
            default -> null;
        };
    }

    static boolean sameRoom(String a, String b) {
        return a == null ? b == null : b != null && RoomNames.key(a).equals(RoomNames.key(b));
    }

    private static boolean isMe(String name, String me) {
        return NameRules.key(name).equals(NameRules.key(me));
    }
}
