package dev.chat.console;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * What the client runs in: its standard streams, the environment variables, the home
 * directory, and a terminal when there is one. Tests hand in their own.
 *
 * @param terminals opens the terminal to talk to a person, or returns null when input is not a terminal
 */
public record ConsoleEnvironment(
        InputStream in,
        PrintStream out,
        PrintStream err,
        Map<String, String> variables,
        Path home,
        TerminalSource terminals) {

    /** Opens the terminal, if any. */
    @FunctionalInterface
    public interface TerminalSource {

        /**
         * Returns the terminal to talk to a person through, or null when there is none.
         *
         * @throws IOException when a terminal is there but cannot be opened
         */
        Terminal open() throws IOException;
    }

    /** The process's own streams, variables and home; a system terminal when stdin and stdout are one. */
    public static ConsoleEnvironment system() {
        // The protocol is UTF-8; scripts reading our output get it unchanged.
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        return new ConsoleEnvironment(System.in, out, err, System.getenv(),
                Path.of(System.getProperty("user.home")), ConsoleEnvironment::systemTerminal);
    }

    private static Terminal systemTerminal() throws IOException {
        java.io.Console console = System.console();
        if (console == null || !console.isTerminal()) {
            return null;
        }
        // The FFM provider talks to the terminal directly; the exec provider runs stty for every
        // change, which costs about a second at start. FFM needs native access, and without it
        // the JVM would print restricted-method warnings over the chat, so it is used only where
        // the launcher has enabled native access (--enable-native-access); exec is the fallback.
        boolean nativeAccess = ConsoleEnvironment.class.getModule().isNativeAccessEnabled();
        return TerminalBuilder.builder().system(true).name("chat").ffm(nativeAccess).jni(false).jansi(false)
                .exec(true).build();
    }

    /** Whether the user asked for no colours through the environment (https://no-color.org). */
    boolean noColorVariable() {
        String value = variables.get("NO_COLOR");
        return value != null && !value.isEmpty();
    }
}
