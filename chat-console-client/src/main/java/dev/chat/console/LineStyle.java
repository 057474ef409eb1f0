package dev.chat.console;

import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.Text;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * How lines look on screen: your own messages, private messages, system lines and errors
 * each in their own style, every sender's name in a colour of its own that stays the same
 * across lines and runs. Without colour every line is its plain wire text. Control
 * characters from the server never reach the terminal.
 */
public final class LineStyle {

    private static final AttributedStyle STAMP = AttributedStyle.DEFAULT.faint();
    private static final AttributedStyle OWN_NAME = AttributedStyle.BOLD;
    private static final AttributedStyle PRIVATE = AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA);
    private static final AttributedStyle SYSTEM = AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN);
    private static final AttributedStyle INFO = AttributedStyle.DEFAULT.faint();
    private static final AttributedStyle ERROR = AttributedStyle.BOLD.foreground(AttributedStyle.RED);
    private static final AttributedStyle NOTICE = AttributedStyle.BOLD.foreground(AttributedStyle.YELLOW);

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
     * The line as shown to the user called {@code me} (null before registration).
     */
    public AttributedString render(ServerLine line, String me) {
        if (!colour) {
            return new AttributedString(Text.stripControls(line.format()));
        }
        AttributedStringBuilder out = new AttributedStringBuilder();
        if (line.time() != null && !(line instanceof ServerLine.Unknown)) {
            out.styled(STAMP, ServerLine.stamp(line.time())).append(' ');
        }
        switch (line) {
            case ServerLine.Chat chat -> {
                boolean own = me != null && NameRules.key(me).equals(NameRules.key(chat.from()));
                out.styled(own ? OWN_NAME : nameStyle(chat.from()), chat.from())
                        .append(": ").append(Text.stripControls(chat.text()));
            }
            case ServerLine.PrivateMessage pm -> out.styled(PRIVATE, "[PM] ")
                    .styled(nameStyle(pm.from()).bold(), pm.from())
                    .styled(PRIVATE, ": " + Text.stripControls(pm.text()));
            case ServerLine.PrivateSent sent -> out.styled(PRIVATE, Text.stripControls(sent.body()));
            case ServerLine.Error error -> out.styled(ERROR, Text.stripControls(error.body()));
            case ServerLine.Info info -> out.styled(INFO, Text.stripControls(info.body()));
            case ServerLine.Unknown unknown -> out.append(Text.stripControls(unknown.format()));
            default -> out.styled(SYSTEM, Text.stripControls(line.body()));
        }
        return out.toAttributedString();
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
