package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import java.time.LocalTime;
import java.util.concurrent.TimeUnit;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LineStyleTest {

    private static final LocalTime NOON = LocalTime.NOON;
    private final LineStyle colour = new LineStyle(true);
    private final LineStyle plain = new LineStyle(false);

    @Test
    void plainTextIsTheWireLineWithoutControlCharacters() {
        ServerLine line = new ServerLine.Chat(NOON, "bob", "hi \u001b[31mthere\u0007");
        AttributedString shown = plain.render(line, "alice");
        assertThat(shown.toString()).isEqualTo("[12:00:00] bob: hi [31mthere");
        assertThat(shown.toAnsi()).doesNotContain("\u001b");
    }

    @Test
    void colouredLinesStillDropControlCharacters() {
        ServerLine line = new ServerLine.Chat(NOON, "bob", "\u001b]0;owned\u0007text");
        assertThat(colour.render(line, "alice").toString()).isEqualTo("[12:00:00] bob: ]0;ownedtext");
    }

    @Test
    void aSenderKeepsOneColourWhateverTheCase() {
        AttributedString first = colour.render(new ServerLine.Chat(NOON, "bob", "one"), "alice");
        AttributedString second = colour.render(new ServerLine.Chat(NOON.plusHours(1), "BOB", "two"), "alice");
        assertThat(first.styleAt(nameStart())).isEqualTo(second.styleAt(nameStart()))
                .isEqualTo(LineStyle.nameStyle("bob"));
    }

    @Test
    void namesAreSpreadOverSeveralColours() {
        long colours = java.util.stream.Stream.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")
                .map(LineStyle::nameStyle).distinct().count();
        assertThat(colours).isGreaterThan(2);
    }

    @Test
    void ownMessagesPrivateMessagesSystemLinesAndErrorsLookDifferent() {
        AttributedStyle own = colour.render(new ServerLine.Chat(NOON, "alice", "mine"), "alice").styleAt(nameStart());
        AttributedStyle other = colour.render(new ServerLine.Chat(NOON, "bob", "yours"), "alice").styleAt(nameStart());
        AttributedStyle pm = colour.render(new ServerLine.PrivateSent(NOON, "bob", "psst"), "alice").styleAt(nameStart());
        AttributedStyle system = colour.render(new ServerLine.Joined(NOON, "bob"), "alice").styleAt(nameStart());
        AttributedStyle error = colour.render(new ServerLine.Error(NOON, ErrorCode.USAGE, "no"), "alice")
                .styleAt(nameStart());
        assertThat(java.util.List.of(own, other, pm, system, error)).doesNotHaveDuplicates();
    }

    @Test
    void noticesAreMarkedAsTheClientsOwn() {
        assertThat(plain.notice("Disconnected.").toString()).isEqualTo("-!- Disconnected.");
    }

    /** Where the body starts, after "[HH:MM:SS] ". */
    private static int nameStart() {
        return 11;
    }
}
