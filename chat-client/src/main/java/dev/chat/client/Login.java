package dev.chat.client;

import dev.chat.client.identity.Challenge;
import dev.chat.client.identity.Identity;
import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Signing on over one new connection: wait for what the server asks first, give its password
 * when it asks for one, send the name, and read the answer. The one place that knows this part
 * of the protocol; {@link ChatClient} runs it for the first sign-on and for every reconnection.
 *
 * <p>{@link #signOn} and {@link #tryName} block the calling thread, which must not be the
 * client's events thread: that thread hands this one the server's answers through {@link #offer}.
 */
public final class Login {

    /**
     * What a view is asked while signing on: the server's password, and whether to trust a
     * certificate seen for the first time. Both calls come on the thread that signs on, and may
     * block while a person answers.
     */
    public interface Prompts extends TrustPrompt {

        /** Asks nobody: for scripts, and for reconnections where nobody can be asked. */
        Prompts NOBODY = new Prompts() {
        };

        /**
         * The server asks for a name and none was given: the name to propose, or null to give
         * up. Asked again, with the server's refusal told as a line first, only by a view that
         * calls {@link ChatClient#tryName}.
         */
        default String name() {
            return null;
        }

        /**
         * The server at {@code where} ({@code host:port}) asks for its password and none was
         * given: the password, or null to give up. Not kept by the view; the client keeps it
         * in memory for reconnecting.
         */
        default String password(String where) {
            return null;
        }

        /** By default nobody new is trusted. */
        @Override
        default boolean trustFirstTime(String host, int port, String fingerprint) {
            return false;
        }
    }

    /** How signing on ended. */
    public sealed interface Outcome {

        /** Whether the connection is still open and waits for another name ({@link ChatClient#tryName}). */
        default boolean canTryAnotherName() {
            return false;
        }

        /** Signed on as {@code name}, as the server spells it. */
        record SignedOn(String name) implements Outcome {
        }

        /** Someone else has {@code name}; another may be tried on the same connection. */
        record NameTaken(String name, String message) implements Outcome {
            @Override
            public boolean canTryAnotherName() {
                return true;
            }
        }

        /**
         * The server wants its password: none was given and nobody could be asked
         * ({@code wrong} false), or it refused the one given ({@code wrong} true). The
         * connection is closed. {@code message} is fit for users and never holds the password.
         */
        record PasswordWanted(boolean wrong, String message) implements Outcome {
        }

        /**
         * The server refused the name for another reason than someone having it: {@code code}
         * says why ({@link ErrorCode#NAME_INVALID}, or {@link ErrorCode#NAME_REGISTERED} for a
         * name registered to another key than the client's: another may be tried on the same
         * connection; {@link ErrorCode#BANNED}: the server closes it). {@code message} is the server's.
         */
        record Refused(String name, ErrorCode code, String message) implements Outcome {
            @Override
            public boolean canTryAnotherName() {
                return code == ErrorCode.NAME_INVALID || code == ErrorCode.NAME_REGISTERED;
            }
        }

        /**
         * The server's certificate is not trusted (the user said no, or nobody could be asked),
         * has changed since the user trusted it, or the known-servers file cannot be used;
         * {@link ConnectFailedException#reason()} says which. Nothing was sent to the server.
         */
        record TrustNeeded(ConnectFailedException failure) implements Outcome {
        }

        /**
         * No connection could be made, or it ended or went quiet before signing on was done;
         * trying again later may work. {@code message} is fit for users.
         *
         * @param failure why connecting failed, or null when the connection was made
         */
        record Unreachable(String message, ConnectFailedException failure) implements Outcome {
        }
    }

    /** How long to wait for the answer to a password: the server answers a wrong one after a delay of up to 30 s. */
    static final Duration PASSWORD_TIMEOUT = Duration.ofSeconds(40);

    /** Put into {@link #answers} when the connection ends. */
    private static final ServerLine CLOSED = new ServerLine.Unknown(null, "(connection closed)");

    /** The lines that answer this sign-on, and {@link #CLOSED}; filled on the client's events thread. */
    private final BlockingQueue<ServerLine> answers = new LinkedBlockingQueue<>();
    private final Duration timeout;
    /** The user's keys, or null: with them, a proposed name goes with the challenge signed for it. */
    private final Identity identity;
    /** The connection's key challenge, or null while the server sent none (it registers no names). */
    private volatile Challenge challenge;
    /** The connection signed on over; set when signing on starts. */
    private volatile Connection connection;
    /** The password the server took, or null; kept for reconnecting. */
    private volatile String password;

    /**
     * @param timeout  how long the server may take to ask for a name and to answer it
     * @param identity the user's keys, or null for none
     */
    Login(Duration timeout, Identity identity) {
        this.timeout = timeout;
        this.identity = identity;
    }

    /**
     * Hands this sign-on a line the server sent; only the key challenge, prompts, the welcome and
     * errors matter here. Events thread.
     */
    void offer(ServerLine line) {
        if (line instanceof ServerLine.Challenge given) {
            // It comes before the name prompt that the signing-on thread waits for.
            challenge = Challenge.parse(given.challenge()).orElse(null);
            return;
        }
        if (line instanceof ServerLine.PasswordPrompt || line instanceof ServerLine.NamePrompt
                || line instanceof ServerLine.Welcome || line instanceof ServerLine.Error) {
            answers.add(line);
        }
    }

    /** The connection ended. Events thread. */
    void closed() {
        answers.add(CLOSED);
    }

    /** The password the server took, or null when it needed none. */
    String password() {
        return password;
    }

    /**
     * Gives the server its password when it asks ({@code given}, or what {@code prompts} says),
     * then proposes {@code name} (or what {@code prompts} says when it is null), over {@code over}, whose lines reach {@link #offer}. Blocks the
     * calling thread while the server answers.
     */
    Outcome signOn(Connection over, String given, Prompts prompts, String name) throws InterruptedException {
        connection = over;
        String where = connection.host() + ":" + connection.port();
        ServerLine first = next(timeout);
        if (first instanceof ServerLine.PasswordPrompt) {
            String offered = given != null ? given : prompts.password(where);
            if (offered == null) {
                return new Outcome.PasswordWanted(false, "the server " + where + " needs a password");
            }
            if (!send("/" + Command.PASS.word() + " " + offered)) {
                return lost(where, "before it took the password");
            }
            switch (next(PASSWORD_TIMEOUT)) {
                case ServerLine.NamePrompt prompt -> password = offered;
                case ServerLine.Error error when error.code() == ErrorCode.PASSWORD_WRONG -> {
                    return new Outcome.PasswordWanted(true, "the server " + where + " refused the password");
                }
                case ServerLine answer when answer == CLOSED -> {
                    return lost(where, "before it took the password");
                }
                case null -> {
                    return new Outcome.Unreachable("the server " + where + " did not answer the password within "
                            + PASSWORD_TIMEOUT.toSeconds() + " s", null);
                }
                default -> {
                    return new Outcome.Unreachable("the server " + where + " did not take the password", null);
                }
            }
        } else if (first instanceof ServerLine.Error refusal) {
            // A server that takes no more connections (or not from here) says so in one line and hangs up.
            return switch (refusal.code()) {
                case SERVER_FULL, TOO_MANY_CONNECTIONS -> new Outcome.Unreachable("the server " + where
                        + " does not take the connection now: " + refusal.text(), null);
                default -> new Outcome.Refused(name, refusal.code(), refusal.text());
            };
        } else if (first == CLOSED) {
            return lost(where, "before it asked for a name");
        } else if (first == null) {
            return new Outcome.Unreachable("the server " + where + " did not ask for a name within "
                    + timeout.toSeconds() + " s", null);
        } else if (!(first instanceof ServerLine.NamePrompt)) {
            return new Outcome.Unreachable("the server " + where + " does not speak this chat protocol", null);
        }
        String proposed = name != null ? name : prompts.name();
        if (proposed == null) {
            return new Outcome.Unreachable("no name was given", null);
        }
        return tryName(proposed);
    }

    /**
     * The connection's key challenge signed with the user's key for {@code name}, or null when
     * the client has no keys, the server sent no challenge, or the name is not a valid one.
     */
    String signature(String name) {
        Challenge given = challenge;
        if (identity == null || given == null || !NameRules.isValid(name)) {
            return null;
        }
        return identity.signChallenge(given, name, connection.serverFingerprint().orElse(null));
    }

    /**
     * Proposes {@code name} on a connection that asks for one, and reads the answer: with keys,
     * as {@code /sign NAME SIGNATURE}, which gets a name registered to them and any name that is
     * not registered. Blocks the calling thread.
     */
    Outcome tryName(String name) throws InterruptedException {
        String where = connection.host() + ":" + connection.port();
        String signature = signature(name);
        if (!send(signature == null ? name : "/" + Command.SIGN.word() + " " + name + " " + signature)) {
            return lost(where, "before it took the name");
        }
        return switch (next(timeout)) {
            case ServerLine.Welcome welcome -> new Outcome.SignedOn(welcome.name());
            case ServerLine.Error error when error.code() == ErrorCode.NAME_TAKEN ->
                    new Outcome.NameTaken(name, error.text());
            case ServerLine.Error error when error.code() == ErrorCode.PASSWORD_REQUIRED ->
                    new Outcome.PasswordWanted(false, "the server " + where + " needs a password");
            case ServerLine.Error error -> new Outcome.Refused(name, error.code(), error.text());
            case null -> new Outcome.Unreachable("the server " + where + " did not answer the name within "
                    + timeout.toSeconds() + " s", null);
            default -> lost(where, "before it took the name");
        };
    }

    private static Outcome lost(String where, String when) {
        return new Outcome.Unreachable("the server " + where + " closed the connection " + when, null);
    }

    private boolean send(String line) {
        try {
            connection.send(line);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The next answer, {@link #CLOSED} once the connection ended, or null after {@code wait}. */
    private ServerLine next(Duration wait) throws InterruptedException {
        return answers.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }
}
