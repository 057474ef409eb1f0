package dev.chat.server;

import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.RoomNames;
import dev.chat.protocol.ServerLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.lang3.StringUtils;

/**
 * The command table's handlers: the room and chat commands here, sign-on's in {@link SignOn},
 * the operators' in {@link OperatorCommands}, those of registered names and keys in
 * {@link KeyCommands}, the offers of direct connections in {@link DirectCommands}. Each runs on the handler thread of the session
 * that sent it.
 */
final class ChatCommands {

    private final ChatServer server;

    private ChatCommands(ChatServer server) {
        this.server = server;
    }

    static CommandTable table(ChatServer server) {
        ChatCommands commands = new ChatCommands(server);
        SignOn signOn = server.signOn();
        Map<Command, CommandTable.Handler> handlers = new java.util.EnumMap<>(Command.class);
        handlers.putAll(OperatorCommands.handlers(server));
        handlers.putAll(KeyCommands.handlers(server));
        handlers.putAll(DirectCommands.handlers(server));
        handlers.putAll(Map.ofEntries(
                Map.entry(Command.MSG, commands::privateMessage),
                Map.entry(Command.ME, (session, arguments) -> commands.act(session, arguments.getFirst())),
                Map.entry(Command.JOIN, (session, arguments) -> commands.join(session, arguments.getFirst())),
                Map.entry(Command.PART, commands::part),
                Map.entry(Command.IN, commands::in),
                Map.entry(Command.ROOMS, (session, arguments) -> commands.rooms(session)),
                Map.entry(Command.WHO, commands::who),
                Map.entry(Command.TOPIC, commands::topic),
                Map.entry(Command.NICK, signOn::nick),
                Map.entry(Command.SIGN, (session, arguments) -> signOn.sign(session, arguments.get(0), arguments.get(1))),
                Map.entry(Command.AWAY, commands::away),
                Map.entry(Command.PASS, (session, arguments) -> signOn.authenticate(session, arguments.getFirst())),
                Map.entry(Command.HELP, (session, arguments) -> commands.help(session)),
                Map.entry(Command.QUIT, (session, arguments) -> {
                    session.deliver(new ServerLine.Goodbye(server.now()));
                    session.quit();
                })));
        return new CommandTable((session, text) -> commands.say(session, text.getFirst()),
                (session, name) -> signOn.register(session, name.getFirst()), handlers);
    }

    private void say(ClientSession session, String text) {
        Room room = currentRoomOf(session);
        if (room != null) {
            speak(session, room, false, text);
        }
    }

    private void act(ClientSession session, String action) {
        Room room = currentRoomOf(session);
        if (room != null) {
            speak(session, room, true, action);
        }
    }

    /** Says ({@code /me} when {@code action}) {@code text} in {@code room}, in the cluster's order in a cluster. */
    private void speak(ClientSession session, Room room, boolean action, String text) {
        java.time.LocalDateTime when = server.nowWithDate();
        String name = session.name();
        Runnable said = () -> say(server, room, name, action, text, when);
        ClusterLink cluster = server.cluster();
        if (cluster == null) {
            said.run();
        } else {
            cluster.orderLater(new ClusterEvent.Said(cluster.node(), room.name(), name, action, when, text), said);
        }
    }

    private void privateMessage(ClientSession session, List<String> arguments) {
        String to = arguments.get(0);
        String text = arguments.get(1);
        UserRegistry.Registered target = server.registry().find(to);
        if (target == null && server.cluster() != null && server.cluster().state().find(to) != null) {
            relayPrivateMessage(session, server.cluster().state().find(to), text);
            return;
        }
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
        server.metrics().privateMessage();
        server.chatLog().privateMessage(session.name(), targetName, text);
        session.deliver(new ServerLine.PrivateSent(server.now(), targetName, text));
        String away = target.session().away();
        if (away != null) {
            session.deliver(new ServerLine.Away(server.now(), targetName, away));
        }
    }

    /**
     * Records what {@code name} said ({@code /me} when {@code action}) {@code when}, and says it
     * in {@code room}: for a user here, and for a user of another node.
     */
    static void say(ChatServer server, Room room, String name, boolean action, String text,
            java.time.LocalDateTime when) {
        if (action) {
            server.chatLog().acted(logName(room), name, text);
            room.say(new ServerLine.Action(when.toLocalTime(), name, text), when);
        } else {
            server.chatLog().said(logName(room), name, text);
            room.say(new ServerLine.Chat(when.toLocalTime(), name, text), when);
        }
    }

    /** Records {@code name}'s new topic for {@code room} and tells its members: for a user here, and of another node. */
    static void setTopic(ChatServer server, Room room, String name, String topic) {
        server.chatLog().topicSet(name, room.name(), topic);
        room.setTopic(topic, new ServerLine.TopicChanged(server.now(), name, topic));
    }

    /** A private message for a user on another node of the cluster. */
    private void relayPrivateMessage(ClientSession session, ClusterEvent.UserState to, String text) {
        ClusterLink.Relayed relayed = server.cluster().relay(to, session.name(), text);
        if (!relayed.delivered()) {
            session.sendError(ErrorCode.NO_SUCH_USER, to.name() + " has just left; the message was not delivered");
            return;
        }
        server.metrics().privateMessage();
        server.chatLog().privateMessage(session.name(), relayed.name(), text);
        session.deliver(new ServerLine.PrivateSent(server.now(), relayed.name(), text));
        if (!relayed.away().isEmpty()) {
            session.deliver(new ServerLine.Away(server.now(), relayed.name(), relayed.away()));
        }
    }

    private void join(ClientSession session, String name) {
        if (!checkRoomName(session, name)) {
            return;
        }
        Room existing = server.rooms().find(name);
        if (existing != null && session.isIn(existing)) {
            session.switchTo(existing);
            session.deliver(new ServerLine.Info(server.now(), "You are talking in " + existing.name() + " now."));
            return;
        }
        Runnable enter = () -> {
            Room room;
            do {
                room = server.rooms().getOrCreate(name);
            } while (!room.join(session, snapshot -> welcome(session, snapshot),
                    new ServerLine.Joined(server.now(), session.name())));
            session.enteredRoom(room);
            server.chatLog().joinedRoom(session.name(), room.name());
        };
        ClusterLink cluster = server.cluster();
        if (cluster == null) {
            enter.run();
            return;
        }
        String spelt = existing != null ? existing.name() : name;
        List<String> rooms = new ArrayList<>(session.roomNames());
        rooms.add(spelt);
        cluster.change(session, ClusterEvent.User.Change.JOIN, spelt, rooms, enter);
    }

    /** What a user joining a room other than the default one is told, in this order. */
    private List<ServerLine> welcome(ClientSession session, Room.Snapshot snapshot) {
        List<ServerLine> lines = new ArrayList<>();
        lines.add(new ServerLine.Joined(server.now(), session.name()));
        lines.add(new ServerLine.Topic(server.now(), snapshot.topic()));
        lines.add(server.membersLine(server.rooms().find(snapshot.room()), snapshot));
        lines.addAll(snapshot.history());
        return lines;
    }

    private void part(ClientSession session, List<String> arguments) {
        Room room = arguments.isEmpty() ? currentRoomOf(session) : memberRoom(session, arguments.getFirst());
        if (room == null) {
            return;
        }
        ServerLine.Left left = new ServerLine.Left(server.now(), session.name(), "part");
        Runnable leave = () -> {
            server.signOn().leaveRoom(session, room, left);
            // The one who leaves hears it too, so that a client knows it is out.
            session.deliver(room.tag(left));
            server.chatLog().leftRoom(session.name(), room.name());
        };
        ClusterLink cluster = server.cluster();
        if (cluster == null) {
            leave.run();
            return;
        }
        List<String> rooms = new ArrayList<>(session.roomNames());
        rooms.remove(room.name());
        cluster.change(session, ClusterEvent.User.Change.PART, room.name(), rooms, leave);
    }

    private void in(ClientSession session, List<String> arguments) {
        Room room = memberRoom(session, arguments.get(0));
        if (room == null) {
            return;
        }
        Room previous = session.currentRoom();
        session.switchTo(room);
        try {
            server.commands().dispatch(session, arguments.get(1));
        } finally {
            // Back to where the user was, unless the line itself moved them on (/join elsewhere).
            boolean movedOn = session.currentRoom() != room && session.isIn(room);
            if (!movedOn && previous != null && session.isIn(previous)) {
                session.switchTo(previous);
            }
        }
    }

    private void rooms(ClientSession session) {
        List<Room> rooms = server.rooms().all();
        session.deliver(new ServerLine.RoomList(server.now(), rooms.size()));
        ClusterLink cluster = server.cluster();
        for (Room room : rooms) {
            int size = cluster == null ? room.size() : cluster.state().size(room.name());
            session.deliver(new ServerLine.RoomEntry(server.now(), room.name(), size, room.topic()));
        }
    }

    /**
     * {@code /who [#ROOM] [PREFIX*] [PAGE]}. Without a prefix or a page, every name (and who of
     * them is away), or for a large room or server how many and the first page; with either,
     * that page of the names, or of those that start with the prefix.
     */
    private void who(ClientSession session, List<String> arguments) {
        Room room = null;
        List<String> rest = arguments;
        if (!rest.isEmpty() && rest.getFirst().startsWith("#")) {
            room = existingRoom(session, rest.getFirst());
            if (room == null) {
                return;
            }
            rest = rest.subList(1, rest.size());
        }
        WhoQuery query = WhoQuery.parse(rest);
        if (query == null) {
            session.sendError(ErrorCode.USAGE, "usage: " + Command.WHO.usage()
                    + " (PREFIX: the start of a name; PAGE: a number from 1)");
            return;
        }
        ClusterLink cluster = server.cluster();
        if (cluster != null) {
            whoInCluster(session, room, query, cluster.state());
        } else if (room == null) {
            whoIsOnline(session, query);
        } else {
            whoIsIn(session, room, query);
        }
    }

    /** What follows the room in a {@code /who}: a prefix (a trailing * dropped) and a page, both optional. */
    private record WhoQuery(String prefix, int page, boolean asked) {

        /** The query {@code arguments} write, or null when they are not a prefix, a page, or a prefix and a page. */
        static WhoQuery parse(List<String> arguments) {
            String given = String.join(" ", arguments).strip();
            if (given.isEmpty()) {
                return new WhoQuery("", 1, false);
            }
            String[] words = given.split(" +");
            String last = words[words.length - 1];
            boolean endsWithPage = last.length() <= 9 && last.chars().allMatch(c -> c >= '0' && c <= '9');
            int page = endsWithPage ? Integer.parseInt(last) : 1;
            String prefix = words.length == 2 || !endsWithPage ? words[0] : "";
            prefix = prefix.endsWith("*") ? prefix.substring(0, prefix.length() - 1) : prefix;
            boolean fits = words.length == 1 || (words.length == 2 && endsWithPage);
            if (!fits || page < 1 || (!prefix.isEmpty() && !NameRules.isValid(prefix))) {
                return null;
            }
            return new WhoQuery(prefix, page, true);
        }
    }

    /** {@code /who} for everyone on the server. */
    private void whoIsOnline(ClientSession session, WhoQuery query) {
        List<UserRegistry.Registered> everyone = server.registry().all();
        Map<String, ClientSession> byName = new java.util.HashMap<>();
        everyone.forEach(user -> byName.put(user.name(), user.session()));
        int limit = server.config().largeRoomSize();
        // Never a whole list while the default room is large (after a reload may have raised the size):
        // clients then take an untagged list for the default room's.
        boolean large = (limit > 0 && everyone.size() > limit) || server.rooms().defaultRoom().large();
        answerWho(session, query, everyone.stream().map(UserRegistry.Registered::name).toList(), large, null,
                name -> byName.get(name).away());
    }

    /**
     * {@code /who} and {@code /who #room} in a cluster: the same lines, of everyone on every node.
     * A room counts as large by its members in the whole cluster.
     */
    private void whoInCluster(ClientSession session, Room room, WhoQuery query, ClusterState state) {
        List<String> names = room == null ? state.all().stream().map(ClusterEvent.UserState::name).toList()
                : state.names(room.name());
        int limit = server.config().largeRoomSize();
        answerWho(session, query, names, limit > 0 && names.size() > limit, room, name -> {
            ClusterEvent.UserState user = state.find(name);
            return user == null || user.away().isEmpty() ? null : user.away();
        });
    }

    /**
     * Answers a {@code /who} over {@code names}, sorted ignoring case: every name, or when
     * {@code large} (or asked for a prefix or a page) how many and a page; each line tagged with
     * {@code room}, or with none for everyone on the server. {@code awayOf} gives a name's away
     * message, or null.
     */
    private void answerWho(ClientSession session, WhoQuery query, List<String> names, boolean large, Room room,
            java.util.function.Function<String, String> awayOf) {
        if (!query.asked() && !large) {
            session.deliver(tag(room, new ServerLine.Online(server.now(), names)));
            names.forEach(name -> sendAway(session, name, awayOf.apply(name), room));
            return;
        }
        String prefixKey = NameRules.key(query.prefix());
        List<String> matching = prefixKey.isEmpty() ? names
                : names.stream().filter(name -> NameRules.key(name).startsWith(prefixKey)).toList();
        List<String> page = matching.stream().skip((long) (query.page() - 1) * Protocol.NAMES_PER_PAGE)
                .limit(Protocol.NAMES_PER_PAGE).toList();
        if (!query.asked()) {
            session.deliver(tag(room, new ServerLine.People(server.now(), names.size(),
                    room == null ? null : room.name())));
        }
        session.deliver(tag(room, namePage(query, matching.size(), page)));
        if (!query.asked()) {
            page.forEach(name -> sendAway(session, name, awayOf.apply(name), room));
        }
    }

    /** {@code line} tagged with {@code room}, or as it is for none. */
    private static ServerLine tag(Room room, ServerLine line) {
        return room == null ? line : room.tag(line);
    }

    /** {@code /who #room}. */
    private void whoIsIn(ClientSession session, Room room, WhoQuery query) {
        if (!query.asked() && !room.large()) {
            session.deliver(room.tag(new ServerLine.Online(server.now(), room.names())));
            room.members().forEach(member -> sendAway(session, member.name(), member.away(), room));
            return;
        }
        Room.Page page = room.page(query.prefix(), query.page(), Protocol.NAMES_PER_PAGE);
        if (!query.asked()) {
            session.deliver(room.tag(new ServerLine.People(server.now(), page.total(), room.name())));
        }
        session.deliver(room.tag(namePage(query, page.total(), page.members().stream().map(ClientSession::name)
                .toList())));
        if (!query.asked()) {
            page.members().forEach(member -> sendAway(session, member.name(), member.away(), room));
        }
    }

    private ServerLine.NamePage namePage(WhoQuery query, int total, List<String> names) {
        int pages = Math.max(1, (total + Protocol.NAMES_PER_PAGE - 1) / Protocol.NAMES_PER_PAGE);
        return new ServerLine.NamePage(server.now(), query.page(), pages, total, query.prefix(), names);
    }

    /** Tells {@code session} that {@code name} is away with {@code away}, unless null; tagged with {@code room} unless null. */
    private void sendAway(ClientSession session, String name, String away, Room room) {
        if (away != null) {
            session.deliver(tag(room, new ServerLine.Away(server.now(), name, away)));
        }
    }

    /** {@code /topic}, {@code /topic text}, {@code /topic #room}, {@code /topic #room text}. */
    private void topic(ClientSession session, List<String> arguments) {
        String text = arguments.isEmpty() ? "" : arguments.getFirst();
        Room room;
        if (text.startsWith("#")) {
            int blank = text.indexOf(' ');
            String name = blank < 0 ? text : text.substring(0, blank);
            text = blank < 0 ? "" : text.substring(blank + 1).strip();
            room = existingRoom(session, name);
        } else {
            room = currentRoomOf(session);
        }
        if (room == null) {
            return;
        }
        if (text.isEmpty()) {
            session.deliver(room.tag(new ServerLine.Topic(server.now(), room.topic())));
            return;
        }
        if (!session.isIn(room)) {
            session.sendError(ErrorCode.NOT_IN_ROOM, "you are not in " + room.name() + "; /join it to set its topic");
            return;
        }
        String topic = text;
        Runnable set = () -> setTopic(server, room, session.name(), topic);
        ClusterLink cluster = server.cluster();
        if (cluster == null) {
            set.run();
        } else {
            cluster.order(new ClusterEvent.Topic(cluster.node(), room.name(), session.name(), topic), set);
            cluster.keepTopic(room.name(), topic);
        }
    }

    private void away(ClientSession session, List<String> arguments) {
        if (arguments.isEmpty()) {
            session.setAway(null);
            session.deliver(new ServerLine.Info(server.now(), "You are back."));
        } else {
            session.setAway(arguments.getFirst());
            session.deliver(new ServerLine.Info(server.now(), "You are away: " + arguments.getFirst()));
        }
        ClusterLink cluster = server.cluster();
        if (cluster != null) {
            cluster.change(session, ClusterEvent.User.Change.AWAY, "", session.roomNames(), () -> { });
        }
    }

    private void help(ClientSession session) {
        session.deliver(new ServerLine.Info(server.now(), "Type a line to say it in your room. Commands:"));
        for (Command command : Command.values()) {
            session.deliver(new ServerLine.Info(server.now(),
                    String.format("  %-22s %s", command.usage(), command.description())));
        }
        session.deliver(new ServerLine.Info(server.now(),
                String.format("  %-22s %s", "//text", "say text that starts with a slash")));
    }

    /** The session's current room, or null after telling it that it is in none. */
    private Room currentRoomOf(ClientSession session) {
        Room room = session.currentRoom();
        if (room == null) {
            session.sendError(ErrorCode.NOT_IN_ROOM, "you are in no room; /join #room first");
        }
        return room;
    }

    /** The room {@code name} if the session is in it, or null after saying why not. */
    private Room memberRoom(ClientSession session, String name) {
        Room room = existingRoom(session, name);
        if (room != null && !session.isIn(room)) {
            session.sendError(ErrorCode.NOT_IN_ROOM, "you are not in " + room.name());
            return null;
        }
        return room;
    }

    /** The room {@code name}, or null after saying why there is none. */
    private Room existingRoom(ClientSession session, String name) {
        if (!checkRoomName(session, name)) {
            return null;
        }
        Room room = server.rooms().find(name);
        if (room == null) {
            session.sendError(ErrorCode.NO_SUCH_ROOM, "there is no room " + name + "; /rooms lists them");
        }
        return room;
    }

    private boolean checkRoomName(ClientSession session, String name) {
        if (RoomNames.isValid(name)) {
            return true;
        }
        session.sendError(ErrorCode.ROOM_INVALID,
                "\"" + StringUtils.abbreviate(name, 40) + "\" is not a room name: " + RoomNames.explanation());
        return false;
    }

    /** How chat.log names a room: not at all for the default room. */
    private static String logName(Room room) {
        return room.isDefault() ? null : room.name();
    }
}
