package dev.chat.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Splits a byte stream into protocol lines.
 *
 * <p>A line ends with LF; CR is dropped wherever it stands, so CRLF and telnet's
 * CR NUL both work. Telnet negotiation (IAC sequences) is skipped. Bytes are decoded as
 * UTF-8 with every malformed sequence replaced by U+FFFD. A line longer than the limit is
 * discarded as it arrives, so memory stays bounded however long it is.
 *
 * <p>Not thread-safe: one reader thread owns an instance.
 */
public final class LineDecoder {

    private static final int LF = '\n';
    private static final int CR = '\r';
    private static final int IAC = 0xFF;
    private static final int SB = 250;
    private static final int SE = 240;
    private static final int WILL = 251;
    private static final int DO = 253;
    private static final int DONT = 254;
    /** Telnet's subnegotiations (terminal type, window size) are short; a longer one is not telnet. */
    private static final int MAX_SUBNEGOTIATION_BYTES = 64;

    private static final byte[] NOTHING = {};

    /** Where the decoder is within a telnet command. */
    private enum TelnetState { DATA, COMMAND, OPTION, SUBNEGOTIATION, SUBNEGOTIATION_IAC }

    private final InputStream in;
    private final IntConsumer doRequests;
    private final int maxLineBytes;
    private final int bufferBytes;
    /** What was read and not yet decoded, from {@link #bufferPos} to {@link #bufferEnd}; empty between reads. */
    private byte[] buffer = NOTHING;
    private int bufferPos;
    private int bufferEnd;

    private byte[] line = new byte[128];
    private int lineLength;
    private boolean discarding;
    private TelnetState telnet = TelnetState.DATA;
    private boolean telnetDo;
    private int subnegotiationBytes;

    private final CharsetDecoder decoder = Protocol.CHARSET.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);

    /**
     * @param in           the stream to read; its {@code available()} must not count more than
     *                     it can give without blocking (a socket's does not)
     * @param maxLineBytes the longest line accepted, in bytes without the terminator
     * @param bufferBytes  the most bytes to read from {@code in} at a time
     */
    public LineDecoder(InputStream in, int maxLineBytes, int bufferBytes) {
        this(in, maxLineBytes, bufferBytes, option -> { });
    }

    /**
     * Like {@link #LineDecoder(InputStream, int, int)}, and tells {@code doRequests} the option
     * of every telnet {@code IAC DO option} read, on the reading thread, so that a server can
     * answer the ones a telnet client waits for.
     */
    public LineDecoder(InputStream in, int maxLineBytes, int bufferBytes, IntConsumer doRequests) {
        if (maxLineBytes < 1 || bufferBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.in = in;
        this.doRequests = doRequests;
        this.maxLineBytes = maxLineBytes;
        this.bufferBytes = bufferBytes;
    }

    /**
     * Reads the next line, blocking the calling thread until one is complete.
     *
     * @return the line without its terminator, or {@code null} at end of stream (an
     *         unterminated last line is returned first)
     * @throws LineTooLongException when the line went over the limit; it has been read and
     *         dropped, and the next call reads the line after it
     * @throws IOException          when the stream fails
     */
    public String readLine() throws IOException, LineTooLongException {
        while (true) {
            if (bufferPos == bufferEnd && !fill()) {
                return endOfStream();
            }
            while (bufferPos < bufferEnd) {
                int b = buffer[bufferPos++] & 0xFF;
                if (!isData(b)) {
                    continue;
                }
                if (b == LF) {
                    return finishLine();
                }
                if (b != CR) {
                    append((byte) b);
                }
            }
        }
    }

    /**
     * Waits for input and reads what has arrived, up to {@code bufferBytes}. The wait itself
     * holds no buffer (a one-byte read), so that a server's many idle connections do not each
     * keep one; the rest is read into a buffer sized to what is there.
     *
     * @return false at end of stream
     */
    private boolean fill() throws IOException {
        buffer = NOTHING;
        int first = in.read();
        if (first < 0) {
            return false;
        }
        int more = Math.min(Math.max(in.available(), 0), bufferBytes - 1);
        buffer = new byte[1 + more];
        buffer[0] = (byte) first;
        int n = more > 0 ? in.read(buffer, 1, more) : 0;
        bufferPos = 0;
        bufferEnd = 1 + Math.max(n, 0);
        return true;
    }

    private String endOfStream() throws LineTooLongException {
        if (discarding) {
            discarding = false;
            throw new LineTooLongException(maxLineBytes);
        }
        return lineLength == 0 ? null : finishLine();
    }

    private String finishLine() throws LineTooLongException {
        if (discarding) {
            discarding = false;
            throw new LineTooLongException(maxLineBytes);
        }
        String text = decode();
        lineLength = 0;
        return text;
    }

    private void append(byte b) {
        if (discarding) {
            return;
        }
        if (lineLength == maxLineBytes) {
            discarding = true;
            lineLength = 0;
            return;
        }
        if (lineLength == line.length) {
            line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
        }
        line[lineLength++] = b;
    }

    /** Runs the telnet state machine over one byte; returns whether the byte is data. */
    private boolean isData(int b) {
        switch (telnet) {
            case DATA -> {
                if (b == IAC) {
                    telnet = TelnetState.COMMAND;
                    return false;
                }
                return true;
            }
            case COMMAND -> {
                if (b >= WILL && b <= DONT) {
                    telnet = TelnetState.OPTION;
                    telnetDo = b == DO;
                } else if (b == SB) {
                    telnet = TelnetState.SUBNEGOTIATION;
                    subnegotiationBytes = 0;
                } else {
                    // IAC IAC is a literal 0xFF, never valid UTF-8; other commands carry no data.
                    telnet = TelnetState.DATA;
                }
                return false;
            }
            case OPTION -> {
                telnet = TelnetState.DATA;
                if (telnetDo) {
                    doRequests.accept(b);
                }
                return false;
            }
            case SUBNEGOTIATION -> {
                if (b == IAC) {
                    telnet = TelnetState.SUBNEGOTIATION_IAC;
                } else if (++subnegotiationBytes > MAX_SUBNEGOTIATION_BYTES) {
                    // Stray bytes that only looked like telnet: stop skipping, so no line is swallowed.
                    telnet = TelnetState.DATA;
                    return true;
                }
                return false;
            }
            case SUBNEGOTIATION_IAC -> {
                telnet = b == SE ? TelnetState.DATA : TelnetState.SUBNEGOTIATION;
                return false;
            }
            default -> throw new AssertionError(telnet);
        }
    }

    private String decode() {
        if (lineLength == 0) {
            return "";
        }
        try {
            CharBuffer chars = decoder.reset().decode(ByteBuffer.wrap(line, 0, lineLength));
            return chars.toString();
        } catch (CharacterCodingException e) {
            // Cannot happen: the decoder replaces instead of reporting.
            throw new IllegalStateException(e);
        }
    }
}
