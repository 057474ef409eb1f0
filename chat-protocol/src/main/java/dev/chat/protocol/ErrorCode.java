package dev.chat.protocol;

/** The reasons a server gives in an error line, each with the token that names it on the wire. */
public enum ErrorCode {
    /** The proposed name is used by someone else; the client may send another. */
    NAME_TAKEN("name-taken"),
    /** The proposed name breaks the {@link NameRules}; the client may send another. */
    NAME_INVALID("name-invalid"),
    /**
     * The proposed name is registered to a key and no valid signature of the connection's key
     * challenge for it came; the client may send another name.
     */
    NAME_REGISTERED("name-registered"),
    /**
     * {@code /register} or {@code /publish} was given something that is not a key token, or
     * {@code /publish} another key than the one the name is registered to.
     */
    KEY_INVALID("key-invalid"),
    /** {@code /register} or {@code /publish} was given a signature that does not match its key. */
    SIGNATURE_WRONG("signature-wrong"),
    /** A direct connection was asked for or accepted by, or for, a user who has published no key. */
    KEY_REQUIRED("key-required"),
    /** {@code /direct-accept} or {@code /direct-decline} named a user who offered no direct connection (or it expired). */
    NO_OFFER("no-offer"),
    /** The command needs a registered user, and the connection has no name yet; the client may send one. */
    NAME_REQUIRED("name-required"),
    /** A line went over the server's limit and was dropped; the connection goes on. */
    LINE_TOO_LONG("line-too-long"),
    /** A {@code /word} that the server does not know. */
    UNKNOWN_COMMAND("unknown-command"),
    /** A command was given too few arguments. */
    USAGE("usage"),
    /** The user a private message was meant for is not online. */
    NO_SUCH_USER("no-such-user"),
    /** A room name breaks the room rules. */
    ROOM_INVALID("room-invalid"),
    /** The room does not exist. */
    NO_SUCH_ROOM("no-such-room"),
    /** The command needs a room the client is in, and it is not in that room (or in none). */
    NOT_IN_ROOM("not-in-room"),
    /** The server needs its password ({@code /pass PASSWORD}) before anything else. */
    PASSWORD_REQUIRED("password-required"),
    /** The password was wrong; the server closes the connection after a delay. */
    PASSWORD_WRONG("password-wrong"),
    /** An operator login ({@code /oper}) failed. */
    OPER_FAILED("oper-failed"),
    /** The command is for operators only. */
    NOT_OPERATOR("not-operator"),
    /** The name or the address is banned; the server closes the connection. */
    BANNED("banned"),
    /** An operator disconnected the client; the server closes the connection. */
    KICKED("kicked"),
    /** The server has as many connections as it takes; it closes this one. */
    SERVER_FULL("server-full"),
    /** The client's address has as many connections as the server allows one address; it closes this one. */
    TOO_MANY_CONNECTIONS("too-many-connections"),
    /** No name came within the registration timeout; the server closes the connection. */
    TIMEOUT("timeout"),
    /** The client kept sending far faster than the server takes lines; the server closes the connection. */
    FLOODING("flooding"),
    /** A WebSocket client sent a binary message, which carries no line; the server closes the connection. */
    BINARY_FRAME("binary-frame"),
    /** A token this client version does not know, from a newer server. */
    OTHER("error");

    private final String token;

    ErrorCode(String token) {
        this.token = token;
    }

    /** The token on the wire, e.g. {@code name-taken}. */
    public String token() {
        return token;
    }

    /** The code for a wire token; {@link #OTHER} for one that is not known. */
    public static ErrorCode fromToken(String token) {
        for (ErrorCode code : values()) {
            if (code.token.equals(token)) {
                return code;
            }
        }
        return OTHER;
    }
}
