package dev.chat.server;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.identity.Base64Url;
import dev.chat.protocol.identity.KeyToken;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.apache.commons.lang3.StringUtils;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * How a connection becomes a user and stops being one: the greeting, the server's password,
 * the name and the welcome, a new name ({@code /nick}), and the leave. Every step runs on the
 * handler thread of the session it is for, and holds no lock across another's.
 */
final class SignOn {

    private static final Logger log = LogManager.getLogger(SignOn.class);

    private final ChatServer server;

    SignOn(ChatServer server) {
        this.server = server;
    }

    /** Sends the greeting, then asks for the server's password if it has one, else for a name. */
    void greet(ClientSession session) {
        for (String line : server.greeting()) {
            session.deliver(new ServerLine.Info(server.now(), line));
        }
        if (server.password() == null) {
            session.markAuthenticated();
            askForName(session);
        } else {
            session.deliver(new ServerLine.PasswordPrompt(server.now()));
        }
    }

    /** The first name prompt, after the connection's key challenge on a server that registers names. */
    private void askForName(ClientSession session) {
        if (server.registrations() != null) {
            session.deliver(new ServerLine.Challenge(server.now(), session.challenge().token()));
        }
        session.deliver(new ServerLine.NamePrompt(server.now()));
    }

    /**
     * Checks the server's password ({@code /pass}). A right one leads to the name prompt; a
     * wrong one is answered with one error line and, after a delay that grows with each failure
     * from the same address, the end of the connection. Blocks for that delay. The password is
     * never logged.
     */
    void authenticate(ClientSession session, String attempt) {
        ServerPassword password = server.password();
        if (session.authenticated() || password == null) {
            session.deliver(new ServerLine.Info(server.now(), "No password is needed now."));
            return;
        }
        if (password.matches(attempt)) {
            session.markAuthenticated();
            server.loginThrottle().succeeded(session.address());
            askForName(session);
            return;
        }
        Duration delay = server.loginThrottle().failed(session.address());
        log.info("{}: wrong server password; closing in {} s", session.remote(), delay.toSeconds());
        session.endAfterThisLine("wrong password");
        FloodGate.await(delay.toNanos(), () -> false);
        session.sendError(ErrorCode.PASSWORD_WRONG, "wrong password; disconnected");
    }

    /**
     * Registers {@code proposed}, the first plain line of a connection, or says why not (the
     * connection stays open for another try, unless the name is banned). A registered user is
     * in the default room, told of it in one step with its join: the welcome, the room's name
     * and members, its topic, the hint about /help, the message of the day and the history.
     */
    void register(ClientSession session, String proposed) {
        register(session, proposed, null);
    }

    /**
     * {@code /sign NAME SIGNATURE}: proposes {@code name} with the connection's key challenge
     * signed for it, before a name as a first name, later as a new one.
     */
    void sign(ClientSession session, String name, String signature) {
        if (session.name() == null) {
            register(session, name, signature);
        } else {
            rename(session, name, signature);
        }
    }

    /** {@link #register(ClientSession, String)} with the signature that proves a registered name's key, or null. */
    private void register(ClientSession session, String proposed, String signature) {
        String shown = StringUtils.abbreviate(proposed, 40);
        NameRules.Problem problem = NameRules.check(proposed);
        if (problem != null) {
            server.chatLog().nameRefused(shown, session.remote(), problem.explanation());
            session.sendError(ErrorCode.NAME_INVALID, "\"" + shown + "\" is not a valid name: "
                    + problem.explanation() + ". Enter another name:");
            return;
        }
        Bans.Ban ban = server.bans().forName(proposed);
        if (ban != null) {
            server.chatLog().nameRefused(proposed, session.remote(), "banned");
            session.endAfterThisLine("banned");
            session.sendError(ErrorCode.BANNED, "the name " + proposed + " is banned " + ban.duration() + ": "
                    + ban.reason());
            return;
        }
        Registrations.Registration registration = registrationOf(proposed);
        if (!proves(session, registration, proposed, signature)) {
            server.chatLog().nameRefused(proposed, session.remote(), "registered");
            session.sendError(ErrorCode.NAME_REGISTERED, registeredMessage(proposed) + " Enter another name:");
            return;
        }
        ClusterLink cluster = server.cluster();
        Room lobby = server.rooms().defaultRoom();
        ClusterEvent.UserState claimed = cluster == null ? null : new ClusterEvent.UserState(proposed, cluster.node(),
                0, "", registration == null ? "" : registration.key().token(), List.of(lobby.name()));
        if (claimed != null && !cluster.claim(claimed)) {
            refuseTaken(session, proposed);
            return;
        }
        try {
            server.registry().register(proposed, session);
        } catch (NameTakenException e) {
            if (claimed != null) {
                cluster.release(proposed);
            }
            refuseTaken(session, proposed);
            return;
        }
        session.takeName(proposed);
        session.setKey(registration == null ? null : registration.key());
        log.info("{} registered from {}{}", proposed, session.remote(), registration == null ? "" : " with its key");
        Runnable joinLobby = () -> {
            server.chatLog().joined(proposed, session.remote());
            lobby.join(session, snapshot -> welcome(proposed, lobby, snapshot),
                    new ServerLine.Joined(server.now(), proposed));
            session.enteredRoom(lobby);
        };
        if (cluster == null) {
            joinLobby.run();
        } else {
            cluster.change(session, ClusterEvent.User.Change.ON, "", List.of(lobby.name()), joinLobby);
        }
    }

    private void refuseTaken(ClientSession session, String proposed) {
        server.chatLog().nameRefused(proposed, session.remote(), "taken");
        session.sendError(ErrorCode.NAME_TAKEN, "the name \"" + proposed + "\" is taken. Enter another name:");
    }

    /** What a newly registered user is told, in this order, in the step that adds it to {@code lobby}. */
    private List<ServerLine> welcome(String name, Room lobby, Room.Snapshot snapshot) {
        List<ServerLine> welcome = new ArrayList<>();
        welcome.add(new ServerLine.Welcome(server.now(), name));
        welcome.add(new ServerLine.DefaultRoom(server.now(), lobby.name()));
        welcome.add(server.membersLine(lobby, snapshot));
        if (!snapshot.topic().isEmpty()) {
            welcome.add(new ServerLine.Topic(server.now(), snapshot.topic()));
        }
        welcome.add(new ServerLine.Info(server.now(), "Type /help for the commands."));
        server.motd().forEach(line -> welcome.add(new ServerLine.Info(server.now(), line)));
        welcome.addAll(snapshot.history());
        return welcome;
    }

    /**
     * {@code /nick NAME [SIGNATURE]}. What follows the name is a signature only when it has a
     * signature's form (86 characters of base64url); anything else is part of the name, as before
     * signatures, so that {@code /nick bad name} is still refused as a name with a blank.
     */
    void nick(ClientSession session, List<String> arguments) {
        if (arguments.size() > 1 && Base64Url.decode(arguments.get(1), KeyToken.SIGNATURE_BYTES) == null) {
            rename(session, String.join(" ", arguments), null);
        } else {
            rename(session, arguments.getFirst(), arguments.size() > 1 ? arguments.get(1) : null);
        }
    }

    /**
     * Gives a registered user the name {@code newName} ({@code /nick}), or says why not. Everyone
     * who shares a room with the user, and the user, is told once. A registered name needs
     * {@code signature}, the connection's key challenge signed for it (null when none was given).
     */
    void rename(ClientSession session, String newName, String signature) {
        NameRules.Problem problem = NameRules.check(newName);
        if (problem != null) {
            session.sendError(ErrorCode.NAME_INVALID, "\"" + StringUtils.abbreviate(newName, 40)
                    + "\" is not a valid name: " + problem.explanation());
            return;
        }
        Registrations.Registration registration = registrationOf(newName);
        if (!proves(session, registration, newName, signature)) {
            session.sendError(ErrorCode.NAME_REGISTERED, registeredMessage(newName));
            return;
        }
        String oldName = session.name();
        boolean sameName = NameRules.key(oldName).equals(NameRules.key(newName));
        ClusterLink cluster = server.cluster();
        if (cluster != null && !sameName && !cluster.claim(new ClusterEvent.UserState(newName, cluster.node(), 0,
                session.away() == null ? "" : session.away(), "", session.roomNames()))) {
            session.sendError(ErrorCode.NAME_TAKEN, "the name \"" + newName + "\" is taken");
            return;
        }
        try {
            server.registry().rename(oldName, newName, session);
        } catch (NameTakenException e) {
            if (cluster != null && !sameName) {
                cluster.release(newName);
            }
            session.sendError(ErrorCode.NAME_TAKEN, "the name \"" + newName + "\" is taken");
            return;
        }
        session.takeName(newName);
        // A key published for the name goes with it, unless only its case changed.
        if (registration != null || !sameName) {
            session.setKey(registration == null ? null : registration.key());
        }
        if (cluster == null) {
            announceRename(session, oldName, newName);
        } else {
            cluster.change(session, ClusterEvent.User.Change.NICK, oldName, session.roomNames(),
                    () -> announceRename(session, oldName, newName));
            if (!sameName) {
                cluster.release(oldName);
            }
        }
    }

    /** Records a new name and tells everyone who shares a room with its user, and the user. */
    private void announceRename(ClientSession session, String oldName, String newName) {
        announceRename(server, session.rooms(), session, oldName, newName);
    }

    /**
     * Records a new name and tells the members here of {@code rooms}, and {@code self} (the user
     * who took it, or null for a user of another node).
     */
    static void announceRename(ChatServer server, java.util.Collection<Room> rooms, ClientSession self,
            String oldName, String newName) {
        server.chatLog().renamed(oldName, newName);
        // Everyone who shares a room hears it once, however many rooms they share; and so does the user.
        // Not the members of a large room, who hear of no join or leave either: a new name would
        // cost every one of them a line.
        Set<ClientSession> told = Collections.newSetFromMap(new IdentityHashMap<>());
        if (self != null) {
            told.add(self);
        }
        for (Room room : rooms) {
            if (!room.large()) {
                told.addAll(room.members());
            }
        }
        // Encoded once for everyone told.
        byte[] changed = new ServerLine.NickChanged(server.now(), oldName, newName).toWire();
        told.forEach(member -> member.deliver(changed));
    }

    /** The registration of {@code name}, or null when it has none or the server registers no names. */
    private Registrations.Registration registrationOf(String name) {
        return server.registrations() == null ? null : server.registrations().find(name);
    }

    /**
     * Whether {@code session} may take {@code name}, whose registration is {@code registration}
     * (null: not registered, anyone may): when {@code signature} is the connection's key
     * challenge signed for {@code name} with the registered key, or when the session holds the
     * name already with that key and changes only its case. A malformed signature is no signature.
     */
    private static boolean proves(ClientSession session, Registrations.Registration registration, String name,
            String signature) {
        if (registration == null) {
            return true;
        }
        if (signature != null && registration.key().verifyChallenge(session.challenge(), name,
                session.certificateFingerprint(), signature)) {
            return true;
        }
        return session.name() != null && session.nameKey().equals(NameRules.key(name))
                && registration.key().equals(session.key());
    }

    private static String registeredMessage(String name) {
        return "the name \"" + name + "\" is registered; only the holder of its key can use it.";
    }

    /**
     * Records a registered session's leave, tells the others in each of its rooms (unless the
     * server is stopping), and then frees its name, so that nobody can take the name before the
     * leave is announced. Does nothing the second time for a session.
     */
    void leave(ClientSession session, String reason) {
        if (!session.markLeft()) {
            return;
        }
        ServerLine.Left left = server.stopping() ? null : new ServerLine.Left(server.now(), session.name(), reason);
        Runnable leaveRooms = () -> {
            server.chatLog().left(session.name(), reason);
            for (Room room : session.rooms()) {
                leaveRoom(session, room, left);
            }
        };
        ClusterLink cluster = server.cluster();
        if (cluster == null) {
            leaveRooms.run();
        } else {
            // The other nodes are told even while this one stops: their users see these leave.
            cluster.change(session, ClusterEvent.User.Change.OFF, reason, session.roomNames(), leaveRooms);
            cluster.release(session.name());
        }
        server.registry().unregister(session.name(), session);
        log.info("{} left ({})", session.name(), reason);
    }

    /**
     * Takes {@code session} out of {@code room}, telling everyone who stays with
     * {@code announcement} (none when null), and removes the room if that left it empty. The
     * one way out of a room: for {@code /part} and for leaving the server.
     */
    void leaveRoom(ClientSession session, Room room, ServerLine.Left announcement) {
        room.leave(session, announcement);
        session.leftRoom(room);
        server.rooms().removeIfEmpty(room);
    }
}
