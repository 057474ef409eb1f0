package dev.chat.protocol;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every line a server sends, as a value. {@link #format()} writes the line and
 * {@link #parse(String)} reads it back; {@code docs/protocol.md} gives the same grammar.
 *
 * <pre>
 * line    = stamp " " body
 * stamp   = "[" HH ":" MM ":" SS "]"
 * body    = name ": " text                          ; Chat
 *         / "[PM] " name ": " text                  ; PrivateMessage (to you)
 *         / "[PM to " name "] " text                ; PrivateSent (your own, confirmed)
 *         / "*** " event                            ; events, fixed wording below
 *         / "--- " text                             ; Info: greeting, help, notices
 *         / "!!! " code ": " text                   ; Error, code from ErrorCode
 * event   = "Enter your name:"                      ; NamePrompt
 *         / "Welcome, " name "!"                    ; Welcome (you are registered)
 *         / name " joined"                          ; Joined
 *         / name " left (" reason ")"               ; Left
 *         / "Online (" count "): " [name *(", " name)]  ; Online
 *         / "Goodbye!"                              ; Goodbye (after /quit)
 *         / "Server is shutting down."              ; ShuttingDown
 * </pre>
 *
 * Names never contain blanks, colons or brackets, so the first characters of a body
 * tell its kind without ambiguity.
 */
public sealed interface ServerLine {

    /** The server's wall-clock time when the line was made, to the second. */
    LocalTime time();

    /** The body: the line without its stamp and terminator. */
    String body();

    /** The whole line without its terminator. */
    default String format() {
        return stamp(time()) + " " + body();
    }

    /** The whole line as bytes on the wire, terminator included. */
    default byte[] toWire() {
        return (format() + "\n").getBytes(Protocol.CHARSET);
    }

    /** Something a user said to everyone. */
    record Chat(LocalTime time, String from, String text) implements ServerLine {
        @Override
        public String body() {
            return from + ": " + text;
        }
    }

    /** A private message to the receiving user. */
    record PrivateMessage(LocalTime time, String from, String text) implements ServerLine {
        @Override
        public String body() {
            return "[PM] " + from + ": " + text;
        }
    }

    /** The confirmation, to its sender, of a private message delivered to {@code to}. */
    record PrivateSent(LocalTime time, String to, String text) implements ServerLine {
        @Override
        public String body() {
            return "[PM to " + to + "] " + text;
        }
    }

    /** The server waits for a name. */
    record NamePrompt(LocalTime time) implements ServerLine {
        @Override
        public String body() {
            return "*** Enter your name:";
        }
    }

    /** The receiving connection is registered as {@code name}. */
    record Welcome(LocalTime time, String name) implements ServerLine {
        @Override
        public String body() {
            return "*** Welcome, " + name + "!";
        }
    }

    /** A user came. */
    record Joined(LocalTime time, String name) implements ServerLine {
        @Override
        public String body() {
            return "*** " + name + " joined";
        }
    }

    /** A user went, and why (e.g. {@code quit}, {@code connection closed}). */
    record Left(LocalTime time, String name, String reason) implements ServerLine {
        @Override
        public String body() {
            return "*** " + name + " left (" + reason + ")";
        }
    }

    /** Who is online, in the server's order. */
    record Online(LocalTime time, List<String> names) implements ServerLine {
        public Online {
            names = List.copyOf(names);
        }

        @Override
        public String body() {
            return "*** Online (" + names.size() + "): " + String.join(", ", names);
        }
    }

    /** The answer to {@code /quit}; the server closes the connection after it. */
    record Goodbye(LocalTime time) implements ServerLine {
        @Override
        public String body() {
            return "*** Goodbye!";
        }
    }

    /** The server is stopping; the connection closes after this line. */
    record ShuttingDown(LocalTime time) implements ServerLine {
        @Override
        public String body() {
            return "*** Server is shutting down.";
        }
    }

    /** Text for people to read: the greeting, help, notices. */
    record Info(LocalTime time, String text) implements ServerLine {
        @Override
        public String body() {
            return "--- " + text;
        }
    }

    /** Something the client sent was refused. */
    record Error(LocalTime time, ErrorCode code, String text) implements ServerLine {
        @Override
        public String body() {
            return "!!! " + code.token() + ": " + text;
        }
    }

    /**
     * A line that does not follow the grammar (from a newer or a foreign server), kept
     * whole; {@code time} is null when the line has no stamp either.
     */
    record Unknown(LocalTime time, String raw) implements ServerLine {
        @Override
        public String body() {
            return raw;
        }

        @Override
        public String format() {
            return raw;
        }
    }

    /** Formats {@code time} as {@code [HH:MM:SS]}. */
    static String stamp(LocalTime time) {
        char[] s = {'[', '0', '0', ':', '0', '0', ':', '0', '0', ']'};
        putTwoDigits(s, 1, time.getHour());
        putTwoDigits(s, 4, time.getMinute());
        putTwoDigits(s, 7, time.getSecond());
        return new String(s);
    }

    private static void putTwoDigits(char[] s, int at, int value) {
        s[at] = (char) ('0' + value / 10);
        s[at + 1] = (char) ('0' + value % 10);
    }

    /** Reads a server line (without its terminator); never throws, never returns null. */
    static ServerLine parse(String line) {
        LocalTime time = parseStamp(line);
        if (time == null || line.length() < 12 || line.charAt(10) != ' ') {
            return new Unknown(null, line);
        }
        String body = line.substring(11);
        ServerLine parsed = parseBody(time, body);
        return parsed != null ? parsed : new Unknown(time, line);
    }

    private static LocalTime parseStamp(String line) {
        if (line.length() < 10 || line.charAt(0) != '[' || line.charAt(3) != ':'
                || line.charAt(6) != ':' || line.charAt(9) != ']') {
            return null;
        }
        int h = twoDigits(line, 1);
        int m = twoDigits(line, 4);
        int s = twoDigits(line, 7);
        if (h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) {
            return null;
        }
        return LocalTime.of(h, m, s);
    }

    private static int twoDigits(String s, int at) {
        char a = s.charAt(at);
        char b = s.charAt(at + 1);
        if (a < '0' || a > '9' || b < '0' || b > '9') {
            return -1;
        }
        return (a - '0') * 10 + (b - '0');
    }

    private static ServerLine parseBody(LocalTime time, String body) {
        if (body.startsWith("*** ")) {
            return parseEvent(time, body.substring(4));
        }
        if (body.startsWith("--- ")) {
            return new Info(time, body.substring(4));
        }
        if (body.startsWith("!!! ")) {
            int colon = body.indexOf(": ", 4);
            if (colon < 0) {
                return null;
            }
            return new Error(time, ErrorCode.fromToken(body.substring(4, colon)), body.substring(colon + 2));
        }
        if (body.startsWith("[PM] ")) {
            int colon = nameEnd(body, 5);
            if (colon < 0 || !body.startsWith(": ", colon)) {
                return null;
            }
            return new PrivateMessage(time, body.substring(5, colon), body.substring(colon + 2));
        }
        if (body.startsWith("[PM to ")) {
            int close = nameEnd(body, 7);
            if (close < 0 || !body.startsWith("] ", close)) {
                return null;
            }
            return new PrivateSent(time, body.substring(7, close), body.substring(close + 2));
        }
        int colon = nameEnd(body, 0);
        if (colon < 0 || !body.startsWith(": ", colon)) {
            return null;
        }
        return new Chat(time, body.substring(0, colon), body.substring(colon + 2));
    }

    private static ServerLine parseEvent(LocalTime time, String event) {
        switch (event) {
            case "Enter your name:" -> {
                return new NamePrompt(time);
            }
            case "Goodbye!" -> {
                return new Goodbye(time);
            }
            case "Server is shutting down." -> {
                return new ShuttingDown(time);
            }
            default -> {
                // Fall through to the events that carry names.
            }
        }
        if (event.startsWith("Welcome, ") && event.endsWith("!")) {
            String name = event.substring(9, event.length() - 1);
            return NameRules.isValid(name) ? new Welcome(time, name) : null;
        }
        if (event.startsWith("Online (")) {
            return parseOnline(time, event);
        }
        int end = nameEnd(event, 0);
        if (end < 0) {
            return null;
        }
        String name = event.substring(0, end);
        String rest = event.substring(end);
        if (rest.equals(" joined")) {
            return new Joined(time, name);
        }
        if (rest.startsWith(" left (") && rest.endsWith(")")) {
            return new Left(time, name, rest.substring(7, rest.length() - 1));
        }
        return null;
    }

    private static ServerLine parseOnline(LocalTime time, String event) {
        int close = event.indexOf("): ");
        if (close < 0) {
            return null;
        }
        int count;
        try {
            count = Integer.parseInt(event.substring(8, close));
        } catch (NumberFormatException e) {
            return null;
        }
        String list = event.substring(close + 3);
        List<String> names = list.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(list.split(", ", -1)));
        if (names.size() != count || !names.stream().allMatch(NameRules::isValid)) {
            return null;
        }
        return new Online(time, names);
    }

    /** The index after a valid name that starts at {@code from}, or -1 when none starts there. */
    private static int nameEnd(String s, int from) {
        int i = from;
        while (i < s.length() && NameRules.isNameChar(s.charAt(i))) {
            i++;
        }
        int length = i - from;
        return length >= 1 && length <= NameRules.MAX_LENGTH ? i : -1;
    }
}
