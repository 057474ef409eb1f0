package dev.chat.server;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.identity.KeyToken;
import java.io.IOException;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * What another node's events mean for this node's users: the lines they are sent and what
 * chat.log records, each line marked with the node that accepted it. Runs on the stream's
 * reader, one event at a time, in the stream's order; events of this node's own users are
 * carried out by the code that handles them on one server.
 */
final class ClusterDelivery {

    private static final Logger log = LogManager.getLogger(ClusterDelivery.class);

    private final ChatServer server;
    private final ClusterLink link;

    ClusterDelivery(ChatServer server, ClusterLink link) {
        this.server = server;
        this.link = link;
    }

    /** What a user says or acts, as its room's members receive it. */
    static ServerLine speech(ClusterEvent.Said said) {
        return said.action() ? new ServerLine.Action(said.when().toLocalTime(), said.name(), said.text())
                : new ServerLine.Chat(said.when().toLocalTime(), said.name(), said.text());
    }

    /** Carries out another node's {@code event}; {@code previous} is the state its user had before it. */
    void deliver(ClusterEvent event, ClusterEvent.UserState previous) {
        ScopedValue.where(ChatLog.ACCEPTED_BY, event.node()).run(() -> {
            switch (event) {
                case ClusterEvent.User user -> user(user, previous);
                case ClusterEvent.Said said -> said(said);
                case ClusterEvent.Topic topic -> topic(topic);
                case ClusterEvent.Wall wall -> wall(wall);
                case ClusterEvent.Kick kick -> kick(kick);
                case ClusterEvent.Ban ban -> ban(ban);
                case ClusterEvent.Unban unban -> unban(unban);
                case ClusterEvent.Registered registered -> registered(registered);
                case ClusterEvent.NodeGone gone -> {
                    // Handled by nodeGone, with the users it took away.
                }
            }
        });
    }

    private void user(ClusterEvent.User event, ClusterEvent.UserState previous) {
        ClusterEvent.UserState user = event.state();
        String name = user.name();
        switch (event.change()) {
            case ON -> {
                server.chatLog().joined(name, "node " + event.node());
                announce(server.rooms().defaultRoom(), new ServerLine.Joined(server.now(), name));
            }
            case JOIN -> {
                server.chatLog().joinedRoom(name, event.detail());
                announce(server.rooms().getOrCreate(event.detail()), new ServerLine.Joined(server.now(), name));
            }
            case PART -> {
                server.chatLog().leftRoom(name, event.detail());
                Room room = server.rooms().find(event.detail());
                if (room != null) {
                    announce(room, new ServerLine.Left(server.now(), name, "part"));
                    removeIfGone(room);
                }
            }
            case NICK -> SignOn.announceRename(server, user.rooms().stream().map(server.rooms()::find)
                    .filter(java.util.Objects::nonNull).toList(), null, event.detail(), name);
            case OFF -> {
                server.chatLog().left(name, event.detail());
                leaveRooms(name, previous != null ? previous.rooms() : user.rooms(), event.detail());
            }
            case BACK -> {
                if (previous == null) {
                    server.chatLog().joined(name, "node " + event.node());
                    for (String roomName : user.rooms()) {
                        announce(server.rooms().getOrCreate(roomName), new ServerLine.Joined(server.now(), name));
                    }
                }
            }
            case AWAY, KEY -> {
            }
        }
    }

    private void said(ClusterEvent.Said said) {
        Room room = server.rooms().find(said.room());
        if (room == null) {
            return;
        }
        ChatCommands.say(server, room, said.name(), said.action(), said.text(), said.when());
    }

    private void topic(ClusterEvent.Topic topic) {
        ChatCommands.setTopic(server, server.rooms().getOrCreate(topic.room()), topic.name(), topic.text());
    }

    private void wall(ClusterEvent.Wall wall) {
        OperatorCommands.announce(server, wall.name(), wall.text());
    }

    private void kick(ClusterEvent.Kick kick) {
        UserRegistry.Registered target = server.registry().find(kick.target());
        if (target == null) {
            return;
        }
        OperatorCommands.kickOut(server, target.session(), kick.by(), kick.reason());
    }

    private void ban(ClusterEvent.Ban event) {
        Bans.Ban ban = event.ban();
        try {
            server.bans().add(ban);
        } catch (IOException e) {
            log.error("cannot save the ban of {} made on node {}: {}", ban.target(), event.node(), e.getMessage());
        }
        server.chatLog().operator("{} banned {} {} ({})", ban.by(), ban.target(), ban.duration(), ban.reason());
        OperatorCommands.enforce(server, ban);
    }

    private void registered(ClusterEvent.Registered event) {
        Registrations registrations = server.registrations();
        if (registrations == null) {
            return;
        }
        try {
            if (event.key().isEmpty()) {
                registrations.release(event.name());
            } else {
                KeyToken key = KeyToken.parse(event.key()).orElse(null);
                if (key != null) {
                    registrations.register(event.name(), key);
                }
            }
        } catch (IOException e) {
            log.error("cannot save the registration of {} made on node {}: {}", event.name(), event.node(),
                    e.getMessage());
        }
    }

    private void unban(ClusterEvent.Unban unban) {
        try {
            if (server.bans().remove(unban.target())) {
                server.chatLog().operator("{} lifted the ban on {}", unban.by(), unban.target());
            }
        } catch (IOException e) {
            log.error("cannot save the lifting of the ban of {} made on node {}: {}", unban.target(), unban.node(),
                    e.getMessage());
        }
    }

    /**
     * The users of a node that went away have left, for {@code gone}'s reason; recorded as
     * accepted by the node that noticed, since the one gone records nothing more.
     */
    void nodeGone(ClusterEvent.NodeGone gone, List<ClusterEvent.UserState> users) {
        ScopedValue.where(ChatLog.ACCEPTED_BY, gone.node()).run(() -> {
            for (ClusterEvent.UserState user : users) {
                server.chatLog().left(user.name(), gone.reason());
                leaveRooms(user.name(), user.rooms(), gone.reason());
            }
        });
    }

    private void leaveRooms(String name, List<String> rooms, String reason) {
        for (String roomName : rooms) {
            Room room = server.rooms().find(roomName);
            if (room != null) {
                announce(room, new ServerLine.Left(server.now(), name, reason));
                removeIfGone(room);
            }
        }
    }

    /**
     * Tells {@code room}'s members here of another node's user joining or leaving, unless the
     * room is large in the cluster: then, as on one server, nobody is told of each join and leave.
     */
    private void announce(Room room, ServerLine change) {
        int limit = server.config().largeRoomSize();
        if (limit == 0 || link.state().size(room.name()) <= limit) {
            room.broadcast(change);
        }
    }

    /** Removes {@code room} when nobody in the cluster is in it any more. */
    private void removeIfGone(Room room) {
        server.rooms().removeIfEmpty(room);
    }

    /**
     * A private message from {@code from} on another node for {@code to} on this one.
     *
     * @return the answer for the sender's node: {@code ok}, the name as spelt and the away
     *         message; or {@code none} when nobody here has that name
     */
    String privateMessage(String fromNode, String from, String to, String text) {
        UserRegistry.Registered target = server.registry().find(to);
        if (target == null || !target.session().deliver(new ServerLine.PrivateMessage(server.now(), from, text))) {
            return "none";
        }
        ScopedValue.where(ChatLog.ACCEPTED_BY, fromNode).run(() ->
                server.chatLog().privateMessage(from, target.name(), text));
        String away = target.session().away();
        return String.join("\t", "ok", target.name(), away == null ? "" : away);
    }

    /** Tells every user of this node {@code text}. */
    void tellEveryone(String text) {
        byte[] line = new ServerLine.Info(server.now(), text).toWire();
        server.registry().all().forEach(user -> user.session().deliver(line));
    }

    /** {@code session}'s state for the cluster, in {@code rooms}: a new version of it. */
    ClusterEvent.UserState stateOf(ClientSession session, List<String> rooms) {
        String away = session.away();
        return new ClusterEvent.UserState(session.name(), link.node(), session.nextClusterVersion(),
                away == null ? "" : away, session.key() == null ? "" : session.key().token(), rooms);
    }

    /** Someone on another node took {@code session}'s name while this node was cut off: this one yields. */
    void lostName(ClientSession session) {
        session.closeWith(new ServerLine.Error(server.now(), ErrorCode.NAME_TAKEN, "while this server was cut off "
                + "from the others, a user of another took your name; sign on again"), "name taken elsewhere");
    }
}
