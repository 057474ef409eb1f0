package dev.chat.server;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line the server prints on stdout once a listener is open, one per listener: what
 * whoever starts the server as a process waits for, and where it reads the port when the
 * server picked a free one. Written and read here only.
 *
 * @param tls  whether it is the TLS listener's line
 * @param bind the address listened on, as given
 * @param port the port listened on
 */
public record ListeningLine(boolean tls, String bind, int port) {

    /** {@code chat-server listening on BIND:PORT, …} or {@code chat-server listening with TLS on BIND:PORT, …}. */
    private static final Pattern LINE = Pattern.compile("chat-server listening (with TLS )?on (.+?):(\\d{1,5}), .*");
    /** {@code chat-server metrics on BIND:PORT, http://…}. */
    private static final Pattern METRICS_LINE = Pattern.compile("chat-server metrics on .+?:(\\d{1,5}), http://.*");

    /** The plain-text listener's line. */
    static String plain(String bind, int port, Path chatLog) {
        return "chat-server listening on " + bind + ":" + port + ", chat log " + chatLog.toAbsolutePath();
    }

    /** The TLS listener's line. */
    static String tls(String bind, int port, String fingerprint) {
        return "chat-server listening with TLS on " + bind + ":" + port + ", certificate SHA-256 fingerprint "
                + fingerprint;
    }

    /**
     * The metrics endpoint's line, {@code chat-server metrics on BIND:PORT, http://BIND:PORT/metrics}: not
     * a listening line for chat, so that whoever waits for one passes it over.
     */
    static String metrics(String bind, int port) {
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        return "chat-server metrics on " + bind + ":" + port + ", http://" + host + ":" + port + "/metrics";
    }

    /** The port the metrics endpoint's line names, if {@code line} is that line. */
    public static OptionalInt parseMetricsPort(String line) {
        Matcher matcher = METRICS_LINE.matcher(line);
        return matcher.matches() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
    }

    /** What {@code line} says, if it is a listening line; empty for any other line of output. */
    public static Optional<ListeningLine> parse(String line) {
        Matcher matcher = LINE.matcher(line);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ListeningLine(matcher.group(1) != null, matcher.group(2),
                Integer.parseInt(matcher.group(3))));
    }
}
