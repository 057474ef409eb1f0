package dev.chat.protocol;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** Constants of the wire protocol that both sides rely on. */
public final class Protocol {

    /** Every line on the wire is UTF-8. */
    public static final Charset CHARSET = StandardCharsets.UTF_8;

    /** The port a server listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 5555;

    /** The port a server listens on for TLS connections unless told otherwise. */
    public static final int DEFAULT_TLS_PORT = 5556;

    /** The longest line, in bytes without its terminator, a server accepts by default. */
    public static final int DEFAULT_MAX_LINE_BYTES = 4096;

    /** A line that starts with this is a command; a line that starts with it twice is text. */
    public static final char COMMAND_PREFIX = '/';

    /** How many names a {@code /who} page lists at most. */
    public static final int NAMES_PER_PAGE = 100;

    private Protocol() {
    }
}
