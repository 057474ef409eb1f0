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
 * @param tls  whether it is the TLS listener's line, or the web listener's over HTTPS
 * @param bind the address listened on, as given
 * @param port the port listened on
 * @param web  whether it is the web listener's line (the page and its WebSocket)
 */
public record ListeningLine(boolean tls, String bind, int port, boolean web) {

    /** {@code chat-server listening on BIND:PORT, …} or {@code chat-server listening with TLS on BIND:PORT, …}. */
    private static final Pattern LINE = Pattern.compile("chat-server listening (with TLS )?on (.+?):(\\d{1,5}), .*");
    /** {@code chat-server metrics on BIND:PORT, http://…}. */
    private static final Pattern METRICS_LINE = Pattern.compile("chat-server metrics on .+?:(\\d{1,5}), http://.*");
    /** {@code chat-server listening for the web client on http://BIND:PORT/} (or https). */
    private static final Pattern WEB_LINE = Pattern.compile(
            "chat-server listening for the web client on http(s?)://(.+?):(\\d{1,5})/");

    /** A plain-text or TLS listener's line. */
    public ListeningLine(boolean tls, String bind, int port) {
        this(tls, bind, port, false);
    }

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

    /** The web listener's line: the address a browser opens. */
    static String web(String bind, int port, boolean tls) {
        return "chat-server listening for the web client on http" + (tls ? "s" : "") + "://" + bind + ":" + port + "/";
    }

    /** What {@code line} says, if it is a listening line; empty for any other line of output. */
    public static Optional<ListeningLine> parse(String line) {
        Matcher matcher = LINE.matcher(line);
        if (matcher.matches()) {
            return Optional.of(new ListeningLine(matcher.group(1) != null, matcher.group(2),
                    Integer.parseInt(matcher.group(3))));
        }
        Matcher web = WEB_LINE.matcher(line);
        if (web.matches()) {
            return Optional.of(new ListeningLine(!web.group(1).isEmpty(), web.group(2), Integer.parseInt(web.group(3)),
                    true));
        }
        return Optional.empty();
    }
}
