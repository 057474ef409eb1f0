package dev.chat.swing.model;

import dev.chat.client.ConnectFailedException;
import dev.chat.client.Endpoint;
import dev.chat.client.Login;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.Text;
import java.nio.file.Path;

/** How a connect request from the user ended; every message is in plain words for the user. */
public sealed interface ConnectOutcome {

    /** What happened, in a sentence or more for the user. */
    String message();

    /** Connected, with TLS if {@code tls}, and signed on as {@code name}. */
    record Connected(String host, int port, boolean tls, String name) implements ConnectOutcome {
        @Override
        public String message() {
            return "Connected to " + host + ":" + port + " as " + name + ".";
        }
    }

    /** The server needs a password and none was given, or it refused the one given; only the password needs changing. */
    record PasswordRefused(String message) implements ConnectOutcome {
    }

    /**
     * The server's TLS certificate is not trusted: the user declined it ({@code NOT_TRUSTED}),
     * it changed since the user trusted it ({@code CERTIFICATE_CHANGED}), or the known-servers
     * file could not be used ({@code KNOWN_SERVERS}). Nothing was sent to the server.
     */
    record Untrusted(ConnectFailedException.Reason reason, String message) implements ConnectOutcome {
    }

    /** No connection could be made, or it broke before the name was accepted. */
    record Unreachable(String message) implements ConnectOutcome {
    }

    /** The server refused the name; only the name needs changing. */
    record NameRefused(Reason reason, String message) implements ConnectOutcome {
    }

    /** Why a name was refused. */
    enum Reason {
        /** Someone else uses it. */
        TAKEN,
        /** It breaks the name rules, or the server keeps it out. */
        INVALID
    }

    /**
     * What signing on to {@code endpoint} came to, in the desktop client's words.
     *
     * @param knownServersFile where trusted certificates are kept, for the advice on a changed one
     */
    static ConnectOutcome of(Login.Outcome outcome, Endpoint endpoint, Path knownServersFile) {
        String where = endpoint.toString();
        return switch (outcome) {
            case Login.Outcome.SignedOn signedOn ->
                    new Connected(endpoint.host(), endpoint.port(), endpoint.isTls(), signedOn.name());
            case Login.Outcome.NameTaken taken -> new NameRefused(Reason.TAKEN,
                    "The name \u201c" + taken.name() + "\u201d is already taken. Please choose another one.");
            case Login.Outcome.Refused refused when refused.code() == ErrorCode.NAME_INVALID -> new NameRefused(
                    Reason.INVALID, "The server does not accept the name \u201c" + refused.name() + "\u201d: "
                            + Text.stripControls(refused.message()));
            case Login.Outcome.Refused refused -> new NameRefused(Reason.INVALID,
                    "The server refused you: " + Text.stripControls(refused.message()));
            case Login.Outcome.PasswordWanted wanted when wanted.wrong() -> new PasswordRefused(
                    "The server at " + where + " refused the password. Please check it and try again.");
            case Login.Outcome.PasswordWanted wanted -> new PasswordRefused(
                    "The server at " + where + " needs a password. Please enter it.");
            case Login.Outcome.TrustNeeded needed -> untrusted(needed.failure(), knownServersFile);
            case Login.Outcome.Unreachable unreachable when unreachable.failure() != null ->
                    new Unreachable(unreachable.failure().getMessage() + ".");
            case Login.Outcome.Unreachable unreachable -> new Unreachable(sentence(unreachable.message())
                    + " Please try again later.");
        };
    }

    /** Why a certificate is not trusted, in words for the user; at length when it has changed. */
    private static ConnectOutcome untrusted(ConnectFailedException e, Path knownServersFile) {
        String where = e.host() + ":" + e.port();
        return switch (e.reason()) {
            case CERTIFICATE_CHANGED -> new Untrusted(e.reason(), "Not connected: the certificate of the server "
                    + where + " has changed since you trusted it.\n"
                    + String.join("\n", e.certificateChangeExplained(knownServersFile).subList(1, 5)));
            case NOT_TRUSTED -> new Untrusted(e.reason(), "Not connected: the certificate of " + where
                    + " (SHA-256 " + e.presentedFingerprint().orElse("?") + ") is not trusted. Nothing was sent.");
            default -> new Untrusted(e.reason(), e.getMessage() + ".");
        };
    }

    /** {@code text} as a sentence: a capital first and a full stop last. */
    private static String sentence(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + (text.endsWith(".") ? "" : ".");
    }
}
