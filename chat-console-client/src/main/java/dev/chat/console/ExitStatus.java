package dev.chat.console;

/** How the console client ends, as the status a shell sees. */
public enum ExitStatus {
    /** The user left: {@code /quit}, Ctrl+D, Ctrl+C, or the end of input in a script. */
    OK(0),
    /** The server went away (shut down or the connection broke) and no reconnect was asked for. */
    SERVER_GONE(1),
    /** No connection could be made, or the command line was wrong. */
    CANNOT_CONNECT(2),
    /** The name was refused and there is nobody to ask for another (input is not a terminal). */
    NAME_REFUSED(3),
    /** {@code --wait-for} saw no matching line within {@code --timeout}. */
    WAIT_TIMED_OUT(4),
    /** The server wants a password: it was wrong, or none was given and there is nobody to ask. */
    PASSWORD(5),
    /** The server's certificate is not trusted: the user said no, or a script met a server not known yet. */
    NOT_TRUSTED(6),
    /** The server's certificate is not the one the user trusted before. */
    CERTIFICATE_CHANGED(7);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}
