package dev.chat.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * The commands a client may send, each with what it takes.
 *
 * <p>A command is a line {@code /word arguments}. The last argument takes the rest of the
 * line, so {@code /msg bob see you at 5} has the two arguments {@code bob} and
 * {@code see you at 5}. Both sides use this table: the server to check access and arguments
 * before any handler runs, the clients to complete and explain commands.
 */
public enum Command {
    MSG("msg", 2, 2, Access.REGISTERED, "NAME TEXT", "send a private message to NAME"),
    ME("me", 1, 1, Access.REGISTERED, "ACTION", "say what you do, e.g. /me waves"),
    JOIN("join", 1, 1, Access.REGISTERED, "#ROOM", "join a room (made if new) and talk there"),
    PART("part", 0, 1, Access.REGISTERED, "[#ROOM]", "leave a room (this one if none is named)"),
    IN("in", 2, 2, Access.REGISTERED, "#ROOM LINE", "say a line or run a command in a room without switching to it"),
    ROOMS("rooms", 0, 0, Access.REGISTERED, "", "list the rooms"),
    WHO("who", 0, 3, Access.REGISTERED, "[#ROOM] [PREFIX*] [PAGE]",
            "list who is online, or who is in a room; a page of the names, or those starting with PREFIX"),
    TOPIC("topic", 0, 1, Access.REGISTERED, "[#ROOM] [TEXT]", "show or set a room's topic"),
    NICK("nick", 1, 2, Access.REGISTERED, "NAME [SIGNATURE]",
            "change your name; a registered name needs the key challenge signed for it"),
    AWAY("away", 0, 1, Access.REGISTERED, "[MESSAGE]", "mark yourself away; without a message, back"),
    OPER("oper", 2, 2, Access.REGISTERED, "NAME PASSWORD", "log in as an operator"),
    KICK("kick", 1, 2, Access.OPERATOR, "NAME [REASON]", "operators: disconnect a user"),
    BAN("ban", 1, 2, Access.OPERATOR, "NAME|ADDRESS [DURATION] [REASON]",
            "operators: keep a name or an address (or CIDR block) out, e.g. /ban 192.0.2.7 2h spam"),
    UNBAN("unban", 1, 1, Access.OPERATOR, "NAME|ADDRESS", "operators: lift a ban"),
    BANS("bans", 0, 0, Access.OPERATOR, "", "operators: list the bans"),
    WALL("wall", 1, 1, Access.OPERATOR, "MESSAGE", "operators: announce to everyone"),
    SIGN("sign", 2, 2, Access.AUTHENTICATED, "NAME SIGNATURE",
            "take a registered name with the key challenge signed for it (before a name, or as /nick)"),
    REGISTER("register", 2, 2, Access.REGISTERED, "KEY SIGNATURE",
            "register your name to your key (SIGNATURE: the key challenge signed for your name)"),
    PUBLISH("publish", 2, 2, Access.REGISTERED, "KEY SIGNATURE",
            "publish your key for your name while you are online"),
    UNREGISTER("unregister", 0, 1, Access.REGISTERED, "[NAME]",
            "release your registered name; operators: release NAME"),
    KEY("key", 1, 1, Access.REGISTERED, "NAME", "show the key of NAME, registered or published"),
    DIRECT("direct", 1, 1, Access.REGISTERED, "NAME",
            "ask NAME for a direct connection between your clients (both need keys)"),
    DIRECT_ACCEPT("direct-accept", 2, 2, Access.REGISTERED, "NAME PORT",
            "accept NAME's direct connection: your client listens on PORT (clients send it)"),
    DIRECT_DECLINE("direct-decline", 1, 1, Access.REGISTERED, "NAME", "decline NAME's direct connection"),
    PASS("pass", 1, 1, Access.ANYONE, "PASSWORD", "give the server's password, on servers that ask for one, before your name"),
    HELP("help", 0, 0, Access.ANYONE, "", "show these commands"),
    QUIT("quit", 0, 0, Access.ANYONE, "", "leave the chat");

    /**
     * Who may run a command. It is declared here, beside the command's arguments, rather than
     * in the server alone: it is part of what a command is, the server answers a refusal with
     * an {@link ErrorCode} the clients know, and the clients may use it to explain commands
     * (or offer only those that work yet).
     */
    public enum Access {
        /**
         * Anyone, at any time: before the server's password and before a name too. Before a
         * name, a line that is not a command is the name to register.
         */
        ANYONE,
        /**
         * A connection that gave the server's password (or whose server needs none), with a
         * name or before one. Earlier the server answers {@link ErrorCode#PASSWORD_REQUIRED}.
         */
        AUTHENTICATED,
        /**
         * A registered user: the connection has a name. Earlier the server answers
         * {@link ErrorCode#PASSWORD_REQUIRED} or {@link ErrorCode#NAME_REQUIRED}.
         */
        REGISTERED,
        /**
         * An operator: a registered user logged in with {@code /oper}. Others get
         * {@link ErrorCode#NOT_OPERATOR}.
         */
        OPERATOR
    }

    private final String word;
    private final int minArguments;
    private final int arguments;
    private final Access access;
    private final String argumentSyntax;
    private final String description;

    Command(String word, int minArguments, int arguments, Access access, String argumentSyntax,
            String description) {
        this.word = word;
        this.minArguments = minArguments;
        this.arguments = arguments;
        this.access = access;
        this.argumentSyntax = argumentSyntax;
        this.description = description;
    }

    /** The word after the slash, e.g. {@code msg}. */
    public String word() {
        return word;
    }

    /** How many arguments the command takes at most; the last one takes the rest of the line. */
    public int arguments() {
        return arguments;
    }

    /** How many arguments the command needs at least. */
    public int minArguments() {
        return minArguments;
    }

    /** Who may run the command; the server checks it before anything else about the command. */
    public Access access() {
        return access;
    }

    /** How the command is written, e.g. {@code /msg NAME TEXT}. */
    public String usage() {
        return argumentSyntax.isEmpty() ? "/" + word : "/" + word + " " + argumentSyntax;
    }

    /** What the command does, e.g. {@code send a private message to NAME}. */
    public String description() {
        return description;
    }

    /** The command whose word is {@code word}, ignoring case. */
    public static Optional<Command> byWord(String word) {
        String wanted = word.toLowerCase(Locale.ROOT);
        for (Command command : values()) {
            if (command.word.equals(wanted)) {
                return Optional.of(command);
            }
        }
        return Optional.empty();
    }
}
