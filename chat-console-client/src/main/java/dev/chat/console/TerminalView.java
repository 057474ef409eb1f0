package dev.chat.console;

import dev.chat.client.Privacy;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * The interactive screen: JLine reads the user's line with completion and history, and
 * every other thread prints through {@link LineReader#printAbove}, so the half-typed line
 * and the cursor stay where they are.
 */
public final class TerminalView implements ConsoleView {

    /** JLine's history-ignore patterns (':' separates them, '*' is any text): commands that carry a password. */
    static final String HISTORY_IGNORE = "/oper *:/OPER *:/Oper *:/pass *:/PASS *:/Pass *";


    private static final Logger LOG = Logger.getLogger(TerminalView.class.getName());
    private static final String REFRESH_PROMPT = "chat-refresh-prompt";

    private final Terminal terminal;
    /** The implementation, for setPrompt while a read runs (not on the LineReader interface). */
    private final LineReaderImpl reader;
    private final LineStyle style;
    private volatile boolean wakeRequested;
    private volatile String status;
    private volatile Supplier<String> prompt = () -> "";

    /**
     * @param history the file that keeps input history across runs; its directory is created
     */
    public TerminalView(Terminal terminal, LineStyle style, ChatCompleter completer, Path history) {
        this.terminal = terminal;
        this.style = style;
        DefaultParser parser = new DefaultParser();
        // Chat text is not shell text: quotes and backslashes mean nothing special.
        parser.setQuoteChars(new char[0]);
        parser.setEscapeChars(new char[0]);
        try {
            Files.createDirectories(history.getParent());
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot create the history directory " + history.getParent(), e);
        }
        this.reader = (LineReaderImpl) LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("chat")
                .completer(completer)
                .parser(parser)
                .variable(LineReader.HISTORY_FILE, history)
                // Lines with a password never go into the history file.
                .variable(LineReader.HISTORY_IGNORE, HISTORY_IGNORE)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.CASE_INSENSITIVE, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, false)
                // The server echoes what was sent, stamped: the typed line would only repeat it.
                .option(LineReader.Option.ERASE_LINE_ON_FINISH, true)
                .build();
        reader.getWidgets().put(LineReader.CALLBACK_INIT, () -> {
            // wake() came after read() looked but before JLine took the INT signal: end this read now.
            if (wakeRequested) {
                Thread.currentThread().interrupt();
            }
            // The prompt may have changed after read() asked for it, while no read was there to redraw.
            reader.setPrompt(fullPrompt());
            return true;
        });
        reader.getWidgets().put(REFRESH_PROMPT, () -> {
            reader.setPrompt(fullPrompt());
            reader.callWidget(LineReader.REDRAW_LINE);
            reader.callWidget(LineReader.REDISPLAY);
            return true;
        });
    }

    /** The terminal this view draws on. */
    Terminal terminal() {
        return terminal;
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public void show(ServerLine line, String room, String me, String currentRoom) {
        if (line instanceof ServerLine.NamePrompt || line instanceof ServerLine.PasswordPrompt) {
            // readName() and readSecret() ask with prompts of their own, on the input line.
            return;
        }
        reader.printAbove(style.render(line, room, me, currentRoom));
    }

    @Override
    public void showPrivate(ServerLine line, Privacy privacy, String me) {
        reader.printAbove(style.renderPrivate(line, privacy, me));
    }

    @Override
    public void notice(String text) {
        reader.printAbove(style.notice(text));
    }

    @Override
    public void debug(String text) {
        reader.printAbove(new AttributedString(text, AttributedStyle.DEFAULT.faint()));
    }

    @Override
    public Input read(Supplier<String> promptText) {
        return readLine(promptText, false, null);
    }

    @Override
    public Input readName() {
        return readLine(() -> "Your name: ", true, null);
    }

    @Override
    public Input ask(String question) {
        return readLine(() -> question, true, null);
    }

    @Override
    public Input readSecret(String promptText) {
        return readLine(() -> promptText, true, LineReaderImpl.NULL_MASK);
    }

    /** @param mask shown for each typed character ({@link LineReaderImpl#NULL_MASK}: nothing), or null to echo */
    private Input readLine(Supplier<String> promptText, boolean keepOutOfHistory, Character mask) {
        if (wakeRequested) {
            wakeRequested = false;
            return new Input.Woken();
        }
        prompt = promptText;
        reader.setVariable(LineReader.DISABLE_HISTORY, keepOutOfHistory);
        try {
            return new Input.Line(reader.readLine(fullPrompt(), mask));
        } catch (EndOfFileException e) {
            return new Input.End();
        } catch (UserInterruptException e) {
            // JLine ends a read by interrupting this thread; that interrupt has done its job.
            Thread.interrupted();
            if (wakeRequested) {
                wakeRequested = false;
                return new Input.Woken();
            }
            return new Input.Interrupt();
        } finally {
            reader.setVariable(LineReader.DISABLE_HISTORY, false);
        }
    }

    @Override
    public void promptChanged() {
        refreshPrompt();
    }

    @Override
    public void status(String newStatus) {
        status = newStatus;
        refreshPrompt();
    }

    private void refreshPrompt() {
        if (reader.isReading()) {
            try {
                reader.callWidget(REFRESH_PROMPT);
            } catch (IllegalStateException e) {
                // The read ended in between; the next one shows the prompt as it is then.
            }
        }
    }

    private String fullPrompt() {
        String current = status;
        String shown = prompt.get();
        return current == null ? shown : "(" + current + ") " + shown;
    }

    @Override
    public void wake() {
        wakeRequested = true;
        // While a read runs, JLine answers INT by interrupting the reading thread.
        terminal.raise(Terminal.Signal.INT);
    }

    @Override
    public void close() {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot save the history", e);
        }
        try {
            terminal.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot restore the terminal", e);
        }
    }
}
