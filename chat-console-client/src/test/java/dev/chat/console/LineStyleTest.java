package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.concurrent.TimeUnit;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LineStyleTest {

    private static final String LOBBY = "#lobby";
    private static final LocalTime NOON = LocalTime.NOON;
    private final LineStyle colour = new LineStyle(true);
    private final LineStyle plain = new LineStyle(false);

    @Test
    void plainTextIsTheWireLineWithoutControlCharacters() {
        ServerLine line = new ServerLine.Chat(NOON, "bob", "hi \u001b[31mthere\u0007");
        AttributedString shown = inLobby(plain, line);
        assertThat(shown.toString()).isEqualTo("[12:00:00] bob: hi [31mthere");
        assertThat(shown.toAnsi()).doesNotContain("\u001b");
    }

    @Test
    void colouredLinesStillDropControlCharacters() {
        ServerLine line = new ServerLine.Chat(NOON, "bob", "\u001b]0;owned\u0007text");
        assertThat(inLobby(colour, line).toString()).isEqualTo("[12:00:00] bob: ]0;ownedtext");
    }

    @Test
    void aSenderKeepsOneColourWhateverTheCase() {
        AttributedString first = inLobby(colour, new ServerLine.Chat(NOON, "bob", "one"));
        AttributedString second = inLobby(colour, new ServerLine.Chat(NOON.plusHours(1), "BOB", "two"));
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
        AttributedStyle own = inLobby(colour, new ServerLine.Chat(NOON, "alice", "mine")).styleAt(nameStart());
        AttributedStyle other = inLobby(colour, new ServerLine.Chat(NOON, "bob", "yours")).styleAt(nameStart());
        AttributedStyle pm = inLobby(colour, new ServerLine.PrivateSent(NOON, "bob", "psst")).styleAt(nameStart());
        AttributedStyle system = inLobby(colour, new ServerLine.Joined(NOON, "bob")).styleAt(nameStart());
        AttributedStyle error = inLobby(colour, new ServerLine.Error(NOON, ErrorCode.USAGE, "no"))
                .styleAt(nameStart());
        assertThat(java.util.List.of(own, other, pm, system, error)).doesNotHaveDuplicates();
    }

    @Test
    void linesOfOtherRoomsShowTheirRoomAndThoseOfTheCurrentRoomDoNot() {
        ServerLine inDev = new ServerLine.InRoom("#dev", new ServerLine.Chat(NOON, "bob", "build is green"));
        ServerLine inLobby = new ServerLine.Chat(NOON, "carol", "lunch?");

        assertThat(plain.render(inDev, "#dev", "alice", "#DEV").toString()).isEqualTo("[12:00:00] bob: build is green");
        assertThat(plain.render(inLobby, LOBBY, "alice", "#dev").toString()).isEqualTo("[12:00:00] #lobby carol: lunch?");
        assertThat(plain.render(inDev, "#dev", "alice", LOBBY).toString())
                .isEqualTo("[12:00:00] #dev bob: build is green");
        AttributedString coloured = colour.render(inDev, "#dev", "alice", LOBBY);
        assertThat(coloured.styleAt(nameStart())).isEqualTo(LineStyle.nameStyle("#dev"));
    }

    @Test
    void linesOfNoRoomNeverShowOne() {
        ServerLine pm = new ServerLine.PrivateMessage(NOON, "bob", "psst");
        ServerLine renamed = new ServerLine.NickChanged(NOON, "bob", "robert");
        assertThat(plain.render(pm, null, "alice", "#dev").toString()).isEqualTo("[12:00:00] [PM] bob: psst");
        assertThat(plain.render(renamed, null, "alice", "#dev").toString())
                .isEqualTo("[12:00:00] *** bob is now known as robert");
    }

    @Test
    void historyIsDimWithItsDateAndMarked() {
        ServerLine said = new ServerLine.History(LocalDateTime.of(2025, 3, 14, 9, 26, 53),
                new ServerLine.InRoom("#dev", new ServerLine.Chat(NOON, "bob", "earlier")));

        assertThat(plain.render(said, "#dev", "alice", "#dev").toString())
                .isEqualTo("[2025-03-14 09:26:53] [history] bob: earlier");
        assertThat(plain.render(said, "#dev", "alice", LOBBY).toString())
                .isEqualTo("[2025-03-14 09:26:53] [history] #dev bob: earlier");
        AttributedString coloured = colour.render(said, "#dev", "alice", "#dev");
        AttributedString live = colour.render(new ServerLine.InRoom("#dev", new ServerLine.Chat(NOON, "bob", "now")),
                "#dev", "alice", "#dev");
        int name = coloured.toString().indexOf("bob");
        assertThat(coloured.styleAt(name)).isEqualTo(AttributedStyle.DEFAULT.faint())
                .isNotEqualTo(live.styleAt(nameStart()));
        assertThat(coloured.styleAt(0)).isEqualTo(AttributedStyle.DEFAULT.faint());
    }

    @Test
    void actionsShowTheNameInItsColour() {
        AttributedString action = inLobby(colour, new ServerLine.Action(NOON, "bob", "waves"));
        assertThat(action.toString()).isEqualTo("[12:00:00] * bob waves");
        assertThat(action.styleAt(nameStart() + 2)).isEqualTo(LineStyle.nameStyle("bob"));
    }

    @Test
    void noticesAreMarkedAsTheClientsOwn() {
        assertThat(plain.notice("Disconnected.").toString()).isEqualTo("-!- Disconnected.");
    }

    /** How alice, in the default room, sees {@code line}, a line of the default room or of none. */
    private static AttributedString inLobby(LineStyle style, ServerLine line) {
        return style.render(line, LOBBY, "alice", LOBBY);
    }

    /** Where the body starts, after "[HH:MM:SS] ". */
    private static int nameStart() {
        return 11;
    }
}
