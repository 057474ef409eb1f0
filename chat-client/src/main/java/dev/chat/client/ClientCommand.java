package dev.chat.client;

import dev.chat.protocol.ClientLine;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The commands the project's clients answer themselves, about the user's keys and direct
 * connections, rather than passing them to the server; both clients read, complete and explain them from this table.
 * {@code /register} typed with arguments is the server's own command and goes to it as typed.
 */
public enum ClientCommand {
    REGISTER("register", "", "register your name to your key: from then on only you can sign on with it"),
    VERIFY("verify", "NAME", "show the safety number to compare with NAME, and mark NAME verified if it matches"),
    ACCEPT("accept", "NAME", "accept that NAME's key changed (or went) and send the messages that wait for it"),
    DIRECT("direct", "NAME", "ask NAME for a direct connection between your clients, or accept the one NAME offered"),
    DECLINE("decline", "NAME", "decline the direct connection NAME offered"),
    SEND("send", "NAME FILE", "send FILE to NAME over your direct connection"),
    HANGUP("hangup", "NAME", "close the direct connection with NAME");

    private final String word;
    private final String argumentSyntax;
    private final String description;

    ClientCommand(String word, String argumentSyntax, String description) {
        this.word = word;
        this.argumentSyntax = argumentSyntax;
        this.description = description;
    }

    /**
     * A client command as typed: the command and its argument (a name; for {@link #SEND} a name,
     * a blank and a file), empty for {@link #REGISTER}.
     */
    public record Invocation(ClientCommand command, String argument) {

        /** Whether the arguments the command needs are there. */
        public boolean complete() {
            if (command == SEND) {
                return argument.indexOf(' ') > 0 && !file().isEmpty();
            }
            return command.argumentSyntax.isEmpty() || !argument.isEmpty();
        }

        /** The name: the argument's first word. */
        public String name() {
            int blank = argument.indexOf(' ');
            return blank < 0 ? argument : argument.substring(0, blank);
        }

        /** What follows the name: for {@link #SEND}, the file, blanks and all. */
        public String file() {
            int blank = argument.indexOf(' ');
            return blank < 0 ? "" : argument.substring(blank + 1).strip();
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

    /** Whether the command's first argument is a user's name (to complete). */
    public boolean takesName() {
        return argumentSyntax.startsWith("NAME");
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
