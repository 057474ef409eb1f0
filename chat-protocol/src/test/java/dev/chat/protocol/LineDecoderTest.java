package dev.chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineDecoderTest {

    private static LineDecoder decoder(byte[] bytes, int maxLine) {
        // A tiny read buffer makes every state cross a buffer boundary somewhere.
        return new LineDecoder(new ByteArrayInputStream(bytes), maxLine, 3);
    }

    private static LineDecoder decoder(String text) {
        return decoder(text.getBytes(StandardCharsets.UTF_8), 100);
    }

    @Test
    void readLine_splitsOnLfAndAcceptsCrlf() throws Exception {
        LineDecoder lines = decoder("one\ntwo\r\nthree\n");
        assertThat(lines.readLine()).isEqualTo("one");
        assertThat(lines.readLine()).isEqualTo("two");
        assertThat(lines.readLine()).isEqualTo("three");
        assertThat(lines.readLine()).isNull();
    }

    @Test
    void readLine_returnsUnterminatedLastLineThenEnd() throws Exception {
        LineDecoder lines = decoder("partial");
        assertThat(lines.readLine()).isEqualTo("partial");
        assertThat(lines.readLine()).isNull();
    }

    @Test
    void readLine_replacesInvalidUtf8WithReplacementCharacter() throws Exception {
        byte[] bytes = {'a', (byte) 0xC3, 'b', (byte) 0xE2, (byte) 0x82, '\n'};
        LineDecoder lines = decoder(bytes, 100);
        assertThat(lines.readLine()).isEqualTo("a\uFFFDb\uFFFD");
    }

    @Test
    void readLine_keepsMultibyteCharactersSplitAcrossReads() throws Exception {
        assertThat(decoder("😀 grüße\n").readLine()).isEqualTo("😀 grüße");
    }

    @Test
    void readLine_skipsTelnetNegotiation() throws Exception {
        byte[] bytes = {
            (byte) 0xFF, (byte) 0xFD, 0x03,                 // IAC DO SUPPRESS-GO-AHEAD
            'h', 'i',
            (byte) 0xFF, (byte) 0xFA, 0x18, 0x00, 'x', 't', (byte) 0xFF, (byte) 0xF0, // IAC SB ... IAC SE
            (byte) 0xFF, (byte) 0xF4,                       // IAC IP
            '\r', '\n'
        };
        assertThat(decoder(bytes, 100).readLine()).isEqualTo("hi");
    }

    @Test
    void readLine_givesUpATelnetSubnegotiationThatNeverEnds() throws Exception {
        // FF FA from plain invalid UTF-8 must not swallow the lines after it.
        byte[] start = {'x', (byte) 0xFF, (byte) 0xFA};
        byte[] rest = ("y".repeat(100) + "\nnext line\n").getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[start.length + rest.length];
        System.arraycopy(start, 0, bytes, 0, start.length);
        System.arraycopy(rest, 0, bytes, start.length, rest.length);
        LineDecoder lines = decoder(bytes, 1000);
        assertThat(lines.readLine()).startsWith("x").endsWith("y");
        assertThat(lines.readLine()).isEqualTo("next line");
    }

    @Test
    void readLine_reportsTelnetDoRequests() throws Exception {
        byte[] bytes = {'a', (byte) 0xFF, (byte) 0xF3, (byte) 0xFF, (byte) 0xFD, 0x06, 'b', (byte) 0xFF, (byte) 0xFB, 0x01, '\n'};
        java.util.List<Integer> options = new java.util.ArrayList<>();
        LineDecoder lines = new LineDecoder(new ByteArrayInputStream(bytes), 100, 2, options::add);
        assertThat(lines.readLine()).isEqualTo("ab");
        assertThat(options).containsExactly(6);
    }

    @Test
    void readLine_dropsTelnetCarriageReturnNul() throws Exception {
        byte[] bytes = {'o', 'k', '\r', 0, '\n'};
        // NUL is data as far as the decoder goes; removing controls is Text's job.
        assertThat(Text.stripControls(decoder(bytes, 100).readLine())).isEqualTo("ok");
    }

    @Test
    void readLine_rejectsOverlongLineThenGoesOnWithTheNext() throws Exception {
        LineDecoder lines = decoder(("x".repeat(11) + "\nnext\n").getBytes(StandardCharsets.UTF_8), 10);
        assertThatThrownBy(lines::readLine).isInstanceOf(LineTooLongException.class);
        assertThat(lines.readLine()).isEqualTo("next");
    }

    @Test
    void readLine_acceptsLineOfExactlyTheLimit() throws Exception {
        LineDecoder lines = decoder(("x".repeat(10) + "\n").getBytes(StandardCharsets.UTF_8), 10);
        assertThat(lines.readLine()).hasSize(10);
    }

    @Test
    void readLine_discardsHugeLineWithoutHoldingIt() throws Exception {
        long size = 50L * 1024 * 1024;
        InputStream endless = new InputStream() {
            private long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'y' : (left == -1 ? '\n' : -1);
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left < 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                if (n == 0) {
                    b[off] = '\n';
                    left = -1;
                    return 1;
                }
                java.util.Arrays.fill(b, off, off + n, (byte) 'y');
                left -= n;
                return n;
            }
        };
        LineDecoder lines = new LineDecoder(endless, 4096, 8192);
        assertThatThrownBy(lines::readLine).isInstanceOf(LineTooLongException.class);
        assertThat(lines.readLine()).isNull();
    }

    @Test
    void readLine_reportsOverlongLineCutByEndOfStream() throws IOException, LineTooLongException {
        LineDecoder lines = decoder("x".repeat(50).getBytes(StandardCharsets.UTF_8), 10);
        assertThatThrownBy(lines::readLine).isInstanceOf(LineTooLongException.class);
        assertThat(lines.readLine()).isNull();
    }
}
