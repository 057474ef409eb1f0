package dev.chat.server;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Makes hostile protocol input: random bytes, and valid lines mutated with what breaks
 * terminals and parsers (invalid UTF-8, NUL, escape sequences, bidirectional controls, C1
 * controls, bare CR, telnet IAC sequences, lines over the length limit). Each call returns
 * one line's bytes, ending in LF. Not thread-safe: one per sending thread.
 */
final class FuzzLines {

    private static final List<String> VALID = List.of(
            "hello everyone", "/who", "/help", "/msg observer psst", "/msg nobody-here hi", "//slash text",
            "/nosuchcommand arg", "/msg", "/MSG counter hey", "alice", "a.b-c_d", "text\twith\ttabs",
            "émoji ✓ 日本語 ok", "/msg observer ");

    private static final List<byte[]> NASTY = List.of(
            bytes(0x00), bytes(0x1B, '[', '3', '1', 'm'), bytes(0x1B, '[', '2', 'J'),
            bytes(0x1B, ']', '0', ';', 't', 'i', 't', 'l', 'e', 0x07), bytes(0x1B, 'c'), bytes(0x07), bytes(0x08),
            bytes(0x7F), bytes('\r'), bytes(0x0B), bytes(0x0C), bytes(0x1B),
            utf8("\u202E"), utf8("\u202A"), utf8("\u202B"), utf8("\u202C"), utf8("\u202D"), utf8("\u2066"),
            utf8("\u2067"), utf8("\u2068"), utf8("\u2069"), utf8("\u009B"), utf8("\u0085"), utf8("\u009D"),
            bytes(0x80), bytes(0xBF), bytes(0xC0, 0xAF), bytes(0xE0, 0x80, 0xAF), bytes(0xED, 0xA0, 0x80),
            bytes(0xE2, 0x82), bytes(0xF8, 0x88, 0x80, 0x80, 0x80), bytes(0xFE), bytes(0xF4, 0x90, 0x80, 0x80),
            bytes(0xFF, 0xFD, 0x06), bytes(0xFF, 0xFB, 0x01), bytes(0xFF, 0xFA, 0x18, 0x01, 0xFF, 0xF0),
            bytes(0xFF, 0xFF), bytes(0xFF), bytes(0xFF, 0xF4), bytes(0xFF, 0xFA, 0x1F));

    private final RandomGenerator random;
    private final int maxLineBytes;

    FuzzLines(RandomGenerator random, int maxLineBytes) {
        this.random = random;
        this.maxLineBytes = maxLineBytes;
    }

    /** The next hostile line, LF included. */
    byte[] next() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int kind = random.nextInt(100);
        if (kind < 20) {
            randomBytes(line, random.nextInt(200));
        } else if (kind < 22) {
            // Over the limit, so the server must discard it as it comes.
            randomText(line, maxLineBytes + 1 + random.nextInt(4 * maxLineBytes));
        } else {
            mutate(line, VALID.get(random.nextInt(VALID.size())).getBytes(StandardCharsets.UTF_8));
        }
        line.write(random.nextInt(10) == 0 ? '\r' : 'x');
        line.write('\n');
        return line.toByteArray();
    }

    /** A line's start without its end: to be followed by a close. */
    byte[] partial() {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        mutate(line, VALID.get(random.nextInt(VALID.size())).getBytes(StandardCharsets.UTF_8));
        return line.toByteArray();
    }

    private void mutate(ByteArrayOutputStream out, byte[] valid) {
        int insertions = 1 + random.nextInt(4);
        int at = 0;
        for (int i = 0; i < insertions; i++) {
            int next = at + random.nextInt(valid.length - at + 1);
            out.write(valid, at, next - at);
            at = next;
            if (random.nextInt(8) == 0) {
                randomBytes(out, 1 + random.nextInt(4));
            } else {
                out.writeBytes(NASTY.get(random.nextInt(NASTY.size())));
            }
        }
        out.write(valid, at, valid.length - at);
    }

    private void randomBytes(ByteArrayOutputStream out, int count) {
        for (int i = 0; i < count; i++) {
            int b = random.nextInt(256);
            out.write(b == '\n' ? 0x00 : b);
        }
    }

    private void randomText(ByteArrayOutputStream out, int count) {
        for (int i = 0; i < count; i++) {
            out.write('a' + random.nextInt(26));
        }
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
