package dev.chat.console;

import dev.chat.client.Privacy;
import dev.chat.client.Rooms;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.Text;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * How lines look on screen: your own messages, private messages, system lines and errors
 * each in their own style, every sender's name (and every room's) in a colour of its own that
 * stays the same across lines and runs, history dim. Without colour a line is the same text
 * unstyled. Control characters from the server never reach the terminal.
 */
public final class LineStyle {

    private static final AttributedStyle STAMP = AttributedStyle.DEFAULT.faint();
    private static final AttributedStyle OWN_NAME = AttributedStyle.BOLD;
    private static final AttributedStyle PRIVATE = AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA);
    private static final AttributedStyle SYSTEM = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    private static final AttributedStyle INFO = AttributedStyle.DEFAULT.faint();
    private static final AttributedStyle ERROR = AttributedStyle.BOLD.foreground(AttributedStyle.RED);
    private static final AttributedStyle NOTICE = AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);
    private static final AttributedStyle HISTORY = AttributedStyle.DEFAULT.faint();
    private static final AttributedStyle SEALED = AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
    private static final AttributedStyle VERIFIED = AttributedStyle.BOLD.foreground(AttributedStyle.GREEN);
    private static final AttributedStyle NOT_SEALED = AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
    /** An away notice mostly answers a private message, so it is in the private messages' colour. */
    private static final AttributedStyle AWAY = AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA).faint();

    /** Name colours: none of them is used for private messages (magenta) or errors (red). */
    private static final AttributedStyle[] NAME_COLOURS = {
        AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN),
        AttributedStyle.DEFAULT.foreground(AttributedStyle.BLUE),
        AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW),
        AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN),
        AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN | AttributedStyle.BRIGHT),
        AttributedStyle.DEFAULT.foreground(AttributedStyle.BLUE | AttributedStyle.BRIGHT),
        AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW | AttributedStyle.BRIGHT),
        AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN | AttributedStyle.BRIGHT),
    };

    private final boolean colour;

    /** @param colour whether to style lines; false gives plain text */
    public LineStyle(boolean colour) {
        this.colour = colour;
    }

    /** Whether lines are styled. */
    public boolean colour() {
        return colour;
    }

    /**
     * The line, which belongs to {@code room} (null for lines of no room), as shown to the user
     * called {@code me} (null before signing on) whose current room is {@code currentRoom}
     * (null when in none): lines of other rooms show their room's name, lines of the current
     * room do not. A history line is dim throughout and shows the date it was said.
     */
    public AttributedString render(ServerLine line, String room, String me, String currentRoom) {
        AttributedStringBuilder out = new AttributedStringBuilder();
        switch (line) {
            case ServerLine.Unknown unknown -> out.append(Text.stripControls(unknown.format()));
            case ServerLine.History history -> {
                // Said before you came: dim, so that it is never taken for live chat.
                out.styled(HISTORY, "[" + history.when().toLocalDate() + " "
                        + ServerLine.stamp(history.time()).substring(1) + ServerLine.HISTORY_MARK);
                appendRoomAndBody(out, history.line(), room, me, currentRoom, true);
            }
            default -> {
                out.styled(STAMP, ServerLine.stamp(line.time())).append(' ');
                appendRoomAndBody(out, line, room, me, currentRoom, false);
            }
        }
        return colour ? out.toAttributedString() : new AttributedString(out.toString());
    }

    private static void appendRoomAndBody(AttributedStringBuilder out, ServerLine line, String room, String me,
            String currentRoom, boolean history) {
        if (room != null && !Rooms.same(room, currentRoom)) {
            out.styled(history ? HISTORY : nameStyle(room), room).append(' ');
        }
        ServerLine said = line instanceof ServerLine.InRoom inRoom ? inRoom.line() : line;
        if (history) {
            out.styled(HISTORY, Text.stripControls(said.body()));
            return;
        }
        switch (said) {
            case ServerLine.Chat chat -> out.styled(speakerStyle(chat.from(), me), chat.from())
                    .append(": ").append(Text.stripControls(chat.text()));
            case ServerLine.Action action -> out.append("* ")
                    .styled(speakerStyle(action.name(), me), action.name())
                    .append(' ').append(Text.stripControls(action.text()));
            case ServerLine.PrivateMessage pm -> out.styled(PRIVATE, "[PM] ")
                    .styled(nameStyle(pm.from()).bold(), pm.from())
                    .styled(PRIVATE, ": " + Text.stripControls(pm.text()));
            case ServerLine.PrivateSent sent -> out.styled(PRIVATE, Text.stripControls(sent.body()));
            case ServerLine.Away away -> out.styled(AWAY, Text.stripControls(away.body()));
            case ServerLine.Error error -> out.styled(ERROR, Text.stripControls(error.body()));
            case ServerLine.Info info -> out.styled(INFO, Text.stripControls(info.body()));
            default -> out.styled(SYSTEM, Text.stripControls(said.body()));
        }
    }

    /**
     * The mark in front of a private message: words rather than a padlock sign, so that it reads
     * the same in every terminal and font, takes the width it seems to (a double-width emoji
     * confuses the line editor's idea of the cursor on many terminals), and can be searched for.
     */
    public static String mark(Privacy privacy) {
        return switch (privacy) {
            case SEALED -> "[sealed]";
            case VERIFIED -> "[sealed, verified]";
            case DIRECT -> "[direct]";
            case NOT_SEALED -> "[not encrypted]";
            case NOT_SEALED_FROM_KEY_HOLDER -> "[NOT ENCRYPTED, though they have a key]";
        };
    }

    /**
     * A private message, to or from {@code me}, with its mark after the stamp:
     * {@code [14:03:25] [sealed] [PM] bob: hi}.
     */
    public AttributedString renderPrivate(ServerLine line, Privacy privacy, String me) {
        AttributedStringBuilder out = new AttributedStringBuilder();
        out.styled(STAMP, ServerLine.stamp(line.time())).append(' ');
        AttributedStyle markStyle = switch (privacy) {
            case SEALED -> SEALED;
            case VERIFIED, DIRECT -> VERIFIED;
            case NOT_SEALED -> NOT_SEALED;
            case NOT_SEALED_FROM_KEY_HOLDER -> ERROR;
        };
        out.styled(markStyle, mark(privacy)).append(' ');
        appendRoomAndBody(out, line, null, me, null, false);
        return colour ? out.toAttributedString() : new AttributedString(out.toString());
    }

    private static AttributedStyle speakerStyle(String name, String me) {
        boolean own = me != null && NameRules.key(me).equals(NameRules.key(name));
        return own ? OWN_NAME : nameStyle(name);
    }

    /** Something the client itself says, marked {@code -!-} so it is never taken for a server line. */
    public AttributedString notice(String text) {
        String shown = "-!- " + Text.stripControls(text);
        return colour ? new AttributedString(shown, NOTICE) : new AttributedString(shown);
    }

    /** The colour of {@code name}: the same for the same name, ignoring case, in every run. */
    public static AttributedStyle nameStyle(String name) {
        // String.hashCode is specified, so the colour does not change between runs.
        int index = Math.floorMod(NameRules.key(name).hashCode(), NAME_COLOURS.length);
        return NAME_COLOURS[index];
    }
}
