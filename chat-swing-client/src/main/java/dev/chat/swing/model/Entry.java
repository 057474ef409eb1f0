package dev.chat.swing.model;

import dev.chat.client.Privacy;
import java.time.LocalDate;
import java.time.LocalTime;

/**
 * One line of a conversation as the window shows it.
 *
 * @param time        the server's time for server lines, the local time for the client's own notices
 * @param kind        what sort of line it is
 * @param from        who wrote it (for chat, actions and private messages), otherwise null
 * @param text        the text, with control characters removed
 * @param mention     whether someone else wrote the user's name in it
 * @param historyDate for a line said before the user joined and replayed by the server, the date
 *                    it was said; null for live lines
 * @param privacy     for a private message, whether it was sealed end to end; null for other lines
 */
public record Entry(LocalTime time, Kind kind, String from, String text, boolean mention, LocalDate historyDate,
                    Privacy privacy) {

    /** A line that is no private message. */
    public Entry(LocalTime time, Kind kind, String from, String text, boolean mention, LocalDate historyDate) {
        this(time, kind, from, text, mention, historyDate, null);
    }

    /** A live line that is no private message. */
    public Entry(LocalTime time, Kind kind, String from, String text, boolean mention) {
        this(time, kind, from, text, mention, null, null);
    }

    /** Whether the line was said before the user joined, replayed as history. */
    public boolean isHistory() {
        return historyDate != null;
    }

    /** What sort of line an entry is; each kind looks different in the window. */
    public enum Kind {
        /** Something a user said to the room. */
        CHAT,
        /** What a user does, said with {@code /me}. */
        ACTION,
        /** A private message to the user. */
        PRIVATE_IN,
        /** A private message the user sent, as confirmed by the server. */
        PRIVATE_OUT,
        /** An event from the server: joins, leaves, who is online, topics, new names, away notices. */
        SYSTEM,
        /** Text from the server for people to read: greeting, help. */
        INFO,
        /** Something the user sent was refused. */
        ERROR,
        /** A notice from the client itself, e.g. that the connection was lost. */
        LOCAL
    }
}
