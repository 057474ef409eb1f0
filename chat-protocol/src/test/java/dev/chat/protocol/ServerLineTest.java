package dev.chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerLineTest {

    private static final LocalTime T = LocalTime.of(9, 5, 7);

    static Stream<ServerLine> everyKind() {
        return Stream.of(
                new ServerLine.Chat(T, "alice", "hello: world [PM] *** ---"),
                new ServerLine.Chat(T, "bob", ""),
                new ServerLine.PrivateMessage(T, "alice", "psst: a secret"),
                new ServerLine.PrivateSent(T, "bob", "psst"),
                new ServerLine.NamePrompt(T),
                new ServerLine.Welcome(T, "carol"),
                new ServerLine.Joined(T, "dave"),
                new ServerLine.Left(T, "dave", "connection closed"),
                new ServerLine.Online(T, List.of("alice", "bob", "x.y-z")),
                new ServerLine.Online(T, List.of()),
                new ServerLine.Goodbye(T),
                new ServerLine.ShuttingDown(T),
                new ServerLine.Info(T, "/msg NAME TEXT  send a private message"),
                new ServerLine.Error(T, ErrorCode.NAME_TAKEN, "the name \"bob\" is taken"));
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void parse_readsBackWhatFormatWrote(ServerLine line) {
        assertThat(ServerLine.parse(line.format())).isEqualTo(line);
    }

    @Test
    void format_writesTheDocumentedLines() {
        assertThat(new ServerLine.Chat(T, "alice", "hi").format()).isEqualTo("[09:05:07] alice: hi");
        assertThat(new ServerLine.PrivateMessage(T, "alice", "hi").format()).isEqualTo("[09:05:07] [PM] alice: hi");
        assertThat(new ServerLine.Online(T, List.of("a", "b")).format()).isEqualTo("[09:05:07] *** Online (2): a, b");
        assertThat(new ServerLine.Error(T, ErrorCode.UNKNOWN_COMMAND, "try /help").format())
                .isEqualTo("[09:05:07] !!! unknown-command: try /help");
    }

    @Test
    void toWire_endsWithLf() {
        assertThat(new String(new ServerLine.Goodbye(T).toWire(), Protocol.CHARSET)).isEqualTo("[09:05:07] *** Goodbye!\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "[25:00:00] a: b", "[09:05:07]", "[09:05:07] ", "[09:05:07] *** nonsense",
        "[09:05:07] *** Online (3): a, b", "[09:05:07] no colon here", "[09:05:07] !!! no separator"})
    void parse_returnsUnknownForLinesOutsideTheGrammar(String raw) {
        ServerLine line = ServerLine.parse(raw);
        assertThat(line).isInstanceOf(ServerLine.Unknown.class);
        assertThat(line.format()).isEqualTo(raw);
    }

    @Test
    void parse_mapsUnknownErrorTokenToOther() {
        assertThat(ServerLine.parse("[09:05:07] !!! future-thing: nope"))
                .isEqualTo(new ServerLine.Error(T, ErrorCode.OTHER, "nope"));
    }
}
