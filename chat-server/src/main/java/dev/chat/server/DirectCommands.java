package dev.chat.server;

import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.lang3.StringUtils;

/**
 * The offers of direct connections between two users' clients: {@code /direct NAME},
 * {@code /direct-accept NAME PORT} and {@code /direct-decline NAME}. The server only relays: it
 * tells the one asked of the offer, and on acceptance tells each side the other's address as it
 * sees it and the port the accepting client listens on; it never sees what the two then say.
 * Only users who published a key may take part, since the clients prove their keys to each
 * other over the direct connection. Each handler runs on the handler thread of the session that
 * sent it.
 */
final class DirectCommands {

    /** How long an offer may wait for its answer. */
    static final Duration OFFER_LIFETIME = Duration.ofMinutes(2);
    /** How many unanswered offers one session may have out at once. */
    static final int MAX_OFFERS_PER_SESSION = 8;

    /** An offer from one session to another; sessions compare by identity, so a name taken by someone new matches no old offer. */
    private record Offer(ClientSession from, ClientSession to) {
    }

    private final ChatServer server;
    /** The offers not answered yet, with when each expires (System.nanoTime()); guarded by {@code this}. */
    private final Map<Offer, Long> offers = new HashMap<>();

    private DirectCommands(ChatServer server) {
        this.server = server;
    }

    static Map<Command, CommandTable.Handler> handlers(ChatServer server) {
        DirectCommands commands = new DirectCommands(server);
        return Map.of(
                Command.DIRECT, (session, arguments) -> commands.offer(session, arguments.getFirst()),
                Command.DIRECT_ACCEPT, commands::accept,
                Command.DIRECT_DECLINE, (session, arguments) -> commands.decline(session, arguments.getFirst()));
    }

    /** {@code /direct NAME}: tells {@code NAME} of the offer and the sender that it went. */
    private void offer(ClientSession session, String name) {
        ClientSession target = peer(session, name);
        if (target == null) {
            return;
        }
        if (session.key() == null) {
            session.sendError(ErrorCode.KEY_REQUIRED, "a direct connection needs your key published "
                    + "(the project's clients publish it when they run with keys)");
            return;
        }
        if (target.key() == null) {
            session.sendError(ErrorCode.KEY_REQUIRED, target.name() + " has published no key, so a direct connection "
                    + "to them cannot be authenticated; /msg goes through the server instead");
            return;
        }
        synchronized (this) {
            expireLocked();
            long out = offers.keySet().stream().filter(offer -> offer.from() == session).count();
            if (out >= MAX_OFFERS_PER_SESSION && !offers.containsKey(new Offer(session, target))) {
                session.sendError(ErrorCode.OTHER, "you have " + out + " direct connection offers waiting for "
                        + "an answer already; wait until they are answered or expire");
                return;
            }
            offers.put(new Offer(session, target), System.nanoTime() + OFFER_LIFETIME.toNanos());
        }
        target.deliver(new ServerLine.DirectOffer(server.now(), session.name()));
        session.deliver(new ServerLine.DirectOffered(server.now(), target.name()));
    }

    /** {@code /direct-accept NAME PORT}: tells each side the other's address and the accepter's port. */
    private void accept(ClientSession session, List<String> arguments) {
        Integer port = port(arguments.get(1));
        if (port == null) {
            session.sendError(ErrorCode.USAGE, "\"" + StringUtils.abbreviate(arguments.get(1), 20)
                    + "\" is not a port (1 to 65535); usage: " + Command.DIRECT_ACCEPT.usage());
            return;
        }
        ClientSession offerer = answered(session, arguments.getFirst());
        if (offerer == null) {
            return;
        }
        if (session.key() == null) {
            session.sendError(ErrorCode.KEY_REQUIRED, "a direct connection needs your key published "
                    + "(the project's clients publish it when they run with keys)");
            return;
        }
        server.chatLog().directConnection(offerer.name(), session.name());
        offerer.deliver(new ServerLine.DirectConnect(server.now(), session.name(),
                session.address().getHostAddress(), port));
        session.deliver(new ServerLine.DirectListen(server.now(), offerer.name(),
                offerer.address().getHostAddress(), port));
    }

    /** {@code /direct-decline NAME}: tells the one who offered. */
    private void decline(ClientSession session, String name) {
        ClientSession offerer = answered(session, name);
        if (offerer == null) {
            return;
        }
        offerer.deliver(new ServerLine.DirectDeclined(server.now(), session.name()));
        session.deliver(new ServerLine.Info(server.now(), "You declined " + offerer.name() + "'s direct connection."));
    }

    /** The session online as {@code name}, not {@code session}'s own; else null after telling {@code session}. */
    private ClientSession peer(ClientSession session, String name) {
        UserRegistry.Registered online = server.registry().find(name);
        if (online == null) {
            session.sendError(ErrorCode.NO_SUCH_USER, "nobody called " + StringUtils.abbreviate(name, 40) + " is online");
            return null;
        }
        if (online.session() == session) {
            session.sendError(ErrorCode.USAGE, "a direct connection is between two users; " + online.name() + " is you");
            return null;
        }
        return online.session();
    }

    /**
     * The session of {@code name} whose offer to {@code session} waits, the offer taken away;
     * else null after telling {@code session}.
     */
    private ClientSession answered(ClientSession session, String name) {
        ClientSession offerer = peer(session, name);
        if (offerer == null) {
            return null;
        }
        boolean waiting;
        synchronized (this) {
            expireLocked();
            waiting = offers.remove(new Offer(offerer, session)) != null;
        }
        if (!waiting) {
            session.sendError(ErrorCode.NO_OFFER, offerer.name() + " has not offered you a direct connection"
                    + " (or the offer is older than " + OFFER_LIFETIME.toMinutes() + " minutes)");
            return null;
        }
        return offerer;
    }

    /** Drops the offers that expired or whose sessions ended. Caller holds {@code this}. */
    private void expireLocked() {
        long now = System.nanoTime();
        offers.entrySet().removeIf(entry -> entry.getValue() - now < 0
                || !isCurrent(entry.getKey().from()) || !isCurrent(entry.getKey().to()));
    }

    /** Whether {@code session} still holds its name. */
    private boolean isCurrent(ClientSession session) {
        String name = session.name();
        UserRegistry.Registered holder = name == null ? null : server.registry().find(name);
        return holder != null && holder.session() == session;
    }

    private static Integer port(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            return null;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535 ? port : null;
    }
}
