package dev.chat.server;

import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import java.util.List;
import org.apache.commons.lang3.StringUtils;
import java.util.Map;

/** The handlers behind every command of the core protocol. */
final class ChatCommands {

    private ChatCommands() {
    }

    static CommandTable table(ChatServer server) {
        return new CommandTable(
                (session, text) -> say(server, session, text.getFirst()),
                Map.of(
                        Command.MSG, (session, arguments) -> privateMessage(server, session, arguments),
                        Command.WHO, (session, arguments) ->
                                session.deliver(new ServerLine.Online(server.now(), server.registry().names())),
                        Command.HELP, (session, arguments) -> help(server, session),
                        Command.QUIT, (session, arguments) -> {
                            session.deliver(new ServerLine.Goodbye(server.now()));
                            session.quit();
                        }));
    }

    private static void say(ChatServer server, ClientSession session, String text) {
        server.chatLog().said(session.name(), text);
        server.lobby().broadcast(new ServerLine.Chat(server.now(), session.name(), text));
    }

    private static void privateMessage(ChatServer server, ClientSession session, List<String> arguments) {
        String to = arguments.get(0);
        String text = arguments.get(1);
        UserRegistry.Registered target = server.registry().find(to);
        if (target == null) {
            session.sendError(ErrorCode.NO_SUCH_USER,
                    "nobody called " + StringUtils.abbreviate(to, 40) + " is online; /who lists who is");
            return;
        }
        String targetName = target.name();
        if (!target.session().deliver(new ServerLine.PrivateMessage(server.now(), session.name(), text))) {
            session.sendError(ErrorCode.NO_SUCH_USER, targetName + " has just left; the message was not delivered");
            return;
        }
        server.chatLog().privateMessage(session.name(), targetName, text);
        session.deliver(new ServerLine.PrivateSent(server.now(), targetName, text));
    }

    private static void help(ChatServer server, ClientSession session) {
        session.deliver(new ServerLine.Info(server.now(), "Type a line to say it to everyone. Commands:"));
        for (Command command : Command.values()) {
            session.deliver(new ServerLine.Info(server.now(),
                    String.format("  %-16s %s", command.usage(), command.description())));
        }
        session.deliver(new ServerLine.Info(server.now(), "  //text           say text that starts with a slash"));
    }
}
