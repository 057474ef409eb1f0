package dev.chat.server;

import dev.chat.protocol.ClientLine;
import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the server does with each line a client sends. Every {@link Command} has one handler;
 * who may run it ({@link Command#access()}) and its arguments are checked here, once, before
 * the handler runs.
 */
final class CommandTable {

    /** Carries out one command for one session, on that session's handler thread. */
    @FunctionalInterface
    interface Handler {
        void handle(ClientSession session, List<String> arguments);
    }

    private final Map<Command, Handler> handlers = new EnumMap<>(Command.class);
    private final Handler say;
    private final Handler propose;

    /**
     * @param say      what plain text from a registered user does; its one argument is the text
     * @param propose  what plain text does before a name: its one argument is the name proposed
     * @param handlers a handler for every command
     * @throws IllegalArgumentException when a command has no handler
     */
    CommandTable(Handler say, Handler propose, Map<Command, Handler> handlers) {
        this.say = say;
        this.propose = propose;
        this.handlers.putAll(handlers);
        for (Command command : Command.values()) {
            if (!this.handlers.containsKey(command)) {
                throw new IllegalArgumentException("no handler for /" + command.word());
            }
        }
    }

    /** Carries out {@code line} for {@code session}, or answers with an error line. Handler thread only. */
    void dispatch(ClientSession session, String line) {
        switch (ClientLine.parse(line)) {
            case ClientLine.Say(String text) -> {
                if (!passwordGiven(session)) {
                    return;
                }
                if (session.name() == null) {
                    propose.handle(session, List.of(line.strip()));
                } else {
                    say.handle(session, List.of(text));
                }
            }
            case ClientLine.Invocation invocation -> invoke(session, invocation);
        }
    }

    private void invoke(ClientSession session, ClientLine.Invocation invocation) {
        Command command = Command.byWord(invocation.word()).orElse(null);
        if (command == null) {
            // Before the password nothing is told, not even which commands there are.
            if (passwordGiven(session)) {
                session.sendError(ErrorCode.UNKNOWN_COMMAND,
                        "unknown command /" + invocation.word() + "; type /help for the commands");
            }
            return;
        }
        if (!permitted(session, command.access())) {
            return;
        }
        List<String> arguments = invocation.arguments(command.minArguments(), command.arguments());
        if (arguments == null) {
            session.sendError(ErrorCode.USAGE, "usage: " + command.usage());
            return;
        }
        handlers.get(command).handle(session, arguments);
    }

    /** Whether {@code session} may run a command of {@code access}; if not, tells it why. */
    private static boolean permitted(ClientSession session, Command.Access access) {
        if (access == Command.Access.ANYONE) {
            return true;
        }
        if (!passwordGiven(session)) {
            return false;
        }
        if (access == Command.Access.AUTHENTICATED) {
            return true;
        }
        if (session.name() == null) {
            session.sendError(ErrorCode.NAME_REQUIRED, "you need a name first (only /help and /quit work before it). "
                    + "Enter your name:");
            return false;
        }
        if (access == Command.Access.OPERATOR && session.operator() == null) {
            session.sendError(ErrorCode.NOT_OPERATOR, "only operators may do that; /oper NAME PASSWORD first");
            return false;
        }
        return true;
    }

    /** Whether {@code session} gave the server's password (or needs none); if not, tells it so. */
    private static boolean passwordGiven(ClientSession session) {
        if (session.authenticated()) {
            return true;
        }
        session.sendError(ErrorCode.PASSWORD_REQUIRED, "this server needs its password first: /pass PASSWORD");
        return false;
    }
}
