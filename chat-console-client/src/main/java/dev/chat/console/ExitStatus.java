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
    WAIT_TIMED_OUT(4);

    private final int code;

    ExitStatus(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}
