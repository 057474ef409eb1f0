package dev.chat.client;

/** A connection to a server could not be made; {@link #getMessage()} says what and where in plain words. */
public final class ConnectFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why the connection failed. */
    public enum Reason {
        /** Nothing listens on that port. */
        REFUSED("connection refused (is the server running?)"),
        /** The host name does not resolve. */
        UNKNOWN_HOST("unknown host"),
        /** No answer within the connect timeout. */
        TIMED_OUT("no answer (timed out)"),
        /** Anything else the network reported. */
        NETWORK("network error");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        /** The reason in a few plain words. */
        public String words() {
            return words;
        }
    }

    private final Reason reason;

    public ConnectFailedException(String host, int port, Reason reason, Throwable cause) {
        super("Cannot connect to " + host + ":" + port + ": " + reason.words(), cause);
        this.reason = reason;
    }

    /** Why the connection failed. */
    public Reason reason() {
        return reason;
    }
}
