package dev.chat.protocol;

import java.util.Locale;

/** The rules a room name follows: {@code #} and 1 to 30 ASCII letters, digits, '_', '-' or '.', ignoring case. */
public final class RoomNames {

    /** The longest room name, in characters after the {@code #}. */
    public static final int MAX_LENGTH = 30;

    /** The room everyone is in after registering, unless the server is told otherwise. */
    public static final String DEFAULT_ROOM = "#lobby";

    private RoomNames() {
    }

    /** Whether {@code room} is a valid room name. */
    public static boolean isValid(String room) {
        return room.length() >= 2 && room.length() <= MAX_LENGTH + 1 && room.charAt(0) == '#'
                && room.chars().skip(1).allMatch(c -> NameRules.isNameChar((char) c));
    }

    /** Why {@code room} is not a valid name, in words for users. */
    public static String explanation() {
        return "a room name is # and 1 to " + MAX_LENGTH + " letters, digits, '_', '-' or '.'";
    }

    /** The form under which room names are compared: two names are the same room when their keys are equal. */
    public static String key(String room) {
        return room.toLowerCase(Locale.ROOT);
    }

    /** The index after a valid room name that starts at {@code from} in {@code s}, or -1. */
    static int end(String s, int from) {
        if (from >= s.length() || s.charAt(from) != '#') {
            return -1;
        }
        int i = from + 1;
        while (i < s.length() && NameRules.isNameChar(s.charAt(i))) {
            i++;
        }
        int length = i - from - 1;
        return length >= 1 && length <= MAX_LENGTH ? i : -1;
    }
}
