package dev.chat.client;

import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A chat session as both clients see it: connect, register a name, send lines, and hear
 * every server line with who is online kept current. Views (console, Swing) sit on top and
 * hold no socket code of their own.
 *
 * <p>Listener calls come on the connection's reader thread, after {@link #online()} has
 * taken the line into account.
 */
public final class ChatClient implements Closeable {

    /** What a view hears from a {@link ChatClient}. */
    public interface Listener {

        /** A server line arrived. */
        void onLine(ServerLine line);

        /** The set of online names changed; {@code names} is sorted ignoring case. */
        default void onOnlineChanged(List<String> names) {
        }

        /**
         * The connection ended.
         *
         * @param byUs whether {@link #close()} or a completed {@code /quit} ended it
         */
        void onDisconnected(boolean byUs);
    }

    /**
     * Long enough to wait for the answer to a password in {@link #authenticate}: the server
     * delays the answer to a wrong one by up to 30 s.
     */
    public static final Duration PASSWORD_TIMEOUT = Duration.ofSeconds(40);

    private final Listener listener;
    private final OnlineUsers online = new OnlineUsers();
    private final AtomicReference<CompletableFuture<Registration>> pendingRegistration = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Authentication>> pendingAuthentication = new AtomicReference<>();
    /** The first prompt of the current connection; replaced on each connect. */
    private volatile CompletableFuture<ServerPrompt> firstPrompt = new CompletableFuture<>();
    private volatile Connection connection;
    private volatile String name;
    private volatile boolean quitting;

    public ChatClient(Listener listener) {
        this.listener = listener;
    }

    /**
     * Connects to {@code host:port} in plain text, blocking the calling thread for at most {@code timeout}.
     *
     * @throws ConnectFailedException with a message fit for users when no connection could be made
     */
    public void connect(String host, int port, Duration timeout) throws ConnectFailedException {
        connect(Endpoint.plain(host, port), timeout);
    }

    /**
     * Connects to {@code endpoint}, in plain text or with TLS, blocking the calling thread as
     * {@link Connection#open(Endpoint, Duration, ConnectionListener)} says (with TLS, that
     * includes asking the endpoint's {@link TrustPrompt} on this thread).
     *
     * @throws ConnectFailedException with a message fit for users when no connection could be made
     */
    public void connect(Endpoint endpoint, Duration timeout) throws ConnectFailedException {
        quitting = false;
        name = null;
        online.clear();
        CompletableFuture<ServerPrompt> prompt = new CompletableFuture<>();
        firstPrompt = prompt;
        connection = Connection.open(endpoint, timeout, new ConnectionListener() {
            @Override
            public void onLine(ServerLine line) {
                handle(line);
            }

            @Override
            public void onClosed(boolean byUs) {
                prompt.completeExceptionally(new IOException("the connection closed before the server asked for a name"));
                CompletableFuture<Authentication> authenticating = pendingAuthentication.getAndSet(null);
                if (authenticating != null) {
                    authenticating.complete(new Authentication.Lost());
                }
                CompletableFuture<Registration> waiting = pendingRegistration.getAndSet(null);
                if (waiting != null) {
                    waiting.complete(new Registration.Lost());
                }
                online.clear();
                listener.onDisconnected(byUs || quitting);
            }
        });
    }

    /**
     * Waits, blocking the calling thread for at most {@code timeout}, for what the server asks
     * for first on this connection: its password or a name.
     *
     * @throws IOException when the connection ends first or nothing is asked in time
     */
    public ServerPrompt awaitPrompt(Duration timeout) throws IOException, InterruptedException {
        try {
            return firstPrompt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("no prompt", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the server did not ask for a name within " + timeout.toSeconds() + " s");
        }
    }

    /**
     * Gives the server its password if it asks for one ({@link ServerPrompt#PASSWORD}), and
     * waits, blocking the calling thread for at most {@code timeout} in all, for the answer.
     * Nothing is sent to a server that asks for a name straight away. The server answers a
     * wrong password only after a delay of up to 30 s, so {@code timeout} should be longer.
     * The password is not kept.
     *
     * @throws IOException when it cannot be sent, or no answer comes in time
     */
    public Authentication authenticate(String password, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (awaitPrompt(timeout) == ServerPrompt.NAME) {
            return new Authentication.NotNeeded();
        }
        CompletableFuture<Authentication> answer = new CompletableFuture<>();
        pendingAuthentication.set(answer);
        try {
            requireConnection().send("/" + Command.PASS.word() + " " + password);
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IOException("authentication failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the server did not answer the password within " + timeout.toSeconds() + " s");
        } finally {
            pendingAuthentication.compareAndSet(answer, null);
        }
    }

    /**
     * Sends {@code proposed} as this connection's name and waits, blocking the calling thread
     * for at most {@code timeout}, for the server's answer.
     *
     * @throws IOException when the name cannot be sent or no answer comes in time
     */
    public Registration register(String proposed, Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<Registration> answer = new CompletableFuture<>();
        pendingRegistration.set(answer);
        requireConnection().send(proposed);
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("registration failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the server did not answer the name within " + timeout.toSeconds() + " s");
        } finally {
            pendingRegistration.compareAndSet(answer, null);
        }
    }

    /** Sends a line as typed: text, or a {@code /command}. */
    public void send(String line) throws IOException {
        requireConnection().send(line);
    }

    /**
     * Sends {@code /quit} and waits, at most {@code timeout}, for the server to close the
     * connection, then closes it from this side.
     */
    public void quit(Duration timeout) throws InterruptedException {
        Connection current = connection;
        if (current == null) {
            return;
        }
        quitting = true;
        try {
            current.send("/" + Command.QUIT.word());
            current.awaitClosed(timeout);
        } catch (IOException e) {
            // Already gone: nothing to say goodbye to.
        } finally {
            current.close();
        }
    }

    /** The name the server registered, or null before registration. */
    public String name() {
        return name;
    }

    /** Who is online, sorted ignoring case. */
    public List<String> online() {
        return online.names();
    }

    /** The fingerprint of the server's certificate when connected with TLS; empty otherwise. */
    public Optional<String> serverFingerprint() {
        Connection current = connection;
        return current == null ? Optional.empty() : current.serverFingerprint();
    }

    /** Whether a connection is open. */
    public boolean isConnected() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    /** Closes the connection without saying goodbye. */
    @Override
    public void close() {
        Connection current = connection;
        if (current != null) {
            current.close();
        }
    }

    private Connection requireConnection() throws IOException {
        Connection current = connection;
        if (current == null || !current.isOpen()) {
            throw new IOException("not connected");
        }
        return current;
    }

    private void handle(ServerLine line) {
        switch (line) {
            case ServerLine.PasswordPrompt _ -> firstPrompt.complete(ServerPrompt.PASSWORD);
            case ServerLine.NamePrompt _ -> {
                firstPrompt.complete(ServerPrompt.NAME);
                completeAuthentication(new Authentication.Accepted());
            }
            case ServerLine.Welcome welcome -> {
                name = welcome.name();
                completeRegistration(new Registration.Accepted(welcome.name()));
            }
            case ServerLine.Error error when error.code() == ErrorCode.PASSWORD_WRONG -> {
                completeAuthentication(new Authentication.Wrong(error.text()));
                completeRegistration(new Registration.Refused(error.code(), error.text()));
            }
            case ServerLine.Error error when error.code() == ErrorCode.NAME_TAKEN
                    || error.code() == ErrorCode.NAME_INVALID || error.code() == ErrorCode.PASSWORD_REQUIRED ->
                completeRegistration(new Registration.Refused(error.code(), error.text()));
            default -> {
                // Any other line only goes to the listener.
            }
        }
        boolean changed = online.apply(line);
        listener.onLine(line);
        if (changed) {
            listener.onOnlineChanged(online.names());
        }
    }

    private void completeAuthentication(Authentication authentication) {
        CompletableFuture<Authentication> waiting = pendingAuthentication.getAndSet(null);
        if (waiting != null) {
            waiting.complete(authentication);
        }
    }

    private void completeRegistration(Registration registration) {
        CompletableFuture<Registration> waiting = pendingRegistration.getAndSet(null);
        if (waiting != null) {
            waiting.complete(registration);
        }
    }
}
