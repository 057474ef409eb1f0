package dev.chat.client.direct;

import dev.chat.protocol.NameRules;
import dev.chat.protocol.identity.Base64Url;

/**
 * Every line of a direct connection between two clients, as a value: {@link #format()} writes
 * it and {@link #parse(String)} reads it back; {@code docs/protocol.md} gives the same grammar.
 *
 * <pre>
 * line   = "HELLO " name " " signature           ; Hello: the first line, each way
 *        / "PROVED"                              ; Proved: the second, once the other's Hello checked out
 *        / "SAY " text                           ; Say: a private chat line
 *        / "FILE " id " " size " " file-name      ; FileOffer
 *        / "ACCEPT " id                          ; Accept: send the file
 *        / "REFUSE " id " " text                 ; Refuse, and why
 *        / "DATA " id " " base64url              ; Data: 1 to 32,768 bytes of the file
 *        / "END " id " " base64url               ; End: the SHA-256 of the whole file
 *        / "RECEIVED " id                        ; Received: saved whole, the SHA-256 matching
 *        / "CANCEL " id " " text                 ; Cancel: either side gives up, and why
 * id     = 1*9DIGIT                              ; chosen by the sender of the file
 * size   = 1*13DIGIT                             ; bytes, at most the receiver's limit
 * </pre>
 */
public sealed interface LinkLine {

    /** How many bytes of a file one {@link Data} line carries at most. */
    int CHUNK_BYTES = 32 * 1024;
    /** The longest line either side sends or takes, in bytes. */
    int MAX_LINE_BYTES = 48 * 1024;

    /** The line without its terminator. */
    String format();

    /** The first line each way: who the sender is and its proof ({@code DirectProof}). */
    record Hello(String name, String signature) implements LinkLine {
        @Override
        public String format() {
            return "HELLO " + name + " " + signature;
        }
    }

    /** The sender checked the other side's {@link Hello}: the connection is open. */
    record Proved() implements LinkLine {
        @Override
        public String format() {
            return "PROVED";
        }
    }

    /** A line said privately to the other side. */
    record Say(String text) implements LinkLine {
        @Override
        public String format() {
            return "SAY " + text;
        }
    }

    /** The sender offers a file of {@code size} bytes named {@code fileName}. */
    record FileOffer(long id, long size, String fileName) implements LinkLine {
        @Override
        public String format() {
            return "FILE " + id + " " + size + " " + fileName;
        }
    }

    /** The receiver takes file {@code id}: its data may come. */
    record Accept(long id) implements LinkLine {
        @Override
        public String format() {
            return "ACCEPT " + id;
        }
    }

    /** The receiver does not take file {@code id}. */
    record Refuse(long id, String reason) implements LinkLine {
        @Override
        public String format() {
            return "REFUSE " + id + " " + reason;
        }
    }

    /** The next bytes of file {@code id}. */
    record Data(long id, byte[] bytes) implements LinkLine {
        @Override
        public String format() {
            return "DATA " + id + " " + Base64Url.encode(bytes);
        }
    }

    /** File {@code id} is all sent; its SHA-256. */
    record End(long id, byte[] sha256) implements LinkLine {
        @Override
        public String format() {
            return "END " + id + " " + Base64Url.encode(sha256);
        }
    }

    /** The receiver saved file {@code id} whole, its SHA-256 matching. */
    record Received(long id) implements LinkLine {
        @Override
        public String format() {
            return "RECEIVED " + id;
        }
    }

    /** Either side gives file {@code id} up. */
    record Cancel(long id, String reason) implements LinkLine {
        @Override
        public String format() {
            return "CANCEL " + id + " " + reason;
        }
    }

    /** A line this version does not know; ignored, so that a newer client may add lines. */
    record Unknown(String raw) implements LinkLine {
        @Override
        public String format() {
            return raw;
        }
    }

    /** Reads a line (without its terminator); never throws, never returns null. */
    static LinkLine parse(String line) {
        int blank = line.indexOf(' ');
        if (blank < 0) {
            return line.equals("PROVED") ? new Proved() : new Unknown(line);
        }
        String rest = line.substring(blank + 1);
        LinkLine parsed = switch (line.substring(0, blank)) {
            case "HELLO" -> hello(rest);
            case "SAY" -> new Say(rest);
            case "FILE" -> fileOffer(rest);
            case "ACCEPT" -> {
                Long id = number(rest, 9);
                yield id == null ? null : new Accept(id);
            }
            case "RECEIVED" -> {
                Long id = number(rest, 9);
                yield id == null ? null : new Received(id);
            }
            case "REFUSE", "CANCEL" -> withReason(line.substring(0, blank), rest);
            case "DATA" -> bytes(rest, false);
            case "END" -> bytes(rest, true);
            default -> null;
        };
        return parsed != null ? parsed : new Unknown(line);
    }

    private static LinkLine hello(String rest) {
        int blank = rest.indexOf(' ');
        if (blank < 0 || !NameRules.isValid(rest.substring(0, blank))) {
            return null;
        }
        return new Hello(rest.substring(0, blank), rest.substring(blank + 1));
    }

    private static LinkLine fileOffer(String rest) {
        String[] parts = rest.split(" ", 3);
        if (parts.length != 3 || parts[2].isEmpty()) {
            return null;
        }
        Long id = number(parts[0], 9);
        Long size = number(parts[1], 13);
        return id == null || size == null ? null : new FileOffer(id, size, parts[2]);
    }

    private static LinkLine withReason(String word, String rest) {
        int blank = rest.indexOf(' ');
        Long id = number(blank < 0 ? rest : rest.substring(0, blank), 9);
        if (id == null) {
            return null;
        }
        String reason = blank < 0 ? "" : rest.substring(blank + 1);
        return word.equals("REFUSE") ? new Refuse(id, reason) : new Cancel(id, reason);
    }

    private static LinkLine bytes(String rest, boolean end) {
        int blank = rest.indexOf(' ');
        Long id = blank < 0 ? null : number(rest.substring(0, blank), 9);
        byte[] bytes = id == null ? null : Base64Url.decode(rest.substring(blank + 1));
        if (bytes == null) {
            return null;
        }
        if (end) {
            return bytes.length == 32 ? new End(id, bytes) : null;
        }
        return bytes.length >= 1 && bytes.length <= CHUNK_BYTES ? new Data(id, bytes) : null;
    }

    /** A number of at most {@code digits} digits, or null. */
    private static Long number(String text, int digits) {
        if (text.isEmpty() || text.length() > digits || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(text);
    }
}
