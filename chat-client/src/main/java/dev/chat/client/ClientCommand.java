package dev.chat.client;

import dev.chat.protocol.ClientLine;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands the project's clients answer themselves, about the user's keys, rather than
 * passing them to the server; both clients read, complete and explain them from this table.
 * {@code /register} typed with arguments is the server's own command and goes to it as typed.
 */
public enum ClientCommand {
    REGISTER("register", "", "register your name to your key: from then on only you can sign on with it"),
    VERIFY("verify", "NAME", "show the safety number to compare with NAME, and mark NAME verified if it matches"),
    ACCEPT("accept", "NAME", "accept that NAME's key changed (or went) and send the messages that wait for it");

    private final String word;
    private final String argumentSyntax;
    private final String description;

    ClientCommand(String word, String argumentSyntax, String description) {
        this.word = word;
        this.argumentSyntax = argumentSyntax;
        this.description = description;
    }

    /** A client command as typed: the command and its argument (a name), empty for {@link #REGISTER}. */
    public record Invocation(ClientCommand command, String argument) {

        /** Whether the argument the command needs is there. */
        public boolean complete() {
            return command.argumentSyntax.isEmpty() || !argument.isEmpty();
        }
    }

    /** The word after the slash, e.g. {@code verify}. */
    public String word() {
        return word;
    }

    /** How the command is written, e.g. {@code /verify NAME}. */
    public String usage() {
        return argumentSyntax.isEmpty() ? "/" + word : "/" + word + " " + argumentSyntax;
    }

    /** What the command does. */
    public String description() {
        return description;
    }

    /** Whether the command's argument is a user's name (to complete). */
    public boolean takesName() {
        return argumentSyntax.equals("NAME");
    }

    /**
     * {@code typed} as one of these commands, or empty: a line for the server. {@code /register}
     * with arguments is the server's.
     */
    public static Optional<Invocation> parse(String typed) {
        if (!(ClientLine.parse(typed) instanceof ClientLine.Invocation invocation)) {
            return Optional.empty();
        }
        String wanted = invocation.word().toLowerCase(Locale.ROOT);
        String argument = invocation.argumentText().strip();
        for (ClientCommand command : values()) {
            if (command.word.equals(wanted)) {
                if (command == REGISTER && !argument.isEmpty()) {
                    return Optional.empty();
                }
                return Optional.of(new Invocation(command, argument));
            }
        }
        return Optional.empty();
    }

    /** The commands, as lines of help: {@code /verify NAME — …}. */
    public static List<String> help() {
        return java.util.Arrays.stream(values()).map(c -> c.usage() + " \u2014 " + c.description()).toList();
    }
}
