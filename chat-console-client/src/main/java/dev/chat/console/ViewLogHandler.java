package dev.chat.console;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** The debug log of {@code -v}: every record goes through the view, so it never tears the input line. */
final class ViewLogHandler extends Handler {

    private final ConsoleView view;

    ViewLogHandler(ConsoleView view) {
        this.view = view;
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        StringBuilder text = new StringBuilder("debug: ").append(record.getMessage());
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            text.append(System.lineSeparator()).append(trace.toString().stripTrailing());
        }
        view.debug(text.toString());
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
