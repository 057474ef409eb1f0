package dev.chat.console;

import dev.chat.client.Authentication;
import dev.chat.client.ChatClient;
import dev.chat.client.ConnectFailedException;
import dev.chat.client.Endpoint;
import dev.chat.client.KnownServers;
import dev.chat.client.Reconnector;
import dev.chat.client.Registration;
import dev.chat.client.ServerPrompt;
import dev.chat.client.ServerTrust;
import dev.chat.client.TrustPrompt;
import dev.chat.protocol.ClientLine;
import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One run of the console client from connecting to leaving: registers a name, passes what
 * the user types to the server and what the server sends to the view, and decides how the
 * run ends. The main thread runs {@link #run()}; the connection's reader thread and the
 * reconnect thread only call the view and complete {@link #ended}.
 */
public final class ConsoleSession {

    private static final Logger LOG = Logger.getLogger(ConsoleSession.class.getName());

    /** How long the server has to answer a name. */
    static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for the goodbye after {@code /quit}. */
    static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);

    private final ConsoleOptions options;
    private final ConsoleView view;
    private final PrintStream err;
    private final ChatClient client;
    /** How the run ends when something other than the user ends it; completed once. */
    private final CompletableFuture<ExitStatus> ended = new CompletableFuture<>();
    /** Completed when a received line matches {@code --wait-for}. */
    private final CompletableFuture<Void> waitedFor = new CompletableFuture<>();
    /** The reconnect under way, or null; also the monitor that scripts wait on for it to end. */
    private final AtomicReference<Reconnector> reconnecting = new AtomicReference<>();
    /** The rooms the user is in and the current one, from the server's lines. */
    private final JoinedRooms rooms = new JoinedRooms();
    /** The lines that bring the rooms back after a reconnect, taken when the connection was lost; or null. */
    private final AtomicReference<List<String>> rejoin = new AtomicReference<>();
    /** The server's password as given or typed, for reconnecting; null when none was needed or given. */
    private volatile String password;
    /** Set on the reader thread when the server refuses the password, before it hangs up. */
    private volatile boolean passwordRefused;
    /** The name the server knows the user by: registered, or taken since with {@code /nick}. */
    private volatile String name;
    private volatile boolean leaving;

    /**
     * @param err where the one-line reasons for a failed start go
     */
    public ConsoleSession(ConsoleOptions options, ConsoleView view, PrintStream err) {
        this.options = options;
        this.view = view;
        this.err = err;
        this.client = new ChatClient(new ClientEvents());
    }

    /** The client, for the completer: who is online. */
    List<String> online() {
        return client.online();
    }

    /** The registered name, or null before registration. */
    String name() {
        return name;
    }

    /** The rooms, for the completer: those joined and those the last {@code /rooms} listed. */
    List<String> knownRooms() {
        return rooms.known();
    }

    /** What the prompt shows: the name and, when in one, the current room, e.g. {@code alice #dev> }. */
    String prompt() {
        String room = rooms.current();
        return room == null ? name + "> " : name + " " + room + "> ";
    }

    /**
     * Runs the session on the calling thread until the user leaves or the server goes away.
     * Never throws for network trouble: it ends with the matching status.
     */
    public ExitStatus run() throws InterruptedException {
        try {
            client.connect(endpoint(), options.connectTimeout());
        } catch (ConnectFailedException e) {
            LOG.log(Level.FINE, e.getMessage(), e.getCause());
            return cannotConnect(e);
        }
        LOG.fine(() -> "connected to " + options.host() + ":" + options.port()
                + client.serverFingerprint().map(fingerprint -> " with TLS, certificate " + fingerprint).orElse(""));
        ExitStatus authenticated = authenticate();
        if (authenticated != null) {
            return authenticated;
        }
        ExitStatus registered = register();
        if (registered != null) {
            return registered;
        }
        return converse();
    }

    /** Where to connect: with TLS, trusting as the options say and asking the user about new servers. */
    private Endpoint endpoint() {
        if (!options.tls()) {
            return Endpoint.plain(options.host(), options.port());
        }
        return Endpoint.tls(options.host(), options.port(),
                ServerTrust.withSystemAuthorities(new KnownServers(options.knownServers()), this::trustFirstTime));
    }

    /**
     * Whether to trust a server seen for the first time: the fingerprint given on the command
     * line decides, or else the person at the terminal; a script trusts nobody new. Main thread.
     */
    private boolean trustFirstTime(String host, int port, String fingerprint) {
        String where = host + ":" + port;
        if (options.trustFingerprint() != null) {
            if (options.trustFingerprint().equals(fingerprint)) {
                return true;
            }
            err.println("The certificate of " + where + " has the SHA-256 fingerprint " + fingerprint
                    + ", not the one given with --trust-fingerprint.");
            return false;
        }
        if (!view.interactive()) {
            return false;
        }
        view.notice("The server " + where + " shows a certificate that no authority vouches for and that you "
                + "have not trusted before.");
        view.notice("Its SHA-256 fingerprint is " + fingerprint);
        view.notice("Compare it with the fingerprint the server's admin gave you.");
        while (true) {
            if (!(view.ask("Trust this server and remember it? (yes/no) ") instanceof ConsoleView.Input.Line line)) {
                return false;
            }
            switch (line.text().strip().toLowerCase(Locale.ROOT)) {
                case "yes", "y" -> {
                    view.notice("Remembered in " + options.knownServers() + ".");
                    return true;
                }
                case "no", "n" -> {
                    return false;
                }
                default -> view.notice("Please answer yes or no.");
            }
        }
    }

    /** Says why no connection was made, at length when the certificate has changed, and gives the status. */
    private ExitStatus cannotConnect(ConnectFailedException e) {
        switch (e.reason()) {
            case CERTIFICATE_CHANGED -> {
                err.print(certificateChanged(e));
                return ExitStatus.CERTIFICATE_CHANGED;
            }
            case NOT_TRUSTED -> {
                err.println(e.getMessage() + ".");
                if (options.trustFingerprint() == null && !view.interactive()) {
                    String fingerprint = e.presentedFingerprint().orElse("?");
                    err.println("Its SHA-256 fingerprint is " + fingerprint + "; if that is the server's, connect "
                            + "once from a terminal to be asked, or give --trust-fingerprint " + fingerprint + ".");
                }
                return ExitStatus.NOT_TRUSTED;
            }
            default -> {
                err.println(e.getMessage());
                return ExitStatus.CANNOT_CONNECT;
            }
        }
    }

    /** The loud explanation of a changed certificate, several lines. */
    private String certificateChanged(ConnectFailedException e) {
        String key = KnownServers.key(e.host(), e.port());
        String known = e.knownFingerprint().orElse("?");
        String nl = System.lineSeparator();
        return "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@" + nl
                + "@  WARNING: THE CERTIFICATE OF " + key + " HAS CHANGED!" + nl
                + "@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@" + nl
                + "The server shows another certificate than the one you trusted before:" + nl
                + "  trusted before: " + known + nl
                + "  shown now:      " + e.presentedFingerprint().orElse("?") + nl
                + "Someone may be listening in on the connection (a man-in-the-middle attack)," + nl
                + "or the server's admin may have made a new certificate. The client did not connect," + nl
                + "and sent nothing: no name, no password." + nl
                + "Ask the admin for the server's fingerprint. Only if it is the one shown now," + nl
                + "delete the line \"" + key + " " + known + "\"" + nl
                + "from " + options.knownServers() + " and connect again." + nl;
    }

    /**
     * Gives the server its password if it asks for one: the one on the command line, or one
     * typed without echo. Returns null when the server now asks for a name.
     */
    private ExitStatus authenticate() throws InterruptedException {
        String where = options.host() + ":" + options.port();
        ServerPrompt prompt;
        try {
            prompt = client.awaitPrompt(REGISTER_TIMEOUT);
        } catch (IOException e) {
            LOG.log(Level.FINE, "no prompt", e);
            err.println("The server " + where + " did not ask for a name: " + e.getMessage());
            client.close();
            return endedStatus();
        }
        if (prompt == ServerPrompt.NAME) {
            return null;
        }
        String given = options.password();
        if (given == null) {
            if (!view.interactive()) {
                err.println("The server " + where + " needs a password: give it with --password or --password-file.");
                leave();
                return ExitStatus.PASSWORD;
            }
            switch (view.readSecret("Server password: ")) {
                case ConsoleView.Input.Line line -> given = line.text();
                case ConsoleView.Input.Woken woken -> {
                    return endedStatus();
                }
                default -> {
                    return leave();
                }
            }
        }
        Authentication answer;
        try {
            answer = client.authenticate(given, ChatClient.PASSWORD_TIMEOUT);
        } catch (IOException e) {
            LOG.log(Level.FINE, "authentication failed", e);
            err.println("The server " + where + " did not answer the password: " + e.getMessage());
            client.close();
            return ExitStatus.SERVER_GONE;
        }
        switch (answer) {
            case Authentication.Accepted accepted -> password = given;
            case Authentication.NotNeeded notNeeded -> {
                // Asked for a name after all: nothing to keep.
            }
            case Authentication.Wrong wrong -> {
                err.println("The server " + where + " refused the password (" + wrong.message() + ").");
                client.close();
                return ExitStatus.PASSWORD;
            }
            case Authentication.Lost lost -> {
                return endedStatus();
            }
        }
        return null;
    }

    /** Registers a name, asking again while a person is there to ask; returns null on success. */
    private ExitStatus register() throws InterruptedException {
        String proposed = options.name();
        while (true) {
            if (proposed == null) {
                switch (view.readName()) {
                    case ConsoleView.Input.Line line -> proposed = line.text().strip();
                    case ConsoleView.Input.Woken woken -> {
                        return endedStatus();
                    }
                    default -> {
                        return leave();
                    }
                }
                if (proposed.isEmpty()) {
                    proposed = null;
                    continue;
                }
            }
            Registration answer;
            try {
                answer = client.register(proposed, REGISTER_TIMEOUT);
            } catch (IOException e) {
                LOG.log(Level.FINE, "registration failed", e);
                err.println("The server did not take the name: " + e.getMessage());
                client.close();
                return ExitStatus.SERVER_GONE;
            }
            switch (answer) {
                case Registration.Accepted accepted -> {
                    name = accepted.name();
                    return null;
                }
                case Registration.Refused refused -> {
                    if (!view.interactive()) {
                        err.println("The name \"" + proposed + "\" was refused (" + refused.code().token() + "): "
                                + refused.message());
                        leave();
                        return ExitStatus.NAME_REFUSED;
                    }
                    // The refusal itself has been shown as a server line; ask again.
                    proposed = null;
                }
                case Registration.Lost() -> {
                    return endedStatus();
                }
            }
        }
    }

    /** Passes input to the server until the user leaves or the session ends elsewhere. */
    private ExitStatus converse() throws InterruptedException {
        while (true) {
            ConsoleView.Input input = view.read(this::prompt);
            if (ended.isDone()) {
                return ended.join();
            }
            switch (input) {
                case ConsoleView.Input.Line line -> {
                    if (isQuit(line.text())) {
                        return leave();
                    }
                    send(line.text());
                }
                case ConsoleView.Input.End end -> {
                    return finishScript();
                }
                case ConsoleView.Input.Interrupt interrupt -> {
                    return leave();
                }
                case ConsoleView.Input.Woken woken -> {
                    // Nothing ended: a stray wake. Read on.
                }
            }
        }
    }

    private static boolean isQuit(String line) {
        return ClientLine.parse(line) instanceof ClientLine.Invocation invocation
                && Command.byWord(invocation.word()).orElse(null) == Command.QUIT;
    }

    private void send(String line) throws InterruptedException {
        if (line.isBlank()) {
            return;
        }
        if (!view.interactive()) {
            // A script's lines wait for a reconnect instead of being lost; a person sees the notice and retypes.
            awaitReconnected();
        }
        try {
            client.send(line);
        } catch (IOException e) {
            LOG.log(Level.FINE, "send failed", e);
            view.notice("Not connected; the line was not sent.");
            return;
        }
        if (rooms.sent(line)) {
            view.promptChanged();
        }
    }

    /** Blocks the calling thread while a reconnect is going on. */
    private void awaitReconnected() throws InterruptedException {
        synchronized (reconnecting) {
            while (reconnecting.get() != null && !ended.isDone()) {
                reconnecting.wait();
            }
        }
    }

    /** Wakes {@link #awaitReconnected()}; called when a reconnect ends either way. */
    private void reconnectEnded(Reconnector reconnector) {
        synchronized (reconnecting) {
            reconnecting.compareAndSet(reconnector, null);
            reconnecting.notifyAll();
        }
    }

    /** End of input: for a script, first wait for {@code --wait-for}, then leave. */
    private ExitStatus finishScript() throws InterruptedException {
        if (options.waitFor() != null && !view.interactive()) {
            try {
                CompletableFuture.anyOf(waitedFor, ended).get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                err.println("No line matched " + options.waitFor().pattern() + " within "
                        + (options.timeout().toMillisPart() == 0 ? options.timeout().toSeconds() + " s."
                                : options.timeout().toMillis() + " ms."));
                leave();
                return ExitStatus.WAIT_TIMED_OUT;
            } catch (ExecutionException e) {
                throw new IllegalStateException("cannot fail", e);
            }
            if (ended.isDone()) {
                return ended.join();
            }
        }
        return leave();
    }

    /** Says goodbye to the server (if still there) and stops reconnecting. */
    private ExitStatus leave() throws InterruptedException {
        leaving = true;
        Reconnector reconnector = reconnecting.get();
        if (reconnector != null) {
            reconnectEnded(reconnector);
            reconnector.cancel();
            reconnector.await(options.connectTimeout().plus(REGISTER_TIMEOUT));
        }
        client.quit(QUIT_TIMEOUT);
        return ExitStatus.OK;
    }

    /** Leaves without waiting for input, e.g. when the JVM is shutting down. */
    void leaveQuietly() {
        if (leaving) {
            return;
        }
        try {
            leave();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ExitStatus endedStatus() {
        return ended.isDone() ? ended.join() : ExitStatus.SERVER_GONE;
    }

    /** Server events, heard on the connection's reader thread. */
    private final class ClientEvents implements ChatClient.Listener {

        @Override
        public void onLine(ServerLine line) {
            boolean promptChanged = false;
            if (line instanceof ServerLine.NickChanged changed && name != null
                    && NameRules.key(changed.from()).equals(NameRules.key(name))) {
                name = changed.to();
                promptChanged = true;
            }
            if (line instanceof ServerLine.Error error && error.code() == ErrorCode.PASSWORD_WRONG) {
                passwordRefused = true;
            }
            promptChanged |= rooms.apply(line, name);
            // Shown as seen from the room the line leaves the user in: a /part line names the room left.
            view.show(line, name, rooms.current());
            if (promptChanged) {
                view.promptChanged();
            }
            if (options.waitFor() != null && name != null && options.waitFor().matcher(line.format()).find()) {
                waitedFor.complete(null);
            }
        }

        @Override
        public void onDisconnected(boolean byUs) {
            if (!byUs) {
                connectionLost();
            }
        }
    }

    /**
     * The server closed the connection or it broke: end the run, or start bringing the session
     * back with {@code --reconnect}. Called on the reader or the reconnect thread.
     */
    private void connectionLost() {
        if (leaving || reconnecting.get() != null || (passwordRefused && name == null)) {
            // A refused password is told by run(), which is waiting for that answer.
            return;
        }
        String where = options.host() + ":" + options.port();
        if (!options.reconnect() || name == null) {
            view.notice("Disconnected from " + where + ".");
            ended.complete(ExitStatus.SERVER_GONE);
            view.wake();
            return;
        }
        // Nobody can be asked on the reconnect thread; a server trusted before is known or vouched for.
        Reconnector reconnector = new Reconnector(client, endpoint().withTrustPrompt(TrustPrompt.REFUSE), password,
                options.connectTimeout(), REGISTER_TIMEOUT);
        if (reconnecting.compareAndSet(null, reconnector)) {
            // Kept until sent: a connection lost again before that still has the rooms to restore.
            rejoin.compareAndSet(null, rooms.rejoinLines());
            view.notice("Disconnected from " + where + "; reconnecting.");
            reconnector.start(name, new ReconnectEvents(reconnector));
        }
    }

    /**
     * Sends what brings back the rooms the user was in before the connection was lost: the
     * server puts a new registration in its default room only. Before script input goes on,
     * so that a script's lines go to the room they were meant for. Reconnect thread.
     */
    private void rejoinRooms() {
        List<String> lines = rejoin.get();
        if (lines == null) {
            return;
        }
        try {
            for (String line : lines) {
                client.send(line);
            }
            rejoin.compareAndSet(lines, null);
        } catch (IOException e) {
            // Lost again: the next reconnect restores the same rooms.
            LOG.log(Level.FINE, "cannot rejoin the rooms", e);
        }
    }

    /** Reconnect progress, heard on the reconnect thread. */
    private final class ReconnectEvents implements Reconnector.Listener {

        private final Reconnector reconnector;
        private int announcedAttempt;

        ReconnectEvents(Reconnector reconnector) {
            this.reconnector = reconnector;
        }

        @Override
        public void onCountdown(int attempt, Duration remaining) {
            long seconds = (remaining.toMillis() + 999) / 1000;
            view.status("reconnecting in " + seconds + " s");
            if (attempt != announcedAttempt) {
                announcedAttempt = attempt;
                if (!view.interactive()) {
                    // A script gets one line per attempt; a person watches the prompt count down.
                    view.notice("Reconnecting in " + seconds + " s (attempt " + attempt + ").");
                }
            }
        }

        @Override
        public void onAttemptFailed(int attempt, String reason) {
            view.status(null);
            view.notice("Attempt " + attempt + " failed: " + reason);
        }

        @Override
        public void onReconnected(String newName) {
            name = newName;
            view.status(null);
            rejoinRooms();
            view.notice("Back online as " + newName + ".");
            reconnectEnded(reconnector);
            if (!client.isConnected()) {
                // Lost again while this reconnect was finishing, so nobody else saw it: start over.
                connectionLost();
            }
        }

        @Override
        public void onGaveUp(String reason) {
            view.status(null);
            view.notice("Cannot reconnect: " + reason);
            ended.complete(ExitStatus.SERVER_GONE);
            reconnectEnded(reconnector);
            view.wake();
        }

        @Override
        public void onGaveUp(ConnectFailedException refused) {
            view.status(null);
            if (refused.reason() == ConnectFailedException.Reason.CERTIFICATE_CHANGED) {
                certificateChanged(refused).lines().forEach(view::notice);
                ended.complete(ExitStatus.CERTIFICATE_CHANGED);
            } else {
                view.notice("Cannot reconnect: " + refused.getMessage());
                ended.complete(refused.reason() == ConnectFailedException.Reason.NOT_TRUSTED
                        ? ExitStatus.NOT_TRUSTED : ExitStatus.SERVER_GONE);
            }
            reconnectEnded(reconnector);
            view.wake();
        }
    }
}
