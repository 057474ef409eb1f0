package dev.chat.console;

import dev.chat.client.ChatClient;
import dev.chat.client.ClientCommand;
import dev.chat.client.ClientEvent;
import dev.chat.client.ConnectFailedException;
import dev.chat.client.ConnectionState;
import dev.chat.client.Endpoint;
import dev.chat.client.KnownServers;
import dev.chat.client.Login;
import dev.chat.client.Members;
import dev.chat.client.ServerAddress;
import dev.chat.client.ServerTrust;
import dev.chat.client.Verification;
import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.protocol.ClientLine;
import dev.chat.protocol.Command;
import dev.chat.protocol.NameRules;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One run of the console client from connecting to leaving, as a view over {@link ChatClient}:
 * answers the sign-on's questions at the terminal, passes what the user types to the server
 * and what the client tells to the screen, and decides how the run ends. The main thread runs
 * {@link #run()}; the client's events thread only calls the view and completes {@link #ended}.
 */
public final class ConsoleSession {

    private static final Logger LOG = Logger.getLogger(ConsoleSession.class.getName());

    /** How long the server has to ask for and answer a name. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    /** How long to wait for the goodbye after {@code /quit}. */
    static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);
    /** How long completion waits for the server to find names in a large room. */
    static final Duration FIND_TIMEOUT = Duration.ofSeconds(2);
    /** How long {@code /verify} and {@code /accept} wait for the server's answer about a key. */
    static final Duration KEY_TIMEOUT = Duration.ofSeconds(10);

    private final ConsoleOptions options;
    private final ConsoleView view;
    private final PrintStream err;
    private final ChatClient client;
    /** The direct connections' commands and events. */
    private final ConsoleDirect direct;
    private final Prompts prompts = new Prompts();
    /** How the run ends when something other than the user ends it; completed once. */
    private final CompletableFuture<ExitStatus> ended = new CompletableFuture<>();
    /** Completed when a received line matches {@code --wait-for}. */
    private final CompletableFuture<Void> waitedFor = new CompletableFuture<>();
    private volatile boolean leaving;
    /** The prompt as last shown, so that a change of who is in the room redraws it only when it shows. */
    private volatile String promptShown = "";
    /** The attempt whose countdown was told last, so that a script hears of each attempt once. Events thread. */
    private int toldAttempt;

    /**
     * @param err       where the one-line reasons for a failed start go
     * @param identity  the user's keys, or null to run without
     * @param knownKeys the pinned keys of others; null exactly when {@code identity} is
     */
    public ConsoleSession(ConsoleOptions options, ConsoleView view, PrintStream err, Identity identity,
                          KnownKeys knownKeys) {
        this.options = options;
        this.view = view;
        this.err = err;
        this.client = new ChatClient(new ChatClient.Settings(options.connectTimeout(), ANSWER_TIMEOUT,
                options.reconnect()).withIdentity(identity, knownKeys), this::onEvent);
        this.direct = new ConsoleDirect(client, view, options.downloads());
    }

    /** For the completer: everyone known to be online. */
    List<String> online() {
        return client.knownNames();
    }

    /** The user's name, or null before signing on. */
    String name() {
        return client.name();
    }

    /**
     * For the completer: the names in the current room that start with {@code prefix}, as the
     * server finds them, when the room is large (the client does not keep its names); else
     * none. Blocks the reading thread while the server answers, at most {@link #FIND_TIMEOUT}.
     */
    List<String> findNames(String prefix) {
        String room = client.rooms().current();
        if (room == null || !client.rooms().membersOf(room).large() || !NameRules.isValid(prefix)) {
            return List.of();
        }
        try {
            return client.searchNames(room, prefix).get(FIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.FINE, "no names found for completion", e);
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** For the completer: the rooms joined and those the last {@code /rooms} listed. */
    List<String> knownRooms() {
        return client.rooms().known();
    }

    /**
     * What the prompt shows: the name and, when in one, the current room, e.g. {@code alice #dev> },
     * and for a large room how many are in it, e.g. {@code alice #lobby (19500 people)> }.
     */
    String prompt() {
        String text = promptText();
        promptShown = text;
        return text;
    }

    private String promptText() {
        String room = client.rooms().current();
        if (room == null) {
            return client.name() + "> ";
        }
        Members members = client.rooms().membersOf(room);
        return client.name() + " " + room + (members.large() ? " (" + members.total() + " people)" : "") + "> ";
    }

    /**
     * Runs the session on the calling thread until the user leaves or the server goes away.
     * Never throws for network trouble: it ends with the matching status.
     */
    public ExitStatus run() throws InterruptedException {
        Login.Outcome outcome = client.signOn(endpoints(), options.name(), options.password(), prompts);
        while (outcome.canTryAnotherName() && view.interactive()) {
            // The refusal itself has been shown as a server line; ask again.
            String another = prompts.name();
            if (another == null) {
                return prompts.abandoned();
            }
            outcome = client.tryName(another);
        }
        return switch (outcome) {
            case Login.Outcome.SignedOn signedOn -> {
                LOG.fine(() -> "signed on to " + client.server() + " as " + signedOn.name());
                yield converse();
            }
            case Login.Outcome.NameTaken taken -> nameRefused(taken.name(), "name-taken", taken.message());
            case Login.Outcome.Refused refused -> nameRefused(refused.name(), refused.code().token(), refused.message());
            case Login.Outcome.PasswordWanted wanted -> passwordWanted(wanted);
            case Login.Outcome.TrustNeeded needed -> cannotConnect(needed.failure());
            case Login.Outcome.Unreachable unreachable when prompts.gaveUp() -> prompts.abandoned();
            case Login.Outcome.Unreachable unreachable when unreachable.failure() != null ->
                    cannotConnect(unreachable.failure());
            case Login.Outcome.Unreachable unreachable -> {
                err.println("Signing on failed: " + unreachable.message() + ".");
                yield ExitStatus.SERVER_GONE;
            }
        };
    }

    /** Where to connect, in order: with TLS, trusting the JDK's authorities and then the known servers. */
    private List<Endpoint> endpoints() {
        return ServerAddress.endpoints(options.servers(), options.tls()
                ? ServerTrust.withSystemAuthorities(new KnownServers(options.knownServers())) : null);
    }

    private ExitStatus nameRefused(String name, String code, String message) throws InterruptedException {
        err.println("The name \"" + name + "\" was refused (" + code + "): " + message);
        leave();
        return ExitStatus.NAME_REFUSED;
    }

    private ExitStatus passwordWanted(Login.Outcome.PasswordWanted wanted) throws InterruptedException {
        if (prompts.gaveUp()) {
            return prompts.abandoned();
        }
        Endpoint where = client.server();
        if (wanted.wrong()) {
            err.println("The server " + where + " refused the password.");
        } else {
            err.println("The server " + where + " needs a password: give it with --password or --password-file.");
        }
        return ExitStatus.PASSWORD;
    }

    /** Says why no connection was made, at length when the certificate has changed, and gives the status. */
    private ExitStatus cannotConnect(ConnectFailedException e) {
        switch (e.reason()) {
            case CERTIFICATE_CHANGED -> {
                certificateChanged(e).forEach(err::println);
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

    /** The loud explanation of a changed certificate, as lines. */
    private List<String> certificateChanged(ConnectFailedException e) {
        String bar = "@".repeat(68);
        List<String> explained = e.certificateChangeExplained(options.knownServers());
        return java.util.stream.Stream.concat(
                java.util.stream.Stream.of(bar, "@  WARNING: THE CERTIFICATE OF " + KnownServers.key(e.host(), e.port())
                        + " HAS CHANGED!", bar),
                explained.stream()).toList();
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
        var own = ClientCommand.parse(line);
        if (own.isPresent()) {
            clientCommand(own.get());
            return;
        }
        if (isHelp(line) && view.interactive()) {
            view.notice("This client's own commands:");
            ClientCommand.help().forEach(help -> view.notice("  " + help));
        }
        if (!view.interactive()) {
            // A script's lines wait for a reconnection instead of being lost; a person sees the notice and retypes.
            while (!client.awaitSignedOn(Duration.ofSeconds(1)) && !ended.isDone()
                    && !(client.state() instanceof ConnectionState.Offline)) {
                // Still reconnecting.
            }
        }
        try {
            client.send(line);
        } catch (IOException e) {
            LOG.log(Level.FINE, "send failed", e);
            view.notice("Not connected; the line was not sent.");
        }
    }

    private static boolean isHelp(String line) {
        return ClientLine.parse(line) instanceof ClientLine.Invocation invocation
                && Command.byWord(invocation.word()).orElse(null) == Command.HELP;
    }

    /**
     * {@code /register}, {@code /verify NAME}, {@code /accept NAME}, and those of direct
     * connections: on the main thread, which may ask the user.
     */
    private void clientCommand(ClientCommand.Invocation invocation) throws InterruptedException {
        if (!invocation.complete()) {
            view.notice("Usage: " + invocation.command().usage() + " — " + invocation.command().description());
            return;
        }
        if (!client.hasKeys()) {
            view.notice("This client runs without keys (--no-keys): " + invocation.command().usage()
                    + " needs them.");
            return;
        }
        try {
            switch (invocation.command()) {
                case REGISTER -> client.registerName();
                case ACCEPT -> view.notice(client.acceptKey(invocation.argument())
                        .get(KEY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                case VERIFY -> verify(client.verification(invocation.argument())
                        .get(KEY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                case DIRECT, DECLINE, SEND, HANGUP -> direct.command(invocation);
            }
        } catch (IOException e) {
            view.notice("Not done: " + e.getMessage() + ".");
        } catch (ExecutionException e) {
            view.notice("Not done: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            view.notice("Not done: the server did not answer in time.");
        }
    }

    /** Shows the safety number and, for a person, asks whether it matched, marking the contact verified if so. */
    private void verify(Verification verification) throws IOException {
        String name = verification.name();
        List<String> groups = verification.number().groups();
        view.notice("Safety number of you (" + client.name() + ") and " + name
                + (verification.verified() ? ", verified before:" : ":"));
        view.notice("    " + String.join(" ", groups.subList(0, 6)));
        view.notice("    " + String.join(" ", groups.subList(6, 12)));
        view.notice(name + "'s client shows the same number for you when nobody sits in between."
                + " Compare it in person or on a call, not through this chat.");
        if (!view.interactive() || verification.verified()) {
            return;
        }
        while (true) {
            if (!(view.ask("Is it the same number that " + name + " sees? (yes/no) ") instanceof ConsoleView.Input.Line line)) {
                return;
            }
            switch (line.text().strip().toLowerCase(Locale.ROOT)) {
                case "yes", "y" -> {
                    view.notice(client.markVerified(verification) ? name + " is verified: their messages show [sealed, verified]."
                            : "Not marked: " + name + "'s pinned key changed meanwhile.");
                    return;
                }
                case "no", "n" -> {
                    view.notice("Not verified. If the numbers differ, someone may be in between: do not trust this key"
                            + " for anything secret.");
                    return;
                }
                default -> view.notice("Please answer yes or no.");
            }
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

    /** What the client tells, on its events thread. */
    private void onEvent(ClientEvent event) {
        switch (event) {
            case ClientEvent.LineReceived received -> {
                view.show(received.line(), received.room(), client.name(), client.rooms().current());
                if (options.waitFor() != null && client.name() != null
                        && options.waitFor().matcher(received.line().format()).find()) {
                    waitedFor.complete(null);
                }
            }
            case ClientEvent.PrivateLine pm -> {
                view.showPrivate(pm.line(), pm.privacy(), client.name());
                if (pm.privacy() == dev.chat.client.Privacy.NOT_SEALED_FROM_KEY_HOLDER
                        && pm.line() instanceof dev.chat.protocol.ServerLine.PrivateMessage received) {
                    view.notice(received.from() + " has a key, yet this message came unencrypted: the server, or"
                            + " someone else now using the name, may have written it.");
                }
                if (options.waitFor() != null && options.waitFor().matcher(pm.line().format()).find()) {
                    waitedFor.complete(null);
                }
            }
            case ClientEvent.PrivateNotOpened failed -> view.notice(capitalised(failed.message()) + ".");
            case ClientEvent.PrivateNotSent refused -> view.notice("Not sent to " + refused.to() + ": "
                    + refused.reason() + ".");
            case ClientEvent.KeyChanged changed -> keyChanged(changed);
            case ClientEvent.DirectEvent directEvent -> direct.show(directEvent);
            case ClientEvent.RoomsChanged changed -> view.promptChanged();
            case ClientEvent.ConnectionChanged changed -> stateChanged(changed.state());
            case ClientEvent.ConnectionLost lost -> {
                if (leaving) {
                    return;
                }
                if (lost.next() != null && !lost.next().equals(lost.endpoint())) {
                    view.notice("Disconnected from " + lost.endpoint() + "; trying " + lost.next() + ".");
                } else if (lost.next() != null) {
                    view.notice("Disconnected from " + lost.endpoint() + "; reconnecting.");
                } else {
                    view.notice("Disconnected from " + lost.endpoint() + ".");
                    end(ExitStatus.SERVER_GONE);
                }
            }
            case ClientEvent.ServerFailed failed -> view.notice(capitalised(failed.reason()) + "; trying "
                    + failed.next() + ".");
            case ClientEvent.ReconnectFailed failed -> {
                view.status(null);
                view.notice("Attempt " + failed.attempt() + " failed: " + failed.reason()
                        + (options.severalServers() ? "; next: " + failed.next() + "." : ""));
            }
            case ClientEvent.Reconnected back -> {
                view.status(null);
                view.notice("Back online as " + back.state().name()
                        + (options.severalServers() ? " on " + back.state().endpoint() : "") + ".");
            }
            case ClientEvent.ReconnectStopped stopped -> reconnectStopped(stopped.outcome());
            case ClientEvent.MembersChanged changed -> {
                // A large room's count shows in the prompt.
                if (!promptText().equals(promptShown)) {
                    view.promptChanged();
                }
            }
            default -> {
                // Entering and leaving rooms and who is in them show in the server's own lines.
            }
        }
    }

    /** A changed key, loudly, like a changed certificate. */
    private void keyChanged(ClientEvent.KeyChanged changed) {
        String bar = "@".repeat(68);
        view.notice(bar);
        view.notice("@  WARNING: " + (changed.offeredFingerprint() == null
                ? changed.name().toUpperCase(Locale.ROOT) + " HAS NO KEY ANY MORE!"
                : "THE KEY OF " + changed.name().toUpperCase(Locale.ROOT) + " HAS CHANGED!"));
        view.notice(bar);
        view.notice(changed.message());
        view.notice((changed.waiting() == 0 ? "Nothing waits yet" : changed.waiting()
                + (changed.waiting() == 1 ? " message waits" : " messages wait")) + ". Once you are sure, type /accept "
                + changed.name() + (changed.offeredFingerprint() == null ? " to send them unencrypted." : " to send them."));
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    private void stateChanged(ConnectionState state) {
        switch (state) {
            case ConnectionState.SignedOn signedOn -> view.promptChanged();
            case ConnectionState.Reconnecting counting -> {
                String to = options.severalServers() ? " to " + counting.endpoint() : "";
                view.status("reconnecting" + to + " in " + counting.seconds() + " s");
                if (!view.interactive() && isFirstTick(counting)) {
                    // A script gets one line per attempt; a person watches the prompt count down.
                    view.notice("Reconnecting" + to + " in " + counting.seconds() + " s (attempt " + counting.attempt()
                            + ").");
                }
            }
            case ConnectionState.Offline offline -> {
                if (!leaving && client.name() == null) {
                    // Gone while a name or password was being asked for: that question is answered by the end.
                    view.wake();
                }
            }
            case ConnectionState.Connecting connecting -> {
                // The prompt shows the state when it matters.
            }
        }
    }

    private boolean isFirstTick(ConnectionState.Reconnecting counting) {
        if (counting.attempt() == toldAttempt) {
            return false;
        }
        toldAttempt = counting.attempt();
        return true;
    }

    private void reconnectStopped(Login.Outcome outcome) {
        view.status(null);
        switch (outcome) {
            case Login.Outcome.TrustNeeded needed
                    when needed.failure().reason() == ConnectFailedException.Reason.CERTIFICATE_CHANGED -> {
                certificateChanged(needed.failure()).forEach(view::notice);
                end(ExitStatus.CERTIFICATE_CHANGED);
            }
            case Login.Outcome.TrustNeeded needed -> {
                view.notice("Cannot reconnect: " + needed.failure().getMessage());
                end(needed.failure().reason() == ConnectFailedException.Reason.NOT_TRUSTED
                        ? ExitStatus.NOT_TRUSTED : ExitStatus.SERVER_GONE);
            }
            case Login.Outcome.PasswordWanted wanted -> {
                view.notice("Cannot reconnect: " + (wanted.wrong() ? "the server no longer takes the password"
                        : "the server now asks for a password") + ".");
                end(ExitStatus.SERVER_GONE);
            }
            case Login.Outcome.Refused refused -> {
                view.notice("Cannot reconnect: the server refused the name " + refused.name() + ": "
                        + refused.message());
                end(ExitStatus.SERVER_GONE);
            }
            default -> {
                view.notice("Cannot reconnect.");
                end(ExitStatus.SERVER_GONE);
            }
        }
    }

    private void end(ExitStatus status) {
        ended.complete(status);
        view.wake();
    }

    /**
     * The sign-on's questions, asked at the terminal on the main thread: the name, the server's
     * password, whether to trust a new certificate. Remembers whether the user gave up on one,
     * or the session ended while asking.
     */
    private final class Prompts implements Login.Prompts {

        /** How a question went unanswered: null while none did. */
        private volatile ConsoleView.Input unanswered;

        @Override
        public String name() {
            while (true) {
                switch (view.readName()) {
                    case ConsoleView.Input.Line line when !line.text().isBlank() -> {
                        return line.text().strip();
                    }
                    case ConsoleView.Input.Line blank -> {
                        // Asked again.
                    }
                    case ConsoleView.Input other -> {
                        unanswered = other;
                        return null;
                    }
                }
            }
        }

        @Override
        public String password(String where) {
            if (!view.interactive()) {
                return null;
            }
            if (view.readSecret("Server password: ") instanceof ConsoleView.Input.Line line) {
                return line.text();
            }
            unanswered = new ConsoleView.Input.End();
            return null;
        }

        /**
         * Whether to trust a server seen for the first time: the fingerprint given on the command
         * line decides, or else the person at the terminal; a script trusts nobody new.
         */
        @Override
        public boolean trustFirstTime(String host, int port, String fingerprint) {
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

        /** Whether the user gave up on a question (end of input, Ctrl+C) or the session ended while asking. */
        boolean gaveUp() {
            return unanswered != null;
        }

        /** How the run ends after a question went unanswered: left, or ended by the server meanwhile. */
        ExitStatus abandoned() throws InterruptedException {
            if (unanswered instanceof ConsoleView.Input.Woken) {
                return ended.isDone() ? ended.join() : ExitStatus.SERVER_GONE;
            }
            return leave();
        }
    }
}
