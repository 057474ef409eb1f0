package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.AppenderLoggingException;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** chat.log when the disk is full: the chat goes on, the failure is reported once, writing resumes. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChatLogTest {

    /** Fails every write while {@link #full} is set, as a file on a full disk does. */
    private static final class DiskFullAppender extends AbstractAppender {
        volatile boolean full = true;
        volatile int written;

        DiskFullAppender() {
            super("disk-full", null, null, false, Property.EMPTY_ARRAY);
        }

        @Override
        public void append(LogEvent event) {
            if (full) {
                throw new AppenderLoggingException("No space left on device");
            }
            written++;
        }
    }

    private final DiskFullAppender disk = new DiskFullAppender();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void attachFailingAppender() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        disk.start();
        context.getConfiguration().getLoggerConfig(ChatLog.LOGGER_NAME).addAppender(disk, null, null);
        context.updateLoggers();
        originalErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void detach() {
        System.setErr(originalErr);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LoggerConfig chat = context.getConfiguration().getLoggerConfig(ChatLog.LOGGER_NAME);
        chat.removeAppender(disk.getName());
        context.updateLoggers();
        disk.stop();
    }

    @Test
    void failingWrites_areReportedOnceNotPerLine_andRecoveryIsReported() {
        ChatLog chatLog = new ChatLog();   // after the failing appender is attached: it quietens it too
        for (int i = 0; i < 20; i++) {
            chatLog.said(null, "alice", "line " + i);   // must not throw: the chat goes on
        }
        String report = stderr.toString(StandardCharsets.UTF_8);
        assertThat(report.lines().filter(line -> line.contains("cannot write chat.log"))).hasSize(1);
        assertThat(report).as("no stack trace for the admin").doesNotContain("\tat ", "Exception");
        assertThat(report).contains("No space left on device");

        disk.full = false;
        chatLog.said(null, "alice", "space is back");
        chatLog.said(null, "alice", "and again");
        assertThat(disk.written).isEqualTo(2);
        assertThat(stderr.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("chat.log is written again"))).hasSize(1);
    }
}
