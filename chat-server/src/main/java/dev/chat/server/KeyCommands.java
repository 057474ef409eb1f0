package dev.chat.server;

import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.identity.KeyToken;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.commons.lang3.StringUtils;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The commands of registered names and keys: {@code /register}, {@code /publish},
 * {@code /unregister} and {@code /key}. A registered name is given only to a client that signs
 * the connection's key challenge with its key ({@link SignOn}); a key is published for an
 * unregistered name only while its holder is online under it. Each runs on the handler thread
 * of the session that sent it.
 */
final class KeyCommands {

    private static final Logger log = LogManager.getLogger(KeyCommands.class);

    private final ChatServer server;

    private KeyCommands(ChatServer server) {
        this.server = server;
    }

    static Map<Command, CommandTable.Handler> handlers(ChatServer server) {
        KeyCommands commands = new KeyCommands(server);
        return Map.of(
                Command.REGISTER, commands::register,
                Command.PUBLISH, commands::publish,
                Command.UNREGISTER, commands::unregister,
                Command.KEY, (session, arguments) -> commands.key(session, arguments.getFirst()));
    }

    /** {@code /register KEY SIGNATURE}: binds the user's current name to {@code KEY}. */
    private void register(ClientSession session, List<String> arguments) {
        Registrations registrations = registrationsFor(session);
        if (registrations == null) {
            return;
        }
        KeyToken key = provenKey(session, arguments);
        if (key == null) {
            return;
        }
        String name = session.name();
        Registrations.Registration existing = registrations.find(name);
        if (existing != null && !existing.key().equals(session.key())) {
            // Registered while this user held the name without its key (the file was edited and reloaded).
            session.sendError(ErrorCode.NAME_REGISTERED, "the name \"" + name
                    + "\" is registered to another key; only the holder of that key can change it");
            return;
        }
        try {
            registrations.register(name, key);
        } catch (IOException e) {
            log.error("cannot save the registered names: {}", e.getMessage());
            session.sendError(ErrorCode.OTHER, "the registration could not be saved; it was not made");
            return;
        }
        session.setKey(key);
        tellCluster(session);
        if (server.cluster() != null) {
            server.cluster().shareRegistration(name, key.token());
        }
        server.chatLog().registered(name, key.fingerprint(), existing != null);
        session.deliver(new ServerLine.Registered(server.now(), name, key.fingerprint()));
    }

    /** {@code /publish KEY SIGNATURE}: the user's key for its current name, for as long as it is online under it. */
    private void publish(ClientSession session, List<String> arguments) {
        Registrations registrations = registrationsFor(session);
        if (registrations == null) {
            return;
        }
        KeyToken key = provenKey(session, arguments);
        if (key == null) {
            return;
        }
        Registrations.Registration registration = registrations.find(session.name());
        if (registration != null && !registration.key().equals(key)) {
            session.sendError(ErrorCode.KEY_INVALID, session.name() + " is registered to key "
                    + registration.key().fingerprint() + "; no other key can be published for it");
            return;
        }
        session.setKey(key);
        tellCluster(session);
        session.deliver(new ServerLine.Published(server.now(), key.fingerprint(), session.name()));
    }

    /** {@code /unregister}: releases the user's own name; {@code /unregister NAME}: operators release any. */
    private void unregister(ClientSession session, List<String> arguments) {
        Registrations registrations = registrationsFor(session);
        if (registrations == null) {
            return;
        }
        String name = arguments.isEmpty() ? session.name() : arguments.getFirst();
        boolean own = NameRules.key(name).equals(session.nameKey());
        if (!own && session.operator() == null) {
            session.sendError(ErrorCode.NOT_OPERATOR, "only operators may release another's name; "
                    + "/unregister alone releases your own");
            return;
        }
        Registrations.Registration registration = registrations.find(name);
        if (registration == null) {
            session.sendError(ErrorCode.USAGE, StringUtils.abbreviate(name, 40) + " is not registered");
            return;
        }
        if (own && session.operator() == null && !registration.key().equals(session.key())) {
            session.sendError(ErrorCode.NAME_REGISTERED, "the name \"" + registration.name()
                    + "\" is registered to a key you have not proved; only its holder or an operator can release it");
            return;
        }
        try {
            registrations.release(registration.name());
        } catch (IOException e) {
            log.error("cannot save the registered names: {}", e.getMessage());
            session.sendError(ErrorCode.OTHER, "the registered names could not be saved; nothing changed");
            return;
        }
        if (server.cluster() != null) {
            server.cluster().shareRegistration(registration.name(), "");
        }
        if (own) {
            server.chatLog().released(registration.name());
        } else {
            server.chatLog().operator("{} released the registered name {}", session.name(), registration.name());
        }
        ServerLine.Unregistered released = new ServerLine.Unregistered(server.now(), registration.name());
        session.deliver(released);
        UserRegistry.Registered holder = server.registry().find(registration.name());
        if (holder != null && holder.session() != session) {
            holder.session().deliver(released);
        }
    }

    /** {@code /key NAME}: the key registered to {@code NAME}, else the one its user online published. */
    private void key(ClientSession session, String name) {
        Registrations registrations = server.registrations();
        Registrations.Registration registration = registrations == null ? null : registrations.find(name);
        UserRegistry.Registered online = server.registry().find(name);
        if (registration != null) {
            String spelt = online != null ? online.name() : registration.name();
            session.deliver(new ServerLine.KeyOf(server.now(), spelt, registration.key().token()));
            return;
        }
        ClusterEvent.UserState elsewhere = online != null || server.cluster() == null ? null
                : server.cluster().state().find(name);
        if (elsewhere != null) {
            session.deliver(elsewhere.key().isEmpty() ? new ServerLine.NoKey(server.now(), elsewhere.name())
                    : new ServerLine.KeyOf(server.now(), elsewhere.name(), elsewhere.key()));
            return;
        }
        if (online == null) {
            session.sendError(ErrorCode.NO_SUCH_USER, "nobody called " + StringUtils.abbreviate(name, 40)
                    + " is online or registered");
            return;
        }
        KeyToken published = online.session().key();
        session.deliver(published == null ? new ServerLine.NoKey(server.now(), online.name())
                : new ServerLine.KeyOf(server.now(), online.name(), published.token()));
    }

    /** In a cluster, makes {@code session}'s key known on every node, for their users' {@code /key}. */
    private void tellCluster(ClientSession session) {
        ClusterLink cluster = server.cluster();
        if (cluster != null) {
            cluster.change(session, ClusterEvent.User.Change.KEY, "", session.roomNames(), () -> { });
        }
    }

    /** The server's registered names, or null after telling {@code session} that it registers none. */
    private Registrations registrationsFor(ClientSession session) {
        Registrations registrations = server.registrations();
        if (registrations == null) {
            session.sendError(ErrorCode.OTHER, "this server does not register names or keep keys");
        }
        return registrations;
    }

    /**
     * The key of {@code KEY SIGNATURE} when the signature is the connection's key challenge
     * signed with it for the user's current name; else null, after telling the user why.
     */
    private KeyToken provenKey(ClientSession session, List<String> arguments) {
        KeyToken key = KeyToken.parse(arguments.get(0)).orElse(null);
        if (key == null) {
            session.sendError(ErrorCode.KEY_INVALID, "\"" + StringUtils.abbreviate(arguments.get(0), 40)
                    + "\" is not a key: a key is " + KeyToken.PREFIX + " and 86 characters");
            return null;
        }
        if (!key.verifyChallenge(session.challenge(), session.name(), session.certificateFingerprint(), arguments.get(1))) {
            session.sendError(ErrorCode.SIGNATURE_WRONG, "the signature is not this connection's key challenge "
                    + "signed with that key for " + session.name());
            return null;
        }
        return key;
    }
}
