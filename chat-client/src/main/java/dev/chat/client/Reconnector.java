package dev.chat.client;

import dev.chat.protocol.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Brings a lost {@link ChatClient} session back: waits as {@link Backoff} says, counting the
 * seconds down, connects again (with TLS when the endpoint says so), gives the server password
 * again when the server asks for it, and re-registers the same name, until it succeeds, the
 * name, the password or the server's certificate is refused for good, or {@link #cancel()} is
 * called. Runs on its own thread named
 * {@code reconnect}.
 */
public final class Reconnector {

    /** What a view hears while a session is being brought back; every call comes on the {@code reconnect} thread. */
    public interface Listener {

        /**
         * The next attempt comes in {@code remaining}; called when a wait starts and then once
         * a second until it ends.
         *
         * @param attempt the number of the coming attempt, from 1
         */
        void onCountdown(int attempt, Duration remaining);

        /** An attempt failed; {@code reason} is fit for users. Another wait follows. */
        void onAttemptFailed(int attempt, String reason);

        /** The session is back under {@code name}. */
        void onReconnected(String name);

        /**
         * No further attempt is made: the server refused the name as invalid or the password,
         * or asks for a password that was not given; {@code reason} is fit for users.
         */
        void onGaveUp(String reason);

        /**
         * No further attempt is made because the server's certificate is not trusted (or has
         * changed, see {@link ConnectFailedException#reason()}). By default the same as
         * {@link #onGaveUp(String)} with the exception's message.
         */
        default void onGaveUp(ConnectFailedException refused) {
            onGaveUp(refused.getMessage());
        }
    }


    private static final Duration TICK = Duration.ofSeconds(1);

    private final ChatClient client;
    private final Endpoint endpoint;
    /** The server's password, or null; kept only as long as this reconnector. */
    private final String password;
    private final Duration connectTimeout;
    private final Duration registerTimeout;
    private final Backoff backoff = new Backoff();
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile Thread thread;

    /**
     * @param client          the client to reconnect; its own listener hears the new connection's lines
     * @param connectTimeout  how long one connection attempt may take
     * @param registerTimeout how long to wait for the server's answer to the name
     */
    public Reconnector(ChatClient client, String host, int port, Duration connectTimeout, Duration registerTimeout) {
        this(client, Endpoint.plain(host, port), null, connectTimeout, registerTimeout);
    }

    /**
     * @param client          the client to reconnect; its own listener hears the new connection's lines
     * @param endpoint        where to connect, and with what trust; its trust prompt is asked on
     *                        the reconnect thread, so give {@link TrustPrompt#REFUSE} when nobody can answer there
     * @param password        the server's password, sent when the server asks for it; null for none
     * @param connectTimeout  how long one connection attempt may take (and as long again for a TLS handshake)
     * @param registerTimeout how long to wait for the server's answer to the name
     */
    public Reconnector(ChatClient client, Endpoint endpoint, String password, Duration connectTimeout,
            Duration registerTimeout) {
        this.client = client;
        this.endpoint = endpoint;
        this.password = password;
        this.connectTimeout = connectTimeout;
        this.registerTimeout = registerTimeout;
    }

    /**
     * Starts bringing the session back as {@code name} on a new thread; returns at once.
     *
     * @throws IllegalStateException when already started
     */
    public synchronized void start(String name, Listener listener) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        thread = Thread.ofPlatform().daemon().name("reconnect").start(() -> run(name, listener));
    }

    /** Stops at the next step; a connection already made is closed. Returns at once. */
    public void cancel() {
        cancelled.countDown();
    }

    /** Whether {@link #cancel()} has been called. */
    public boolean isCancelled() {
        return cancelled.getCount() == 0;
    }

    /** Waits up to {@code timeout} for the reconnect thread to end; returns whether it has (or never started). */
    public boolean await(Duration timeout) throws InterruptedException {
        Thread current = thread;
        return current == null || current.join(timeout);
    }

    private void run(String name, Listener listener) {
        try {
            for (int attempt = 1; ; attempt++) {
                if (!countDown(attempt, backoff.next(), listener)) {
                    return;
                }
                String failure = attempt(name, listener);
                if (failure == null || isCancelled()) {
                    return;
                }
                listener.onAttemptFailed(attempt, failure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits {@code wait}, telling the listener each second; returns false when cancelled. */
    private boolean countDown(int attempt, Duration wait, Listener listener) throws InterruptedException {
        Duration remaining = wait;
        while (remaining.isPositive()) {
            listener.onCountdown(attempt, remaining);
            Duration step = remaining.compareTo(TICK) < 0 ? remaining : TICK;
            if (cancelled.await(step.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
            remaining = remaining.minus(step);
        }
        return !isCancelled();
    }

    /**
     * Gives the server its password if one was given and the server asks for it. Returns null
     * when the server asks for a name now (or nothing was given, so the name goes first and a
     * server that wants a password refuses it), "" when the connection was lost, otherwise why
     * no further attempt makes sense.
     */
    private String authenticate() throws InterruptedException {
        if (password == null) {
            return null;
        }
        Authentication answer;
        try {
            answer = client.authenticate(password, ChatClient.PASSWORD_TIMEOUT);
        } catch (IOException e) {
            return "";
        }
        return switch (answer) {
            case Authentication.Accepted a -> null;
            case Authentication.NotNeeded n -> null;
            case Authentication.Wrong wrong -> "the server no longer takes the password: " + wrong.message();
            case Authentication.Lost l -> "";
        };
    }

    /**
     * One attempt: connect, give the password, and register. Returns null when the session is back (or the name
     * was refused for good, which the listener has heard), otherwise why it failed.
     */
    private String attempt(String name, Listener listener) throws InterruptedException {
        try {
            client.connect(endpoint, connectTimeout);
        } catch (ConnectFailedException e) {
            if (e.reason().needsUser()) {
                listener.onGaveUp(e);
                return null;
            }
            return e.getMessage();
        }
        if (isCancelled()) {
            client.close();
            return null;
        }
        String passwordProblem = authenticate();
        if (passwordProblem != null) {
            client.close();
            if (passwordProblem.isEmpty()) {
                return "the connection closed before the server took the password";
            }
            listener.onGaveUp(passwordProblem);
            return null;
        }
        Registration answer;
        try {
            answer = client.register(name, registerTimeout);
        } catch (IOException e) {
            client.close();
            return "the server did not take the name: " + e.getMessage();
        }
        switch (answer) {
            case Registration.Accepted accepted -> {
                if (isCancelled()) {
                    client.close();
                    return null;
                }
                backoff.reset();
                listener.onReconnected(accepted.name());
                return null;
            }
            case Registration.Refused refused when refused.code() == ErrorCode.NAME_TAKEN -> {
                // The server may not have noticed yet that the old session is gone.
                client.close();
                return "the name " + name + " is still taken: " + refused.message();
            }
            case Registration.Refused refused when refused.code() == ErrorCode.PASSWORD_REQUIRED -> {
                client.close();
                listener.onGaveUp("the server now asks for a password");
                return null;
            }
            case Registration.Refused refused -> {
                client.close();
                listener.onGaveUp("the server refused the name " + name + ": " + refused.message());
                return null;
            }
            case Registration.Lost() -> {
                return "the connection closed before the server took the name";
            }
        }
    }
}
