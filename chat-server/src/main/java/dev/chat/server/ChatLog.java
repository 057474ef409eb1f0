package dev.chat.server;

import java.net.InetSocketAddress;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;

/**
 * The record of what happened in the chat: {@code chat.log}, one line per event, written
 * through the Log4j 2 logger {@code chat} and its own appender (see {@code log4j2.xml}).
 * Each line is on disk when the method returns.
 */
final class ChatLog {

    /** The logger that {@code log4j2.xml} routes to the chat.log appender. */
    static final String LOGGER_NAME = "chat";

    private final Logger log = LogManager.getLogger(LOGGER_NAME);

    /**
     * Writers share it; {@link #reopen()} takes it alone, so no line is written while the
     * files are being closed and opened again, and none is lost.
     */
    private final ReentrantReadWriteLock reopening = new ReentrantReadWriteLock();

    void started(InetSocketAddress address) {
        write("*** server started on {}:{}", address.getHostString(), address.getPort());
    }

    void stopped() {
        write("*** server stopped");
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

    void said(String name, String text) {
        write("<{}> {}", name, text);
    }

    void privateMessage(String from, String to, String text) {
        write("<{} -> {}> {}", from, to, text);
    }

    /**
     * Closes and reopens every log file, so that files moved away by an external rotation
     * are started anew, and reads {@code log4j2.xml} again. Blocks writers meanwhile.
     */
    void reopen() {
        reopening.writeLock().lock();
        try {
            // Log4j keeps a file open across a plain reconfigure; only a stop releases it.
            LoggerContext context = (LoggerContext) LogManager.getContext(false);
            context.stop();
            context.start();
        } finally {
            reopening.writeLock().unlock();
        }
    }

    private void write(String pattern, Object... arguments) {
        reopening.readLock().lock();
        try {
            log.info(pattern, arguments);
        } finally {
            reopening.readLock().unlock();
        }
    }
}
