package dev.chat.console;

import dev.chat.client.Privacy;
import dev.chat.protocol.ServerLine;
import java.util.function.Supplier;

/**
 * What the session controller needs from a screen: show lines, read what the user types,
 * and be woken from a read when the session ends elsewhere. The show methods may be called
 * from any thread and never tear a half-typed line.
 */
public interface ConsoleView extends AutoCloseable {

    /** What a read from the user gave. */
    sealed interface Input {

        /** A line the user entered. */
        record Line(String text) implements Input {
        }

        /** The end of input: Ctrl+D on an empty line, or the end of a script's stdin. */
        record End() implements Input {
        }

        /** Ctrl+C. */
        record Interrupt() implements Input {
        }

        /** {@link #wake()} was called: something else decides what happens next. */
        record Woken() implements Input {
        }
    }

    /** Whether a person is typing (so a refused name can be asked for again). */
    boolean interactive();

    /**
     * Shows a line the server sent.
     *
     * @param room        the room the line belongs to, or null for lines of no room
     * @param me          the user's name, or null before signing on
     * @param currentRoom the room the user's plain lines go to, or null when in none
     */
    void show(ServerLine line, String room, String me, String currentRoom);

    /**
     * Shows a private message, to or from the user, with the text as written (opened when it came
     * sealed) and whether it was sealed.
     *
     * @param line a {@code PrivateMessage} or {@code PrivateSent}
     * @param me   the user's name
     */
    void showPrivate(ServerLine line, Privacy privacy, String me);

    /** Shows something the client itself has to say, e.g. that the connection is lost. */
    void notice(String text);

    /** Shows a debug detail (only called with {@code -v}). */
    void debug(String text);

    /**
     * Reads the next line, blocking the calling thread until the user enters one, input
     * ends, or {@link #wake()} is called.
     *
     * @param prompt what to show before the input, e.g. the user's name and room; asked again
     *               whenever {@link #promptChanged()} is called
     */
    Input read(Supplier<String> prompt);

    /** Reads a name to register, like {@link #read(Supplier)} but kept out of the history. */
    Input readName();

    /**
     * Asks the user a question, such as whether to trust a server, and reads the answer like
     * {@link #readName()}. Only called when {@link #interactive()}.
     */
    Input ask(String question);

    /**
     * Reads a secret, such as the server's password, without showing it and kept out of the
     * history. Only called when {@link #interactive()}.
     */
    Input readSecret(String prompt);

    /** Shows the prompt anew, as its supplier now gives it, if a read is going on. Any thread. */
    void promptChanged();

    /** Shows {@code status} in front of the prompt (null for none) while a read is going on. */
    void status(String status);

    /** Makes a {@link #read(Supplier)} that runs now, or the next one, return {@link Input.Woken}. */
    void wake();

    /** Saves the history and gives the terminal back as it was. */
    @Override
    void close();
}
