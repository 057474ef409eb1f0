package dev.chat.console;

import dev.chat.client.Privacy;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.Text;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The screen for scripts, used when input is not a terminal: received lines go to stdout as
 * plain wire text, the client's own notices to stderr, and input lines are read by a thread
 * named {@code stdin-reader} so that a read can be woken when the session ends.
 */
public final class PlainView implements ConsoleView {

    private static final Logger LOG = Logger.getLogger(PlainView.class.getName());

    private final PrintStream out;
    private final PrintStream err;
    /** Everything read from stdin, then one End; Woken whenever wake() is called. */
    private final BlockingQueue<Input> inputs = new LinkedBlockingQueue<>();
    private volatile boolean ended;

    public PlainView(InputStream in, PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, Protocol.CHARSET));
        Thread.ofPlatform().daemon().name("stdin-reader").start(() -> readAll(lines));
    }

    private void readAll(BufferedReader lines) {
        try {
            String line;
            while ((line = lines.readLine()) != null) {
                inputs.add(new Input.Line(line));
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot read stdin", e);
        }
        inputs.add(new Input.End());
    }

    @Override
    public boolean interactive() {
        return false;
    }

    @Override
    public void show(ServerLine line, String room, String me, String currentRoom) {
        out.println(Text.stripControls(line.format()));
    }

    /**
     * A script gets the line in the protocol's grammar, as a plain private message would come,
     * with the text opened: so that what reads the output parses it as any other line.
     */
    @Override
    public void showPrivate(ServerLine line, Privacy privacy, String me) {
        out.println(Text.stripControls(line.format()));
    }

    @Override
    public void notice(String text) {
        err.println(Text.stripControls(text));
    }

    @Override
    public void debug(String text) {
        err.println(text);
    }

    @Override
    public Input read(Supplier<String> prompt) {
        if (ended) {
            return new Input.End();
        }
        try {
            Input input = inputs.take();
            if (input instanceof Input.End) {
                ended = true;
            }
            return input;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Input.Interrupt();
        }
    }

    @Override
    public Input readName() {
        return read(() -> "");
    }

    /** A script's input is chat lines, not answers: there is nobody to ask. */
    @Override
    public Input ask(String question) {
        return new Input.End();
    }

    /** A script's input is chat lines, not secrets: there is nobody to ask. */
    @Override
    public Input readSecret(String prompt) {
        return new Input.End();
    }

    @Override
    public void promptChanged() {
        // A script has no prompt.
    }

    @Override
    public void status(String status) {
        // A script sees the reconnect attempts as notices; there is no prompt to decorate.
    }

    @Override
    public void wake() {
        inputs.add(new Input.Woken());
    }

    @Override
    public void close() {
        out.flush();
        err.flush();
    }
}
