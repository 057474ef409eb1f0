package dev.chat.client;

import java.time.Duration;
import java.util.Optional;

/** Where a {@link ChatClient}'s connection stands, as a status line shows it. */
public sealed interface ConnectionState {

    /** Not connected and not trying: before the first sign-on, after leaving, or after giving up. */
    record Offline() implements ConnectionState {
    }

    /** Connecting to {@code endpoint} and signing on. */
    record Connecting(Endpoint endpoint) implements ConnectionState {
    }

    /**
     * Signed on to {@code endpoint} as {@code name} (the name changes with {@code /nick}).
     *
     * @param fingerprint the SHA-256 fingerprint of the server's certificate with TLS, else null
     */
    record SignedOn(Endpoint endpoint, String name, String fingerprint) implements ConnectionState {

        /** Whether the connection is made with TLS. */
        public boolean tls() {
            return fingerprint != null;
        }

        /** The fingerprint of the server's certificate, empty without TLS. */
        public Optional<String> serverFingerprint() {
            return Optional.ofNullable(fingerprint);
        }
    }

    /**
     * The connection was lost; attempt number {@code attempt} (from 1) to sign on again, to
     * {@code endpoint} (the server lost, or with several servers the one whose turn it is), starts
     * in {@code remaining}.
     */
    record Reconnecting(Endpoint endpoint, int attempt, Duration remaining) implements ConnectionState {

        /** {@link #remaining()} in whole seconds, rounded up, as a countdown shows it. */
        public long seconds() {
            return (remaining.toMillis() + 999) / 1000;
        }
    }
}
