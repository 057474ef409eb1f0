package dev.chat.protocol;

import dev.chat.protocol.identity.KeyChallenge;
import dev.chat.protocol.identity.KeyToken;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every line a server sends, as a value. {@link #format()} writes the line and
 * {@link #parse(String)} reads it back; {@code docs/protocol.md} gives the same grammar.
 *
 * <pre>
 * line    = stamp " " [room " "] body               ; InRoom when a room is named
 *         / long-stamp " [history] " [room " "] body  ; History: said before you came
 * stamp   = "[" HH ":" MM ":" SS "]"
 * long-stamp = "[" YYYY "-" MM "-" DD " " HH ":" MM ":" SS "]"
 * room    = "#" 1*30 name-char                      ; lines of the default room name none
 * body    = name ": " text                          ; Chat
 *         / "* " name " " text                      ; Action (/me)
 *         / "[PM] " name ": " text                  ; PrivateMessage (to you)
 *         / "[PM to " name "] " text                ; PrivateSent (your own, confirmed)
 *         / "*** " event                            ; events, fixed wording below
 *         / "--- " text                             ; Info: greeting, help, notices
 *         / "!!! " code ": " text                   ; Error, code from ErrorCode
 * event   = "Enter your name:"                      ; NamePrompt
 *         / "This server needs a password: send /pass PASSWORD"  ; PasswordPrompt
 *         / "Welcome, " name "!"                    ; Welcome (you are registered)
 *         / "Default room: " room                   ; DefaultRoom (right after Welcome)
 *         / name " joined"                          ; Joined
 *         / name " left (" reason ")"               ; Left
 *         / "Online (" count "): " [name *(", " name)]  ; Online
 *         / "Online: " count " people " ("in " room / "on the server")  ; People (a large room)
 *         / "Names page " count " of " count ", " count " total" [" starting with " name] ": "
 *               [name *(", " name)]                 ; NamePage (/who with a page or a prefix)
 *         / name " is now known as " name           ; NickChanged
 *         / "Topic: " text / "No topic"             ; Topic
 *         / name " set the topic: " text / name " cleared the topic"  ; TopicChanged
 *         / name " is away: " text                  ; Away
 *         / "Rooms (" count "):"                    ; RoomList, then count RoomEntry lines
 *         / "Room " room " (" count ")" [": " text] ; RoomEntry
 *         / "Announcement from " name ": " text      ; Wall (from an operator)
 *         / "Goodbye!"                              ; Goodbye (after /quit)
 *         / "Server is shutting down."              ; ShuttingDown
 *         / "Key challenge: " 43base64url           ; Challenge (servers that register names)
 *         / "Registered " name " to key " fingerprint  ; Registered
 *         / "Published key " fingerprint " for " name  ; Published
 *         / name " is no longer registered"         ; Unregistered
 *         / "Key of " name ": " key-token           ; KeyOf
 *         / name " has no key"                      ; NoKey
 *         / name " offers a direct connection"      ; DirectOffer (to the one asked)
 *         / "Direct connection offered to " name    ; DirectOffered (to the one asking)
 *         / name " declined the direct connection"  ; DirectDeclined
 *         / "Direct connection with " name ": connect to " address " port " port  ; DirectConnect
 *         / "Direct connection with " name " from " address ": listen on port " port  ; DirectListen
 * key-token   = "chatkey1:" 86base64url
 * fingerprint = 31(2HEXDIG ":") 2HEXDIG             ; upper case
 * address = 1*61(ALPHA / DIGIT / "." / ":" / "%")  ; an IP address, as the server saw it
 * port    = 1*5DIGIT                                ; 1 to 65535
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

    /** What a user does, said with {@code /me}: {@code * alice waves}. */
    record Action(LocalTime time, String name, String text) implements ServerLine {
        @Override
        public String body() {
            return "* " + name + " " + text;
        }
    }

    /** A line that belongs to a room other than the server's default room. */
    record InRoom(String room, ServerLine line) implements ServerLine {
        @Override
        public LocalTime time() {
            return line.time();
        }

        @Override
        public String body() {
            return room + " " + line.body();
        }
    }

    /**
     * A line said before the receiver joined the room, replayed on joining, with the date and
     * time it was said; {@code line} is a Chat or Action, possibly in an {@link InRoom}.
     */
    record History(LocalDateTime when, ServerLine line) implements ServerLine {
        @Override
        public LocalTime time() {
            return when.toLocalTime();
        }

        @Override
        public String body() {
            return "[history] " + line.body();
        }

        @Override
        public String format() {
            return "[" + when.toLocalDate() + " " + stamp(when.toLocalTime()).substring(1) + " " + body();
        }
    }

    /** A user took a new name. */
    record NickChanged(LocalTime time, String from, String to) implements ServerLine {
        @Override
        public String body() {
            return "*** " + from + " is now known as " + to;
        }
    }

    /** A room's topic, on joining or asked for; empty when there is none. */
    record Topic(LocalTime time, String text) implements ServerLine {
        @Override
        public String body() {
            return text.isEmpty() ? "*** No topic" : "*** Topic: " + text;
        }
    }

    /** {@code name} set a room's topic to {@code text}; empty when cleared. */
    record TopicChanged(LocalTime time, String name, String text) implements ServerLine {
        @Override
        public String body() {
            return text.isEmpty() ? "*** " + name + " cleared the topic" : "*** " + name + " set the topic: " + text;
        }
    }

    /** {@code name} is away, with a message; sent in {@code /who} answers and to those who PM them. */
    record Away(LocalTime time, String name, String message) implements ServerLine {
        @Override
        public String body() {
            return "*** " + name + " is away: " + message;
        }
    }

    /** The answer to {@code /rooms} starts: {@code count} {@link RoomEntry} lines follow. */
    record RoomList(LocalTime time, int count) implements ServerLine {
        @Override
        public String body() {
            return "*** Rooms (" + count + "):";
        }
    }

    /** One room in a {@code /rooms} answer: its name, how many are in it, its topic (maybe empty). */
    record RoomEntry(LocalTime time, String room, int members, String topic) implements ServerLine {
        @Override
        public String body() {
            return "*** Room " + room + " (" + members + ")" + (topic.isEmpty() ? "" : ": " + topic);
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

    /** The server waits for its password, given with {@code /pass PASSWORD}, before the name. */
    record PasswordPrompt(LocalTime time) implements ServerLine {
        static final String TEXT = "This server needs a password: send /pass PASSWORD";

        @Override
        public String body() {
            return "*** " + TEXT;
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

    /**
     * The name of the server's default room, whose lines carry no room name; sent once, right
     * after {@link Welcome}.
     */
    record DefaultRoom(LocalTime time, String room) implements ServerLine {
        @Override
        public String body() {
            return "*** Default room: " + room;
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

    /**
     * Who is online, in the server's order: in the welcome, the default room's members; as the
     * answer to {@code /who}, everyone on the server; in a room ({@link InRoom}), its members.
     */
    record Online(LocalTime time, List<String> names) implements ServerLine {
        public Online {
            names = List.copyOf(names);
        }

        @Override
        public String body() {
            return "*** Online (" + names.size() + "): " + String.join(", ", names);
        }
    }

    /**
     * How many people are in a large room ({@code room}), or on the server ({@code room} null),
     * told instead of an {@link Online} list of every name: in the welcome and in the answer to
     * {@code /who}, and to a room's members when it becomes large and stops announcing joins and
     * leaves.
     */
    record People(LocalTime time, int count, String room) implements ServerLine {
        @Override
        public String body() {
            return "*** Online: " + count + " people " + (room == null ? "on the server" : "in " + room);
        }
    }

    /**
     * One page of names, sorted ignoring case, answering {@code /who} with a page number or a
     * prefix: page {@code page} of {@code pages}, out of {@code total} names (those that start
     * with {@code prefix}, ignoring case, unless it is empty).
     */
    record NamePage(LocalTime time, int page, int pages, int total, String prefix, List<String> names)
            implements ServerLine {
        public NamePage {
            names = List.copyOf(names);
        }

        @Override
        public String body() {
            return "*** Names page " + page + " of " + pages + ", " + total + " total"
                    + (prefix.isEmpty() ? "" : " starting with " + prefix) + ": " + String.join(", ", names);
        }
    }

    /** An operator's announcement to everyone ({@code /wall}). */
    record Wall(LocalTime time, String from, String text) implements ServerLine {
        @Override
        public String body() {
            return "*** Announcement from " + from + ": " + text;
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

    /**
     * The connection's key challenge, sent just before the first name prompt by a server that
     * registers names: 43 characters of base64url, the same for every name tried on the connection.
     */
    record Challenge(LocalTime time, String challenge) implements ServerLine {
        @Override
        public String body() {
            return "*** Key challenge: " + challenge;
        }
    }

    /** The answer to {@code /register}: {@code name} is registered to the key with {@code fingerprint}. */
    record Registered(LocalTime time, String name, String fingerprint) implements ServerLine {
        @Override
        public String body() {
            return "*** Registered " + name + " to key " + fingerprint;
        }
    }

    /** The answer to {@code /publish}: the key with {@code fingerprint} is published for {@code name}. */
    record Published(LocalTime time, String fingerprint, String name) implements ServerLine {
        @Override
        public String body() {
            return "*** Published key " + fingerprint + " for " + name;
        }
    }

    /** The answer to {@code /unregister}: {@code name} is bound to no key any more. */
    record Unregistered(LocalTime time, String name) implements ServerLine {
        @Override
        public String body() {
            return "*** " + name + " is no longer registered";
        }
    }

    /** The answer to {@code /key NAME}: the key registered or published for {@code name}. */
    record KeyOf(LocalTime time, String name, String key) implements ServerLine {
        @Override
        public String body() {
            return "*** Key of " + name + ": " + key;
        }
    }

    /** The answer to {@code /key NAME} for a user online without a key. */
    record NoKey(LocalTime time, String name) implements ServerLine {
        @Override
        public String body() {
            return "*** " + name + " has no key";
        }
    }

    /** {@code name} asks the receiving user for a direct connection between their clients. */
    record DirectOffer(LocalTime time, String name) implements ServerLine {
        @Override
        public String body() {
            return "*** " + name + " offers a direct connection";
        }
    }

    /** The answer to {@code /direct NAME}: the offer went to {@code name}. */
    record DirectOffered(LocalTime time, String name) implements ServerLine {
        @Override
        public String body() {
            return "*** Direct connection offered to " + name;
        }
    }

    /** {@code name} declined the receiving user's offer of a direct connection. */
    record DirectDeclined(LocalTime time, String name) implements ServerLine {
        @Override
        public String body() {
            return "*** " + name + " declined the direct connection";
        }
    }

    /**
     * To the user who offered: {@code name} accepted, and listens at {@code address} (as the
     * server sees {@code name}) on {@code port}; the receiving client connects there.
     */
    record DirectConnect(LocalTime time, String name, String address, int port) implements ServerLine {
        @Override
        public String body() {
            return "*** Direct connection with " + name + ": connect to " + address + " port " + port;
        }
    }

    /**
     * To the user who accepted: {@code name}, at {@code address} as the server sees it, is told
     * to connect to the port the receiving client listens on.
     */
    record DirectListen(LocalTime time, String name, String address, int port) implements ServerLine {
        @Override
        public String body() {
            return "*** Direct connection with " + name + " from " + address + ": listen on port " + port;
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
        if (line.startsWith(HISTORY_MARK, 21)) {
            return parseHistory(line);
        }
        LocalTime time = parseStamp(line);
        if (time == null || line.length() < 12 || line.charAt(10) != ' ') {
            return new Unknown(null, line);
        }
        ServerLine parsed = parseRoomAndBody(time, line.substring(11));
        return parsed != null ? parsed : new Unknown(time, line);
    }

    /** What stands after the long stamp of a history line. */
    String HISTORY_MARK = " [history] ";

    private static ServerLine parseHistory(String line) {
        LocalDateTime when;
        try {
            if (line.charAt(0) != '[' || line.charAt(20) != ']') {
                return new Unknown(null, line);
            }
            when = LocalDateTime.of(LocalDate.parse(line.substring(1, 11)), LocalTime.parse(line.substring(12, 20)));
        } catch (DateTimeException e) {
            return new Unknown(null, line);
        }
        ServerLine said = parseRoomAndBody(when.toLocalTime(), line.substring(21 + HISTORY_MARK.length()));
        boolean speech = said instanceof Chat || said instanceof Action
                || (said instanceof InRoom inRoom && (inRoom.line() instanceof Chat || inRoom.line() instanceof Action));
        return speech ? new History(when, said) : new Unknown(null, line);
    }

    private static ServerLine parseRoomAndBody(LocalTime time, String body) {
        if (!body.startsWith("#")) {
            return parseBody(time, body);
        }
        int end = RoomNames.end(body, 0);
        if (end < 0 || !body.startsWith(" ", end) || body.startsWith("#", end + 1)) {
            return null;
        }
        ServerLine inner = parseBody(time, body.substring(end + 1));
        return inner == null ? null : new InRoom(body.substring(0, end), inner);
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
        if (body.startsWith("* ")) {
            int end = nameEnd(body, 2);
            if (end < 0 || !body.startsWith(" ", end)) {
                return null;
            }
            return new Action(time, body.substring(2, end), body.substring(end + 1));
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
            case PasswordPrompt.TEXT -> {
                return new PasswordPrompt(time);
            }
            case "Goodbye!" -> {
                return new Goodbye(time);
            }
            case "Server is shutting down." -> {
                return new ShuttingDown(time);
            }
            case "No topic" -> {
                return new Topic(time, "");
            }
            default -> {
                // Fall through to the events that carry names.
            }
        }
        if (event.startsWith("Welcome, ") && event.endsWith("!")) {
            String name = event.substring(9, event.length() - 1);
            return NameRules.isValid(name) ? new Welcome(time, name) : null;
        }
        if (event.startsWith("Default room: ")) {
            String room = event.substring(14);
            return RoomNames.isValid(room) ? new DefaultRoom(time, room) : null;
        }
        if (event.startsWith("Online (")) {
            return parseOnline(time, event);
        }
        if (event.startsWith("Online: ")) {
            return parsePeople(time, event);
        }
        if (event.startsWith("Names page ")) {
            return parseNamePage(time, event);
        }
        if (event.startsWith("Topic: ")) {
            return new Topic(time, event.substring(7));
        }
        if (event.startsWith("Rooms (") && event.endsWith("):")) {
            Integer count = parseCount(event.substring(7, event.length() - 2));
            return count == null ? null : new RoomList(time, count);
        }
        if (event.startsWith("Room ")) {
            // Or an event about a user named Room: "Room joined".
            ServerLine entry = parseRoomEntry(time, event);
            if (entry != null) {
                return entry;
            }
        }
        ServerLine keyEvent = parseKeyEvent(time, event);
        if (keyEvent != null) {
            return keyEvent;
        }
        if (event.startsWith("Direct connection ")) {
            // Or an event about a user named Direct: "Direct joined".
            ServerLine direct = parseDirect(time, event);
            if (direct != null) {
                return direct;
            }
        }
        if (event.startsWith("Announcement from ")) {
            int end = nameEnd(event, 18);
            return end < 0 || !event.startsWith(": ", end) ? null
                    : new Wall(time, event.substring(18, end), event.substring(end + 2));
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
        if (rest.startsWith(" is now known as ")) {
            String to = rest.substring(17);
            return NameRules.isValid(to) ? new NickChanged(time, name, to) : null;
        }
        if (rest.startsWith(" set the topic: ")) {
            return new TopicChanged(time, name, rest.substring(16));
        }
        if (rest.equals(" cleared the topic")) {
            return new TopicChanged(time, name, "");
        }
        if (rest.startsWith(" is away: ")) {
            return new Away(time, name, rest.substring(10));
        }
        if (rest.equals(" is no longer registered")) {
            return new Unregistered(time, name);
        }
        if (rest.equals(" has no key")) {
            return new NoKey(time, name);
        }
        if (rest.equals(" offers a direct connection")) {
            return new DirectOffer(time, name);
        }
        if (rest.equals(" declined the direct connection")) {
            return new DirectDeclined(time, name);
        }
        return null;
    }

    /**
     * The events about keys that start with fixed words, or null when {@code event} is none of
     * them (it may still be an event that starts with a name such as "Registered").
     */
    private static ServerLine parseKeyEvent(LocalTime time, String event) {
        if (event.startsWith("Key challenge: ")) {
            String challenge = event.substring(15);
            return isBase64Url(challenge, KeyChallenge.TOKEN_LENGTH) ? new Challenge(time, challenge) : null;
        }
        if (event.startsWith("Registered ")) {
            int end = nameEnd(event, 11);
            return end < 0 || !event.startsWith(" to key ", end) || !isFingerprint(event.substring(end + 8)) ? null
                    : new Registered(time, event.substring(11, end), event.substring(end + 8));
        }
        if (event.startsWith("Published key ") && event.length() > 14 + KeyToken.FINGERPRINT_LENGTH + 5) {
            String fingerprint = event.substring(14, 14 + KeyToken.FINGERPRINT_LENGTH);
            String rest = event.substring(14 + KeyToken.FINGERPRINT_LENGTH);
            return isFingerprint(fingerprint) && rest.startsWith(" for ") && NameRules.isValid(rest.substring(5))
                    ? new Published(time, fingerprint, rest.substring(5)) : null;
        }
        if (event.startsWith("Key of ")) {
            int end = nameEnd(event, 7);
            if (end < 0 || !event.startsWith(": ", end)) {
                return null;
            }
            String key = event.substring(end + 2);
            int characters = KeyToken.TOKEN_LENGTH - KeyToken.PREFIX.length();
            return key.startsWith(KeyToken.PREFIX) && isBase64Url(key.substring(KeyToken.PREFIX.length()), characters)
                    ? new KeyOf(time, event.substring(7, end), key) : null;
        }
        return null;
    }

    /** The events that start with "Direct connection ", or null when {@code event} is none of them. */
    private static ServerLine parseDirect(LocalTime time, String event) {
        if (event.startsWith("Direct connection offered to ")) {
            String name = event.substring(29);
            return NameRules.isValid(name) ? new DirectOffered(time, name) : null;
        }
        if (!event.startsWith("Direct connection with ")) {
            return null;
        }
        int end = nameEnd(event, 23);
        if (end < 0) {
            return null;
        }
        String name = event.substring(23, end);
        String rest = event.substring(end);
        if (rest.startsWith(": connect to ")) {
            int port = rest.lastIndexOf(" port ");
            String address = port < 0 ? "" : rest.substring(13, port);
            Integer number = port < 0 ? null : parsePort(rest.substring(port + 6));
            return isAddress(address) && number != null ? new DirectConnect(time, name, address, number) : null;
        }
        if (rest.startsWith(" from ")) {
            int listen = rest.lastIndexOf(": listen on port ");
            String address = listen < 0 ? "" : rest.substring(6, listen);
            Integer number = listen < 0 ? null : parsePort(rest.substring(listen + 17));
            return isAddress(address) && number != null ? new DirectListen(time, name, address, number) : null;
        }
        return null;
    }

    /** A port number, 1 to 65535, or null. */
    static Integer parsePort(String digits) {
        Integer port = digits.length() > 5 ? null : parseCount(digits);
        return port == null || port < 1 || port > 65535 ? null : port;
    }

    /** Whether {@code text} can be an IP address as the server writes it: digits, letters, dots, colons, a zone after %. */
    private static boolean isAddress(String text) {
        if (text.isEmpty() || text.length() > 45 + 16) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == ':'
                    || c == '%')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBase64Url(String text, int length) {
        if (text.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isFingerprint(String text) {
        if (text.length() != KeyToken.FINGERPRINT_LENGTH) {
            return false;
        }
        for (int i = 0; i < KeyToken.FINGERPRINT_LENGTH; i++) {
            char c = text.charAt(i);
            boolean ok = i % 3 == 2 ? c == ':' : (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static ServerLine parseRoomEntry(LocalTime time, String event) {
        int end = RoomNames.end(event, 5);
        if (end < 0 || !event.startsWith(" (", end)) {
            return null;
        }
        int close = event.indexOf(')', end);
        Integer members = close < 0 ? null : parseCount(event.substring(end + 2, close));
        if (members == null) {
            return null;
        }
        String rest = event.substring(close + 1);
        if (!rest.isEmpty() && !rest.startsWith(": ")) {
            return null;
        }
        return new RoomEntry(time, event.substring(5, end), members, rest.isEmpty() ? "" : rest.substring(2));
    }

    private static Integer parseCount(String digits) {
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Integer.parseInt(digits);
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

    private static ServerLine parsePeople(LocalTime time, String event) {
        int blank = event.indexOf(' ', 8);
        Integer count = blank < 0 ? null : parseCount(event.substring(8, blank));
        if (count == null) {
            return null;
        }
        String where = event.substring(blank);
        if (where.equals(" people on the server")) {
            return new People(time, count, null);
        }
        String room = where.startsWith(" people in ") ? where.substring(11) : "";
        return RoomNames.isValid(room) ? new People(time, count, room) : null;
    }

    /** {@code Names page P of Q, T total[ starting with PREFIX]: names}. */
    private static ServerLine parseNamePage(LocalTime time, String event) {
        int of = event.indexOf(" of ", 11);
        int comma = of < 0 ? -1 : event.indexOf(", ", of);
        int totalEnd = comma < 0 ? -1 : event.indexOf(" total", comma);
        int colon = totalEnd < 0 ? -1 : event.indexOf(": ", totalEnd);
        if (colon < 0) {
            return null;
        }
        Integer page = parseCount(event.substring(11, of));
        Integer pages = parseCount(event.substring(of + 4, comma));
        Integer total = parseCount(event.substring(comma + 2, totalEnd));
        String filter = event.substring(totalEnd + 6, colon);
        String prefix = filter.startsWith(" starting with ") ? filter.substring(15) : filter.isEmpty() ? "" : null;
        if (page == null || pages == null || total == null || prefix == null
                || (!prefix.isEmpty() && !NameRules.isValid(prefix))) {
            return null;
        }
        List<String> names = parseNames(event.substring(colon + 2));
        return names == null ? null : new NamePage(time, page, pages, total, prefix, names);
    }

    /** A list of names joined by {@code ", "} (empty for none), or null when one is not a name. */
    private static List<String> parseNames(String list) {
        List<String> names = list.isEmpty() ? List.of() : Arrays.asList(list.split(", ", -1));
        return names.stream().allMatch(NameRules::isValid) ? names : null;
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
