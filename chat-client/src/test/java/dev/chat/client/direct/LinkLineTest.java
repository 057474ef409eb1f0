package dev.chat.client.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The lines of a direct connection: written and read back, and what is not a line of it. */
class LinkLineTest {

    static Stream<LinkLine> everyKind() {
        return Stream.of(
                new LinkLine.Hello("alice", "A".repeat(86)),
                new LinkLine.Proved(),
                new LinkLine.Say("hello: FILE 1 2 x"),
                new LinkLine.Say(""),
                new LinkLine.FileOffer(1, 0, "empty file"),
                new LinkLine.FileOffer(999_999_999, 1L << 30, "holiday photos (2).tar.gz"),
                new LinkLine.Accept(7),
                new LinkLine.Refuse(7, "not wanted"),
                new LinkLine.Refuse(7, ""),
                new LinkLine.Received(7),
                new LinkLine.Cancel(7, "it did not arrive whole"));
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void parse_readsBackWhatFormatWrote(LinkLine line) {
        assertThat(LinkLine.parse(line.format())).isEqualTo(line);
    }

    @org.junit.jupiter.api.Test
    void dataAndEnd_carryTheirBytes() {
        byte[] chunk = new byte[LinkLine.CHUNK_BYTES];
        chunk[0] = 1;
        chunk[chunk.length - 1] = (byte) 0xFF;
        LinkLine.Data data = (LinkLine.Data) LinkLine.parse(new LinkLine.Data(3, chunk).format());
        assertThat(data.id()).isEqualTo(3);
        assertThat(data.bytes()).isEqualTo(chunk);
        assertThat(data.format().length()).isLessThan(LinkLine.MAX_LINE_BYTES);
        byte[] sha = new byte[32];
        sha[5] = 42;
        assertThat(((LinkLine.End) LinkLine.parse(new LinkLine.End(3, sha).format())).sha256()).isEqualTo(sha);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "PROVED ", "HELLO", "HELLO not:a:name sig", "FILE 1 2", "FILE x 2 name",
        "FILE 1 -2 name", "FILE 1234567890 2 name", "ACCEPT", "ACCEPT 1 2", "DATA 1", "DATA 1 !!!!", "DATA 1 ",
        "END 1 AAAA", "REFUSE x why", "later LINE of a newer client"})
    void whatIsNoLineOfTheProtocol_isUnknown(String line) {
        assertThat(LinkLine.parse(line)).isEqualTo(new LinkLine.Unknown(line));
    }
}
