package dev.chat.server;

import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.lang3.StringUtils;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** The operator commands: logging in, kicking, banning, announcing. Each is written to chat.log. */
final class OperatorCommands {

    private static final Logger log = LogManager.getLogger(OperatorCommands.class);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})([smhd])");

    private final ChatServer server;

    private OperatorCommands(ChatServer server) {
        this.server = server;
    }

    static Map<Command, CommandTable.Handler> handlers(ChatServer server) {
        OperatorCommands commands = new OperatorCommands(server);
        // Who may run these is the commands' own declaration (Command.access), checked by the table.
        return Map.of(
                Command.OPER, commands::oper,
                Command.KICK, commands::kick,
                Command.BAN, commands::ban,
                Command.UNBAN, commands::unban,
                Command.BANS, commands::bans,
                Command.WALL, commands::wall);
    }

    /** {@code /oper NAME PASSWORD}. A failure says no more than that, and waits as a wrong server password does. */
    private void oper(ClientSession session, List<String> arguments) {
        String account = arguments.get(0);
        if (!server.operators().verify(account, arguments.get(1))) {
            Duration delay = server.loginThrottle().failed(session.address());
            log.info("{} ({}): operator login failed", session.name(), session.remote());
            FloodGate.await(delay.toNanos(), () -> false);
            session.sendError(ErrorCode.OPER_FAILED, "operator login failed");
            return;
        }
        server.loginThrottle().succeeded(session.address());
        String name = server.operators().accountName(account);
        session.becomeOperator(name);
        server.chatLog().operator("{} is an operator now (account {})", session.name(), name);
        session.deliver(new ServerLine.Info(server.now(), "You are an operator now. /help lists what operators may do."));
    }

    /** {@code /kick NAME [REASON]}. */
    private void kick(ClientSession session, List<String> arguments) {
        UserRegistry.Registered target = server.registry().find(arguments.get(0));
        String reason = arguments.size() > 1 ? arguments.get(1) : "no reason given";
        ClusterLink cluster = server.cluster();
        ClusterEvent.UserState elsewhere = target != null || cluster == null ? null
                : cluster.state().find(arguments.get(0));
        if (elsewhere != null) {
            // Carried out by the node the user is on, which records it.
            cluster.order(new ClusterEvent.Kick(cluster.node(), elsewhere.name(), session.name(), reason), () ->
                    session.deliver(new ServerLine.Info(server.now(), "Kicked " + elsewhere.name() + ".")));
            return;
        }
        if (target == null) {
            session.sendError(ErrorCode.NO_SUCH_USER, "nobody called " + StringUtils.abbreviate(arguments.get(0), 40)
                    + " is online");
            return;
        }
        kickOut(server, target.session(), session.name(), reason);
        session.deliver(new ServerLine.Info(server.now(), "Kicked " + target.name() + "."));
    }

    /** {@code /ban NAME|ADDRESS [DURATION] [REASON]}, e.g. {@code /ban 192.0.2.0/24 2h spam}. */
    private void ban(ClientSession session, List<String> arguments) {
        String target = arguments.get(0);
        Bans.Kind kind = kindOf(target);
        if (kind == null) {
            session.sendError(ErrorCode.USAGE, "\"" + StringUtils.abbreviate(target, 40)
                    + "\" is neither a name nor an address; usage: " + Command.BAN.usage());
            return;
        }
        String rest = arguments.size() > 1 ? arguments.get(1) : "";
        Instant expires = null;
        String[] words = rest.split(" ", 2);
        Matcher duration = DURATION.matcher(words[0]);
        if (duration.matches()) {
            expires = server.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plus(durationOf(duration));
            rest = words.length > 1 ? words[1].strip() : "";
        }
        String reason = rest.isEmpty() ? "no reason given" : rest;
        Bans.Ban ban = new Bans.Ban(kind, target, expires, session.name(), reason);
        try {
            server.bans().add(ban);
        } catch (IOException e) {
            log.error("cannot save the bans: {}", e.getMessage());
            session.sendError(ErrorCode.OTHER, "the ban could not be saved; it was not made");
            return;
        }
        server.chatLog().operator("{} banned {} {} ({})", session.name(), target, ban.duration(), reason);
        enforce(server, ban);
        ClusterLink cluster = server.cluster();
        if (cluster != null) {
            // Every other node keeps the ban too, and disconnects those it covers there; so does a node that starts later.
            cluster.shareBan(ban);
        }
        session.deliver(new ServerLine.Info(server.now(), "Banned " + target + " " + ban.duration() + "."));
    }

    private static Bans.Kind kindOf(String target) {
        if (NameRules.isValid(target) && !target.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return Bans.Kind.NAME;
        }
        try {
            AddressRange.parse(target);
            return Bans.Kind.ADDRESS;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Duration durationOf(Matcher matcher) {
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** {@code /unban NAME|ADDRESS}. */
    private void unban(ClientSession session, List<String> arguments) {
        String target = arguments.get(0);
        boolean removed;
        try {
            removed = server.bans().remove(target);
        } catch (IOException e) {
            log.error("cannot save the bans: {}", e.getMessage());
            session.sendError(ErrorCode.OTHER, "the bans could not be saved; nothing changed");
            return;
        }
        if (!removed) {
            session.sendError(ErrorCode.USAGE, StringUtils.abbreviate(target, 40) + " is not banned; /bans lists the bans");
            return;
        }
        server.chatLog().operator("{} lifted the ban on {}", session.name(), target);
        ClusterLink cluster = server.cluster();
        if (cluster != null) {
            cluster.liftBan(target, session.name());
        }
        session.deliver(new ServerLine.Info(server.now(), "Lifted the ban on " + target + "."));
    }

    /** {@code /bans}: one information line per ban in force. */
    private void bans(ClientSession session, List<String> arguments) {
        List<Bans.Ban> active = server.bans().active();
        session.deliver(new ServerLine.Info(server.now(), active.size() + (active.size() == 1 ? " ban" : " bans")
                + (active.isEmpty() ? "." : ":")));
        for (Bans.Ban ban : active) {
            session.deliver(new ServerLine.Info(server.now(), "  " + ban.target() + " " + ban.duration() + ", by "
                    + ban.by() + ": " + ban.reason()));
        }
    }

    /** {@code /wall MESSAGE}: to everyone on the server, in whatever rooms. */
    private void wall(ClientSession session, List<String> arguments) {
        String text = arguments.getFirst();
        Runnable announce = () -> announce(server, session.name(), text);
        ClusterLink cluster = server.cluster();
        if (cluster == null) {
            announce.run();
        } else {
            cluster.order(new ClusterEvent.Wall(cluster.node(), session.name(), text), announce);
        }
    }

    // What an operator's command does to the users of this server: here, and for another node's operator.

    /** Records the kick of {@code target} by {@code by}, tells it why, and ends its session. */
    static void kickOut(ChatServer server, ClientSession target, String by, String reason) {
        server.chatLog().operator("{} kicked {} ({})", by, target.name(), reason);
        target.closeWith(new ServerLine.Error(server.now(), ErrorCode.KICKED, "you were kicked by " + by + ": " + reason),
                "kicked by " + by + ": " + reason);
    }

    /** Tells every session {@code ban} covers why, and ends it; others see it leave as banned. */
    static void enforce(ChatServer server, Bans.Ban ban) {
        String notice = "you are banned " + ban.duration() + ": " + ban.reason();
        for (ClientSession banned : server.sessionsMatching(ban)) {
            banned.closeWith(new ServerLine.Error(server.now(), ErrorCode.BANNED, notice),
                    "banned by " + ban.by() + ": " + ban.reason());
        }
    }

    /** Records {@code by}'s announcement and sends it to every user of this server. */
    static void announce(ChatServer server, String by, String text) {
        server.chatLog().operator("{} announced: {}", by, text);
        // Encoded once for everyone.
        byte[] wall = new ServerLine.Wall(server.now(), by, text).toWire();
        server.registry().all().forEach(user -> user.session().deliver(wall));
    }
}
