package dev.chat.server;

import dev.chat.protocol.identity.SealedToken;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.LoggingException;
import org.apache.logging.log4j.core.ErrorHandler;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.appender.RollingFileAppender;
import org.apache.logging.log4j.core.config.Configuration;

/**
 * The record of what happened in the chat: {@code chat.log}, one line per event, written
 * through the Log4j 2 logger {@code chat} and its own appender (see {@code log4j2.xml}).
 * Each line is on disk when the method returns.
 */
final class ChatLog {

    /** The logger that {@code log4j2.xml} routes to the chat.log appender. */
    static final String LOGGER_NAME = "chat";

    /** How often writing is tried again, by reopening the files, while it fails. */
    private static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

    private static final Logger diagnostic = LogManager.getLogger(ChatLog.class);

    private final Logger log = LogManager.getLogger(LOGGER_NAME);

    /**
     * In a cluster, the node that accepted what a line records, when it is not this one: set
     * while another node's event is carried out here.
     */
    static final ScopedValue<String> ACCEPTED_BY = ScopedValue.newInstance();

    /** In a cluster, this node's name, which starts its own lines; null for a server on its own. */
    private volatile String node;

    /**
     * Takes the place of Log4j's error handler on the chat.log appenders: that one prints a
     * stack trace to stderr for the first failures. {@link #write} hears of every failure
     * (the appender does not ignore them) and reports it once, in words.
     */
    private static final ErrorHandler REPORTED_BY_CHAT_LOG = new ErrorHandler() {
        @Override
        public void error(String message) {
        }

        @Override
        public void error(String message, Throwable failure) {
        }

        @Override
        public void error(String message, LogEvent event, Throwable failure) {
        }
    };

    ChatLog() {
        quietAppenders();
    }

    /** Gives the chat.log appenders the error handler above; again after every reconfiguration. */
    private void quietAppenders() {
        LoggerContext context = ((org.apache.logging.log4j.core.Logger) log).getContext();
        context.getConfiguration().getLoggerConfig(LOGGER_NAME).getAppenders().values()
                .forEach(appender -> appender.setHandler(REPORTED_BY_CHAT_LOG));
    }

    /** Whether the last write failed; the failure is reported when this turns true, the recovery when false. */
    private final AtomicBoolean failing = new AtomicBoolean();
    private volatile long lastReopenAttempt = System.nanoTime();
    /** Set after the last line: a session that ends later writes nothing after "server stopped". */
    private volatile boolean stopped;

    /**
     * Writers share it; {@link #reopen()} takes it alone, so no line is written while the
     * files are being closed and opened again, and none is lost. Static, as the logging
     * configuration it protects is the process's.
     */
    private static final ReentrantReadWriteLock reopening = new ReentrantReadWriteLock();

    void started(InetSocketAddress address, boolean tls) {
        write("*** server started on {}:{}{}", address.getHostString(), address.getPort(), tls ? " (TLS)" : "");
    }

    void stopped() {
        write("*** server stopped");
        stopped = true;
    }

    void joined(String name, String remote) {
        write("*** {} joined from {}", name, remote);
    }

    void left(String name, String reason) {
        write("*** {} left ({})", name, reason);
    }

    void nameRefused(String proposed, String remote, String why) {
        write("*** name \"{}\" refused for {}: {}", proposed, remote, why);
    }

    /** Something said in a room; {@code room} is null for the default room, whose lines name no room. */
    void said(String room, String name, String text) {
        write("{}<{}> {}", prefix(room), name, text);
    }

    /** An action ({@code /me}) in a room; {@code room} as for {@link #said}. */
    void acted(String room, String name, String text) {
        write("{}* {} {}", prefix(room), name, text);
    }

    void joinedRoom(String name, String room) {
        write("*** {} joined {}", name, room);
    }

    void leftRoom(String name, String room) {
        write("*** {} left {}", name, room);
    }

    void topicSet(String name, String room, String topic) {
        write("*** {} set the topic of {}: {}", name, room, topic);
    }

    /** Something an operator did, worded by {@code pattern}. */
    void operator(String pattern, Object... arguments) {
        write("*** " + pattern, arguments);
    }

    void renamed(String from, String to) {
        write("*** {} is now known as {}", from, to);
    }

    private static String prefix(String room) {
        return room == null ? "" : room + " ";
    }

    /**
     * A private message. One sealed for its recipient ({@code e2e1:…}) is recorded as having
     * passed, from whom to whom, never with its token: the server cannot read it, and a log of
     * tokens would keep for whoever steals a key every message sealed for it.
     */
    void privateMessage(String from, String to, String text) {
        if (SealedToken.looksSealed(text)) {
            write("*** sealed private message from {} to {}", from, to);
        } else {
            write("<{} -> {}> {}", from, to, text);
        }
    }

    /** {@code name} was registered to the key with {@code fingerprint}, or its key {@code replaced}. */
    void registered(String name, String fingerprint, boolean replaced) {
        write("*** {} {} key {}", name, replaced ? "registered its name to the new" : "registered its name to", fingerprint);
    }

    /**
     * {@code accepter} accepted {@code offerer}'s direct connection: who and when, never the
     * addresses the two were told (the connection log has them already, with each session).
     */
    void directConnection(String offerer, String accepter) {
        write("*** {} accepted a direct connection from {}", accepter, offerer);
    }

    /** The holder of {@code name} released its registration. */
    void released(String name) {
        write("*** {} released its registered name", name);
    }

    /**
     * Closes and reopens every log file, so that files moved away by an external rotation
     * are started anew, and reads {@code log4j2.xml} again. Blocks writers meanwhile.
     */
    void reopen() {
        reopening.writeLock().lock();
        try {
            // A plain reconfigure hands the open files over to the new configuration; stopping the
            // old one first closes them, so the new one opens them afresh. The context itself stays
            // registered, so loggers made later still share it.
            LoggerContext context = ((org.apache.logging.log4j.core.Logger) log).getContext();
            Configuration old = context.getConfiguration();
            old.stop();
            context.reconfigure();
            quietAppenders();
        } finally {
            reopening.writeLock().unlock();
        }
    }

    /**
     * Looks after the files; called every few hundred milliseconds by the server's watchdog.
     * Reopens them when one was removed, and, while writing fails, every few seconds, so
     * that writing resumes as soon as it can (space freed, file back, permission restored).
     */
    void watch() {
        boolean retryDue = failing.get() && System.nanoTime() - lastReopenAttempt > RETRY_INTERVAL.toNanos();
        if (retryDue || files().stream().anyMatch(file -> !Files.exists(file))) {
            lastReopenAttempt = System.nanoTime();
            if (!retryDue) {
                diagnostic.warn("chat.log was removed; starting a new one");
            }
            reopen();
        }
    }

    private List<Path> files() {
        LoggerContext context = ((org.apache.logging.log4j.core.Logger) log).getContext();
        return context.getConfiguration().getLoggerConfig(LOGGER_NAME).getAppenders().values().stream()
                .map(appender -> switch (appender) {
                    case RollingFileAppender rolling -> rolling.getFileName();
                    case FileAppender file -> file.getFileName();
                    default -> null;
                })
                .filter(Objects::nonNull)
                .map(Path::of)
                .toList();
    }

    /** Starts every line with {@code [node]}, the node that accepted what it records: this one unless said otherwise. */
    void inCluster(String nodeName) {
        node = nodeName;
    }

    private void write(String pattern, Object... arguments) {
        if (stopped) {
            return;
        }
        String self = node;
        String line = self == null ? pattern : "[" + ACCEPTED_BY.orElse(self) + "] " + pattern;
        reopening.readLock().lock();
        try {
            log.info(line, arguments);
            if (failing.compareAndSet(true, false)) {
                diagnostic.warn("chat.log is written again");
                System.err.println("chat-server: chat.log is written again");
            }
        } catch (LoggingException e) {
            // Disk full, file gone, permission lost: the chat goes on; the failure is reported once.
            if (failing.compareAndSet(false, true)) {
                lastReopenAttempt = System.nanoTime();
                String cause = rootMessage(e);
                diagnostic.error("cannot write chat.log ({}); the chat goes on, and writing is tried again every {} s",
                        cause, RETRY_INTERVAL.toSeconds());
                System.err.println("chat-server: cannot write chat.log (" + cause + "); the chat goes on, "
                        + "and writing is tried again every " + RETRY_INTERVAL.toSeconds() + " s");
            }
        } finally {
            reopening.readLock().unlock();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
