package dev.chat.console;

import static org.awaitility.Awaitility.await;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/**
 * A console client running inside the test JVM, exactly as {@code ConsoleMain} runs it,
 * but typed at through a {@link Keyboard} and read from a {@link Screen}.
 */
final class ClientRun implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(15);

    final Keyboard keyboard = new Keyboard();
    /** The terminal in interactive runs; stdout in script runs. */
    final Screen screen = new Screen();
    final Screen errors = new Screen();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();

    private ClientRun() {
    }

    /** A person at a JLine {@link DumbTerminal} of {@code type} ("dumb" or "dumb-color"). */
    static ClientRun interactive(Path home, String type, Map<String, String> variables, String... args) {
        ClientRun run = new ClientRun();
        return run.start(home, variables, () -> run.openTerminal(type), args);
    }

    /** A person at a plain dumb terminal, with no environment variables. */
    static ClientRun interactive(Path home, String... args) {
        return interactive(home, "dumb", Map.of(), args);
    }

    /** A script: input is not a terminal. */
    static ClientRun script(Path home, String... args) {
        return new ClientRun().start(home, Map.of(), () -> null, args);
    }

    private Terminal openTerminal(String type) throws java.io.IOException {
        Terminal terminal = new DumbTerminal("test", type, keyboard, screen, StandardCharsets.UTF_8);
        // A real terminal's line settings: Ctrl+C interrupts, Ctrl+D ends input.
        Attributes attributes = terminal.getAttributes();
        attributes.setLocalFlag(Attributes.LocalFlag.ISIG, true);
        attributes.setControlChar(Attributes.ControlChar.VINTR, 3);
        attributes.setControlChar(Attributes.ControlChar.VEOF, 4);
        // Unset signal characters read as -1, which would swallow the end of input.
        attributes.setControlChar(Attributes.ControlChar.VQUIT, 28);
        attributes.setControlChar(Attributes.ControlChar.VSUSP, 26);
        attributes.setControlChar(Attributes.ControlChar.VSTATUS, 20);
        terminal.setAttributes(attributes);
        terminal.setSize(new Size(120, 40));
        return terminal;
    }

    private ClientRun start(Path home, Map<String, String> variables, ConsoleEnvironment.TerminalSource terminals,
            String... args) {
        ConsoleEnvironment environment = new ConsoleEnvironment(keyboard,
                new PrintStream(screen, true, StandardCharsets.UTF_8),
                new PrintStream(errors, true, StandardCharsets.UTF_8),
                variables, home, terminals);
        Thread.ofPlatform().daemon().name("console-under-test").start(() -> {
            try {
                status.complete(ConsoleMain.run(args, environment, false));
            } catch (Throwable t) {
                status.completeExceptionally(t);
            }
        });
        return this;
    }

    void type(String keys) {
        keyboard.type(keys);
    }

    /** Waits until the screen shows {@code text}. */
    void awaitScreen(String text) {
        await().atMost(WAIT).until(() -> screen.text().contains(text));
    }

    /** Waits for the client to end and returns its exit status. */
    int awaitExit() throws Exception {
        return status.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean exited() {
        return status.isDone();
    }

    /** Ends input, so a client still running leaves, and waits for it to end. */
    @Override
    public void close() {
        keyboard.close();
        try {
            status.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("the client did not end at the end of input", e);
        }
    }
}
