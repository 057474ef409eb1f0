package dev.chat.client;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
        NETWORK("network error"),
        /** A TLS connection met something that does not speak TLS, such as the chat server's plain port. */
        NOT_TLS("the server did not answer with TLS (is this the plain port?)"),
        /** The TLS handshake did not finish within the timeout. */
        TLS_TIMED_OUT("the TLS handshake did not finish in time"),
        /** The TLS handshake failed for another reason, e.g. no protocol version in common. */
        TLS_FAILED("the TLS handshake failed"),
        /** The server's certificate is not vouched for by an authority, and the user did not accept it. */
        NOT_TRUSTED("the server's certificate is not trusted"),
        /** The server shows another certificate than the one the user accepted for it before. */
        CERTIFICATE_CHANGED("the server's certificate has changed since you trusted it"),
        /** The known-servers file could not be read or written. */
        KNOWN_SERVERS("cannot use the known-servers file");

        private final String words;

        Reason(String words) {
            this.words = words;
        }

        /** The reason in a few plain words. */
        public String words() {
            return words;
        }

        /**
         * Whether trying again cannot help without the user doing something: trusting the
         * certificate, or finding out why it changed.
         */
        public boolean needsUser() {
            return this == NOT_TRUSTED || this == CERTIFICATE_CHANGED || this == KNOWN_SERVERS;
        }
    }

    private final String host;
    private final int port;
    private final Reason reason;
    private final String knownFingerprint;
    private final String presentedFingerprint;

    public ConnectFailedException(String host, int port, Reason reason, Throwable cause) {
        this(host, port, reason, null, cause, null, null);
    }

    /**
     * @param detail               more words after the reason's, or null
     * @param knownFingerprint     the fingerprint the user trusted before, or null
     * @param presentedFingerprint the fingerprint of the certificate the server showed, or null
     */
    public ConnectFailedException(String host, int port, Reason reason, String detail, Throwable cause,
            String knownFingerprint, String presentedFingerprint) {
        super("Cannot connect to " + host + ":" + port + ": " + reason.words() + (detail == null ? "" : ": " + detail),
                cause);
        this.host = host;
        this.port = port;
        this.reason = reason;
        this.knownFingerprint = knownFingerprint;
        this.presentedFingerprint = presentedFingerprint;
    }

    /** Why the connection failed. */
    public Reason reason() {
        return reason;
    }

    /** The host as given. */
    public String host() {
        return host;
    }

    /** The port. */
    public int port() {
        return port;
    }

    /** For {@link Reason#CERTIFICATE_CHANGED}: the fingerprint trusted before. */
    public Optional<String> knownFingerprint() {
        return Optional.ofNullable(knownFingerprint);
    }

    /** For {@link Reason#NOT_TRUSTED} and {@link Reason#CERTIFICATE_CHANGED}: the fingerprint the server showed. */
    public Optional<String> presentedFingerprint() {
        return Optional.ofNullable(presentedFingerprint);
    }

    /**
     * For {@link Reason#CERTIFICATE_CHANGED}: what happened and what to do about it, in
     * paragraphs for users, the same words in every client.
     *
     * @param knownServersFile the file that holds the fingerprint trusted before
     */
    public List<String> certificateChangeExplained(Path knownServersFile) {
        String key = KnownServers.key(host, port);
        String known = knownFingerprint().orElse("?");
        return List.of(
                "The server " + key + " shows another certificate than the one you trusted before.",
                "Trusted before: " + known,
                "Shown now: " + presentedFingerprint().orElse("?"),
                "Someone may be listening in on the connection (a man-in-the-middle attack), or the server's admin "
                        + "may have made a new certificate. Nothing was sent: no name, no password.",
                "Ask the admin for the server's fingerprint. Only if it is the one shown now, delete the line \""
                        + key + " " + known + "\" from " + knownServersFile + " and connect again.");
    }
}
