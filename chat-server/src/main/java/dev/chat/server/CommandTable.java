package dev.chat.server;

import dev.chat.protocol.ClientLine;
import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the server does with each line a registered client sends. Every {@link Command} has
 * one handler; its arguments are counted here, once, before the handler runs.
 */
final class CommandTable {

    /** Carries out one command for one session, on that session's handler thread. */
    @FunctionalInterface
    interface Handler {
        void handle(ClientSession session, List<String> arguments);
    }

    private final Map<Command, Handler> handlers = new EnumMap<>(Command.class);
    private final Handler say;

    /**
     * @param say      what plain text does; its one argument is the text
     * @param handlers a handler for every command
     * @throws IllegalArgumentException when a command has no handler
     */
    CommandTable(Handler say, Map<Command, Handler> handlers) {
        this.say = say;
        this.handlers.putAll(handlers);
        for (Command command : Command.values()) {
            if (!this.handlers.containsKey(command)) {
                throw new IllegalArgumentException("no handler for /" + command.word());
            }
        }
    }

    /** Carries out {@code line} for {@code session}, or answers with an error line. */
    void dispatch(ClientSession session, String line) {
        switch (ClientLine.parse(line)) {
            case ClientLine.Say(String text) -> say.handle(session, List.of(text));
            case ClientLine.Invocation invocation -> invoke(session, invocation);
        }
    }

    private void invoke(ClientSession session, ClientLine.Invocation invocation) {
        Command command = Command.byWord(invocation.word()).orElse(null);
        if (command == null) {
            session.sendError(ErrorCode.UNKNOWN_COMMAND,
                    "unknown command /" + invocation.word() + "; type /help for the commands");
            return;
        }
        List<String> arguments = invocation.arguments(command.minArguments(), command.arguments());
        if (arguments == null) {
            session.sendError(ErrorCode.USAGE, "usage: " + command.usage());
            return;
        }
        handlers.get(command).handle(session, arguments);
    }
}
