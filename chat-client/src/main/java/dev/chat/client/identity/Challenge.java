package dev.chat.client.identity;

import dev.chat.client.Fingerprint;
import dev.chat.protocol.identity.KeyChallenge;
import java.util.Optional;

/**
 * The random value a server gives each connection so that a client can prove it holds the key a
 * name is registered to: the client signs it ({@link Identity#signChallenge}), the server checks
 * the signature ({@link PublicIdentity#verifyChallenge}). Its token is 43 characters of
 * base64url (32 bytes). Immutable.
 *
 * <p>What is signed is laid out byte for byte by the protocol's {@link KeyChallenge}, which the
 * server uses too: a context string, the server certificate's SHA-256 (32 zero bytes on a plain
 * connection), the challenge and the name in lower case. This class adds the reading of a
 * fingerprint as a user may type it.
 */
public final class Challenge {

    /** How many random bytes a challenge has. */
    public static final int BYTES = KeyChallenge.BYTES;

    private final KeyChallenge challenge;

    private Challenge(KeyChallenge challenge) {
        this.challenge = challenge;
    }

    /** A new challenge, as a server makes one for each connection. */
    public static Challenge random() {
        return new Challenge(KeyChallenge.random());
    }

    /** The challenge {@code token} spells, or empty when it is not 32 bytes of canonical base64url. */
    public static Optional<Challenge> parse(String token) {
        return KeyChallenge.parse(token).map(Challenge::new);
    }

    /** The challenge as it goes on the wire. */
    public String token() {
        return challenge.token();
    }

    /** The protocol's form of this challenge. */
    KeyChallenge keyChallenge() {
        return challenge;
    }

    /**
     * The bytes a signature covers.
     *
     * @param serverFingerprint the server certificate's SHA-256 fingerprint in any form
     *                          {@link Fingerprint#parse} reads, or null on a connection without TLS
     * @throws IllegalArgumentException when {@code name} breaks the name rules or the fingerprint is none
     */
    byte[] signedBytes(String name, String serverFingerprint) {
        return challenge.signedBytes(name, canonical(serverFingerprint));
    }

    /**
     * {@code fingerprint} in its canonical form, or null for null.
     *
     * @throws IllegalArgumentException when it is no SHA-256 fingerprint
     */
    static String canonical(String fingerprint) {
        if (fingerprint == null) {
            return null;
        }
        return Fingerprint.parse(fingerprint)
                .orElseThrow(() -> new IllegalArgumentException("not a SHA-256 fingerprint: " + fingerprint));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Challenge that && challenge.equals(that.challenge);
    }

    @Override
    public int hashCode() {
        return challenge.hashCode();
    }

    @Override
    public String toString() {
        return token();
    }
}
