package dev.chat.client;

import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
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

    private final Listener listener;
    private final OnlineUsers online = new OnlineUsers();
    private final AtomicReference<CompletableFuture<Registration>> pendingRegistration = new AtomicReference<>();
    private volatile Connection connection;
    private volatile String name;
    private volatile boolean quitting;

    public ChatClient(Listener listener) {
        this.listener = listener;
    }

    /**
     * Connects to {@code host:port}, blocking the calling thread for at most {@code timeout}.
     *
     * @throws ConnectFailedException with a message fit for users when no connection could be made
     */
    public void connect(String host, int port, Duration timeout) throws ConnectFailedException {
        quitting = false;
        name = null;
        online.clear();
        connection = Connection.open(host, port, timeout, new ConnectionListener() {
            @Override
            public void onLine(ServerLine line) {
                handle(line);
            }

            @Override
            public void onClosed(boolean byUs) {
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
        if (line instanceof ServerLine.Welcome welcome) {
            name = welcome.name();
            completeRegistration(new Registration.Accepted(welcome.name()));
        } else if (line instanceof ServerLine.Error error
                && (error.code() == ErrorCode.NAME_TAKEN || error.code() == ErrorCode.NAME_INVALID)) {
            completeRegistration(new Registration.Refused(error.code(), error.text()));
        }
        boolean changed = online.apply(line);
        listener.onLine(line);
        if (changed) {
            listener.onOnlineChanged(online.names());
        }
    }

    private void completeRegistration(Registration registration) {
        CompletableFuture<Registration> waiting = pendingRegistration.getAndSet(null);
        if (waiting != null) {
            waiting.complete(registration);
        }
    }
}
