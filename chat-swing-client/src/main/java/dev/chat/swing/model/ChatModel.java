package dev.chat.swing.model;

import dev.chat.client.ChatClient;
import dev.chat.client.ClientCommand;
import dev.chat.client.ClientEvent;
import dev.chat.client.ConnectionState;
import dev.chat.client.Endpoint;
import dev.chat.client.KnownServers;
import dev.chat.client.Login;
import dev.chat.client.Privacy;
import dev.chat.client.Rooms;
import dev.chat.client.ServerAddress;
import dev.chat.client.ServerTrust;
import dev.chat.client.TrustPrompt;
import dev.chat.client.Verification;
import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.ClientLine;
import dev.chat.protocol.Command;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.RoomNames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The desktop client's state without any user interface, as a view over {@link ChatClient}:
 * the conversations ({@link Conversations}), where each server line goes ({@link LineRouter}),
 * the room list ({@link RoomListing}), and what the window is told ({@link ModelEvent}).
 * Signing on, reconnecting and keeping the rooms are the client's.
 *
 * <p>All state is confined to one thread named {@code chat-model}: public methods only queue
 * work for it and return at once, the client's events are queued the same way, and events
 * reach the listener from it in order. With TLS, the {@link TrustPrompt} is asked on that
 * thread too, and the model waits for its answer.
 */
public final class ChatModel implements AutoCloseable {

    /**
     * The key of the server's default room, where everyone starts; other rooms use
     * {@link #roomKey(String)}, private conversations the peer's name key.
     */
    public static final String ROOM = "";

    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);

    private final Consumer<ModelEvent> listener;
    private final KnownServers knownServers;
    /** Which TLS servers to trust; the prompt is asked only when the user connects, never on a reconnection. */
    private final ServerTrust trust;
    private final Login.Prompts prompts;
    private final ExecutorService thread =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("chat-model").daemon().factory());
    private final ChatClient client;

    // Everything below is touched only on the chat-model thread.
    private final Conversations conversations;
    private final RoomListing listing;
    private final LineRouter lines;
    private final DirectEvents directs;
    private Rooms rooms = Rooms.NONE;
    /** The servers asked for with a connection that waits for another name after one was refused, or null. */
    private List<Endpoint> awaitingName;
    private boolean quitting;

    /**
     * A model that trusts TLS servers the JDK's authorities vouch for or that are in the user's
     * own known-servers file, and asks nobody about new ones.
     */
    public ChatModel(Consumer<ModelEvent> listener) {
        this(listener, KnownServers.inHome(Path.of(System.getProperty("user.home"))), TrustPrompt.REFUSE);
    }

    /**
     * @param knownServers where accepted server fingerprints are kept
     * @param trustPrompt  asked, on the model thread, about a TLS server seen for the first time
     */
    public ChatModel(Consumer<ModelEvent> listener, KnownServers knownServers, TrustPrompt trustPrompt) {
        this(listener, knownServers, trustPrompt, null, null);
    }

    /**
     * @param knownServers where accepted server fingerprints are kept
     * @param trustPrompt  asked, on the model thread, about a TLS server seen for the first time
     * @param identity     the user's keys, or null to run without: with them, private messages to
     *                     others with keys are sealed, and the name can be registered
     * @param knownKeys    the pinned keys of others; null exactly when {@code identity} is
     */
    public ChatModel(Consumer<ModelEvent> listener, KnownServers knownServers, TrustPrompt trustPrompt,
                     Identity identity, KnownKeys knownKeys) {
        this.listener = listener;
        this.knownServers = knownServers;
        this.trust = ServerTrust.withSystemAuthorities(knownServers);
        this.prompts = new Login.Prompts() {
            @Override
            public boolean trustFirstTime(String host, int port, String fingerprint) {
                return trustPrompt.trustFirstTime(host, port, fingerprint);
            }
        };
        this.conversations = new Conversations(listener);
        this.listing = new RoomListing(listener);
        this.lines = new LineRouter(conversations, listing, listener);
        this.directs = new DirectEvents(conversations, lines, listener, this::privacyChanged);
        this.client = new ChatClient(ChatClient.Settings.defaults().withIdentity(identity, knownKeys),
                event -> post(() -> clientEvent(event)));
    }

    /** The conversation key of {@code room}, e.g. {@code #dev}; never equal to a name key or {@link #ROOM}. */
    public static String roomKey(String room) {
        return RoomNames.key(room);
    }

    /** Connects to {@code host:port} in plain text and signs on as {@code proposedName}; see the other {@code connect}. */
    public void connect(String host, int port, String proposedName) {
        connect(host, port, false, null, proposedName);
    }

    /**
     * Connects to {@code host:port}, with TLS if {@code tls}, gives the server {@code password}
     * if it asks for one, and signs on as {@code proposedName}; the answer comes as
     * {@link ModelEvent.ConnectFinished}. {@code host} may name several servers
     * ({@code a, b:5556}, see {@link ServerAddress#parseList}; {@code port} is for those without
     * one): the first that answers is signed on to, and a lost connection moves on to the next.
     * After a refused name the connection stays open and the next call with the same servers,
     * port and TLS only proposes the new name. The password is kept in memory for reconnecting.
     *
     * @param password the server's password, or null or empty when none was given
     */
    public void connect(String host, int port, boolean tls, String password, String proposedName) {
        post(() -> {
            List<ServerAddress> servers;
            try {
                servers = ServerAddress.parseList(host, port);
            } catch (IllegalArgumentException e) {
                listener.accept(new ModelEvent.ConnectFinished(new ConnectOutcome.Unreachable(
                        Character.toUpperCase(e.getMessage().charAt(0)) + e.getMessage().substring(1) + ".")));
                return;
            }
            connectNow(ServerAddress.endpoints(servers, tls ? trust : null),
                    password == null || password.isEmpty() ? null : password, proposedName);
        });
    }

    /**
     * Sends a line as the user typed it in {@code conversation}: text goes to that room, or to
     * the peer in a private conversation; {@code /commands} go to the server and run in that
     * room, except {@code /quit}, which ends the session like {@link #quit()}.
     */
    public void send(String conversation, String typed) {
        post(() -> sendNow(conversation, typed));
    }

    /**
     * Joins {@code room} (a leading {@code #} is added when missing); its conversation opens
     * when the server confirms. A name that breaks the room rules is answered in the selected
     * conversation without asking the server.
     */
    public void joinRoom(String room) {
        post(() -> joinNow(room.strip().startsWith("#") ? room.strip() : "#" + room.strip()));
    }

    /** Leaves the room of {@code conversation}: its view goes at once, and the server is told when connected. */
    public void leaveRoom(String conversation) {
        post(() -> {
            Conversations.Conversation c = conversations.get(conversation);
            if (c == null || c.room == null || conversation.equals(ROOM)) {
                return;
            }
            c.parting = c.joined;
            c.joined = false;
            c.members = List.of();
            c.total = 0;
            listener.accept(new ModelEvent.RoomClosed(conversation));
            client.part(c.room);
        });
    }

    /** Asks the server for its rooms; the answer comes as {@link ModelEvent.RoomsListed}, not as lines. */
    public void requestRoomList() {
        post(() -> {
            try {
                client.send("/" + Command.ROOMS.word());
                listing.askedQuietly();
            } catch (IOException e) {
                listener.accept(new ModelEvent.RoomsListed(List.of()));
            }
        });
    }

    /**
     * Finds the names in the room of {@code conversation} that start with {@code prefix},
     * ignoring case: among those the model has, or, for a large room, by asking the server (an
     * empty prefix finds nobody there). The answer comes as {@link ModelEvent.NamesFound}, no
     * names when the conversation is no room the user is in or the server does not answer.
     */
    public void findNames(String conversation, String prefix) {
        post(() -> {
            Conversations.Conversation c = conversations.get(conversation);
            boolean inRoom = c != null && !c.isPrivate() && c.joined;
            if (!inRoom || !(prefix.isEmpty() || NameRules.isValid(prefix))) {
                found(conversation, prefix, List.of());
            } else if (c.members.size() == c.total) {
                // Every name is here: found without asking.
                String key = NameRules.key(prefix);
                found(conversation, prefix, c.members.stream().filter(name -> NameRules.key(name).startsWith(key))
                        .toList());
            } else if (prefix.isEmpty()) {
                // A large room: the server is not asked for everyone.
                found(conversation, prefix, List.of());
            } else {
                String room = conversation.equals(ROOM) ? rooms.defaultRoom() : c.room;
                client.searchNames(room, prefix).whenComplete((names, failure) ->
                        post(() -> found(conversation, prefix, failure == null ? names : List.of())));
            }
        });
    }

    private void found(String conversation, String prefix, List<String> names) {
        listener.accept(new ModelEvent.NamesFound(conversation, prefix, names));
    }

    /** Shows a notice of the client's own in the default room's conversation. */
    public void notice(String text) {
        post(() -> conversations.addLocal(ROOM, text));
    }

    /** Whether the user has keys: private messages to others with keys are sealed, the name can be registered. */
    public boolean hasKeys() {
        return client.hasKeys();
    }

    /**
     * Registers the user's name to the user's key; the server's answer shows in the default
     * room's conversation.
     */
    public void registerName() {
        post(() -> registerNow(ROOM));
    }

    /**
     * Asks for the safety number of the user and the peer of the private {@code conversation}; it
     * comes as {@link ModelEvent.VerificationReady}, or the reason it cannot be made as a line of
     * the conversation.
     */
    public void verify(String conversation) {
        post(() -> {
            Conversations.Conversation c = conversations.get(conversation);
            if (c != null && c.isPrivate()) {
                verifyNow(conversation, c.peer);
            }
        });
    }

    /** The user compared the safety number of {@code verification} and it matched: the peer is verified from now on. */
    public void markVerified(String conversation, Verification verification) {
        post(() -> {
            try {
                if (client.markVerified(verification)) {
                    conversations.addLocal(conversation, verification.name() + " is verified.");
                    privacyChanged(conversation, Privacy.VERIFIED);
                } else {
                    conversations.addLocal(conversation, "Not marked verified: the key of " + verification.name()
                            + " changed meanwhile.");
                }
            } catch (IOException e) {
                conversations.addLocal(conversation, "Not marked verified: " + e.getMessage());
            }
        });
    }

    /**
     * Accepts the change of the key of the peer of the private {@code conversation}, told by
     * {@link ModelEvent.KeyChanged}; what waited is sent, and the conversation says so.
     */
    public void acceptKey(String conversation) {
        post(() -> {
            Conversations.Conversation c = conversations.get(conversation);
            if (c != null && c.isPrivate()) {
                acceptNow(conversation, c.peer);
            }
        });
    }

    /**
     * Asks {@code peer} for a direct connection, or accepts the one {@code peer} offered; what
     * follows shows in the private conversation with {@code peer}.
     */
    public void offerDirect(String peer) {
        post(() -> directNow(conversations.withPeer(peer), peer));
    }

    /** The user's answer to {@link ModelEvent.DirectOffered}: accept or decline {@code peer}'s direct connection. */
    public void answerDirect(String peer, boolean accept) {
        post(() -> {
            if (!directs.offered(peer, true)) {
                return;
            }
            if (accept) {
                client.acceptDirect(peer);
            } else {
                client.declineDirect(peer);
                conversations.addLocal(conversations.withPeer(peer), "You declined " + peer + "'s direct connection.");
            }
        });
    }

    /** Offers {@code file} to {@code peer} over the direct connection; what follows shows in their conversation. */
    public void sendFile(String peer, Path file) {
        post(() -> sendFileNow(conversations.withPeer(peer), peer, file));
    }

    /**
     * The user's answer to {@link ModelEvent.FileOffered}: save file {@code id} from {@code peer} as
     * {@code target} (beside it under a free name when that is taken; never over a file), or refuse
     * it when {@code target} is null.
     */
    public void saveFile(String peer, long id, Path target) {
        post(() -> {
            String conversation = conversations.withPeer(peer);
            try {
                if (target == null) {
                    client.refuseFile(peer, id);
                } else {
                    client.acceptFile(peer, id, target);
                    conversations.addLocal(conversation, "Receiving " + target.getFileName() + " from " + peer + ".");
                }
            } catch (IOException e) {
                conversations.addLocal(conversation, "Not saved: " + e.getMessage() + ".");
            }
        });
    }

    /** Closes the direct connection with {@code peer}. */
    public void hangUp(String peer) {
        post(() -> hangUpNow(conversations.withPeer(peer), peer));
    }

    private void directNow(String conversation, String peer) {
        if (!client.hasKeys()) {
            conversations.addLocal(conversation, "This client runs without keys: a direct connection needs them.");
        } else if (directs.offered(peer, true)) {
            conversations.addLocal(conversation, "Accepting " + peer + "'s direct connection; " + peer
                    + " learns your address.");
            client.acceptDirect(peer);
        } else {
            conversations.addLocal(conversation, "Asking " + peer + " for a direct connection; if they accept, each"
                    + " of you learns the other's address.");
            client.offerDirect(peer);
        }
    }

    private void sendFileNow(String conversation, String peer, Path file) {
        try {
            client.sendFile(peer, file);
            conversations.addLocal(conversation, "Offered " + file.getFileName() + " to " + peer
                    + "; it goes once they take it.");
        } catch (IOException e) {
            conversations.addLocal(conversation, "Not sent: " + e.getMessage() + ".");
        }
    }

    private void hangUpNow(String conversation, String peer) {
        if (!client.closeDirect(peer)) {
            conversations.addLocal(conversation, "No direct connection with " + peer + " is open.");
        }
    }

    /** Creates the private conversation with {@code peer} if needed and asks the view to show it. */
    public void openConversation(String peer) {
        post(() -> {
            if (!conversations.isMe(peer)) {
                listener.accept(new ModelEvent.ConversationOpened(conversations.withPeer(peer), peer, true));
            }
        });
    }

    /** The user now sees {@code conversation}; its unread count goes back to 0. */
    public void select(String conversation) {
        post(() -> conversations.select(conversation));
    }

    /** Whether the window has the focus; while it has not, private messages and mentions are counted. */
    public void setFocused(boolean hasFocus) {
        post(() -> conversations.setFocused(hasFocus));
    }

    /** Skips the wait before the next reconnection attempt. */
    public void reconnectNow() {
        client.reconnectNow();
    }

    /**
     * Sends {@code /quit}, waits up to two seconds for the server to close the connection, and
     * then reports {@link ModelEvent.QuitFinished}; the model takes no more work afterwards.
     */
    public void quit() {
        post(this::quitNow);
    }

    /**
     * A copy of a conversation's lines, oldest first. Blocks the calling thread until the
     * model thread answers, at most {@code timeout}.
     *
     * @throws TimeoutException when the model thread does not answer in time
     */
    public List<Entry> history(String conversation, Duration timeout) throws InterruptedException, TimeoutException {
        return ask(() -> conversations.lines(conversation), timeout);
    }

    /**
     * Who is in the room of {@code conversation}, sorted ignoring case; empty for other
     * conversations. Blocks the calling thread until the model thread answers, at most {@code timeout}.
     *
     * @throws TimeoutException when the model thread does not answer in time
     */
    public List<String> members(String conversation, Duration timeout) throws InterruptedException, TimeoutException {
        return ask(() -> {
            Conversations.Conversation c = conversations.get(conversation);
            return c == null || c.isPrivate() ? List.<String>of() : c.members;
        }, timeout);
    }

    /** Drops the connection without saying goodbye and stops the model thread. */
    @Override
    public void close() {
        thread.shutdownNow();
        client.close();
    }

    private <T> T ask(java.util.concurrent.Callable<T> question, Duration timeout)
            throws InterruptedException, TimeoutException {
        try {
            return thread.submit(question).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the model failed to answer", e.getCause());
        }
    }

    // ---- on the chat-model thread ----

    /** Signs on, or proposes another name on the connection waiting for one; blocks the model thread meanwhile. */
    private void connectNow(List<Endpoint> to, String password, String proposed) {
        quitting = false;
        Login.Outcome outcome;
        try {
            outcome = to.equals(awaitingName) ? client.tryName(proposed)
                    : client.signOn(to, proposed, password, prompts);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        awaitingName = outcome.canTryAnotherName() ? to : null;
        ConnectOutcome finished = ConnectOutcome.of(outcome, client.server(), knownServers.file());
        if (to.size() > 1 && finished instanceof ConnectOutcome.Unreachable last) {
            // The dialog shows one message: it says that the others failed too.
            finished = new ConnectOutcome.Unreachable("None of the " + to.size() + " servers answered. The last: "
                    + last.message());
        }
        listener.accept(new ModelEvent.ConnectFinished(finished));
    }

    private void sendNow(String conversation, String typed) {
        if (quitting || typed.isBlank()) {
            return;
        }
        var own = ClientCommand.parse(typed);
        if (own.isPresent()) {
            clientCommand(conversation, own.get());
            return;
        }
        ClientLine parsed = ClientLine.parse(typed);
        if (parsed instanceof ClientLine.Invocation invocation
                && Command.byWord(invocation.word()).orElse(null) == Command.QUIT) {
            quitNow();
            return;
        }
        if (!(client.state() instanceof ConnectionState.SignedOn)) {
            conversations.addLocal(conversation, "Not connected: \u201c" + typed + "\u201d was not sent.");
            return;
        }
        Conversations.Conversation target = conversations.get(conversation);
        try {
            if (target != null && target.isPrivate() && parsed instanceof ClientLine.Say say) {
                client.send("/" + Command.MSG.word() + " " + target.peer + " " + say.text());
            } else if (target != null && !target.isPrivate()) {
                String room = conversation.equals(ROOM) ? rooms.defaultRoom() : target.room;
                if (!target.joined) {
                    conversations.addLocal(conversation, "You are not in " + room + " (yet): \u201c" + typed
                            + "\u201d was not sent.");
                    return;
                }
                // Every line of a room's view names its room, so the server's current room never matters.
                client.sendIn(room, typed);
            } else {
                client.send(typed);
            }
            lines.sentFrom(conversation);
        } catch (IOException e) {
            conversations.addLocal(conversation, "The connection is gone: \u201c" + typed + "\u201d was not sent.");
        }
    }

    /** {@code /register}, {@code /verify NAME}, {@code /accept NAME} typed in {@code conversation}. */
    private void clientCommand(String conversation, ClientCommand.Invocation invocation) {
        if (!invocation.complete()) {
            conversations.addLocal(conversation, "Usage: " + invocation.command().usage() + " — "
                    + invocation.command().description());
            return;
        }
        switch (invocation.command()) {
            case REGISTER -> registerNow(conversation);
            case VERIFY -> verifyNow(conversations.withPeer(invocation.argument()), invocation.argument());
            case ACCEPT -> acceptNow(conversations.withPeer(invocation.argument()), invocation.argument());
            case DIRECT -> directNow(conversations.withPeer(invocation.name()), invocation.name());
            case DECLINE -> {
                if (directs.offered(invocation.name(), true)) {
                    client.declineDirect(invocation.name());
                } else {
                    conversations.addLocal(conversation, invocation.name() + " offered you no direct connection.");
                }
            }
            case SEND -> {
                try {
                    sendFileNow(conversations.withPeer(invocation.name()), invocation.name(),
                            Path.of(invocation.file()));
                } catch (java.nio.file.InvalidPathException e) {
                    conversations.addLocal(conversation, "Not sent: \u201c" + invocation.file()
                            + "\u201d is not a file name.");
                }
            }
            case HANGUP -> hangUpNow(conversations.withPeer(invocation.name()), invocation.name());
        }
    }

    private void registerNow(String conversation) {
        if (!client.hasKeys()) {
            conversations.addLocal(conversation, "This client runs without keys: no name can be registered.");
            return;
        }
        try {
            client.registerName();
            lines.sentFrom(conversation);
        } catch (IOException e) {
            conversations.addLocal(conversation, "Not registered: " + e.getMessage() + ".");
        }
    }

    private void verifyNow(String conversation, String peer) {
        if (!client.hasKeys()) {
            conversations.addLocal(conversation, "This client runs without keys: there is nothing to verify.");
            return;
        }
        client.verification(peer).whenComplete((verification, failure) -> post(() -> {
            if (failure != null) {
                conversations.addLocal(conversation, "Cannot verify " + peer + ": " + failure.getMessage());
            } else {
                listener.accept(new ModelEvent.VerificationReady(conversation, verification));
            }
        }));
    }

    private void acceptNow(String conversation, String peer) {
        client.acceptKey(peer).whenComplete((message, failure) -> post(() -> {
            conversations.addLocal(conversation, failure != null ? failure.getMessage() : message);
            if (failure == null && (message.startsWith("Accepted") || message.startsWith("Forgot"))) {
                listener.accept(new ModelEvent.KeyAccepted(conversation));
            }
        }));
    }

    private void privacyChanged(String conversation, Privacy privacy) {
        Conversations.Conversation c = conversations.get(conversation);
        if (c != null && c.privacy != privacy) {
            c.privacy = privacy;
            listener.accept(new ModelEvent.PrivacyChanged(conversation, privacy));
        }
    }

    private void joinNow(String room) {
        String selected = conversations.selected();
        if (!RoomNames.isValid(room)) {
            conversations.addLocal(selected, "\u201c" + room + "\u201d is not a room name: " + RoomNames.explanation()
                    + ".");
            return;
        }
        String key = lines.keyOf(room);
        Conversations.Conversation c = conversations.get(key);
        if (c != null && c.joined) {
            if (!key.equals(ROOM)) {
                listener.accept(new ModelEvent.RoomOpened(key, c.room, true));
            }
            return;
        }
        if (!(client.state() instanceof ConnectionState.SignedOn)) {
            conversations.addLocal(selected, "Not connected: cannot join " + room + " now.");
            return;
        }
        try {
            client.send("/" + Command.JOIN.word() + " " + room);
            lines.sentFrom(selected);
        } catch (IOException e) {
            conversations.addLocal(selected, "The connection is gone: cannot join " + room + " now.");
        }
    }

    private void quitNow() {
        if (quitting) {
            return;
        }
        quitting = true;
        try {
            client.quit(QUIT_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            client.close();
        }
        listener.accept(new ModelEvent.StateChanged(new ConnectionState.Offline()));
        listener.accept(new ModelEvent.QuitFinished());
        thread.shutdown();
    }

    /** What the client tells, taken in on the model thread. */
    private void clientEvent(ClientEvent event) {
        if (quitting) {
            return;
        }
        switch (event) {
            case ClientEvent.LineReceived received -> lines.route(received.line(), received.room());
            case ClientEvent.PrivateLine pm -> {
                String key = lines.routePrivate(pm.line(), pm.privacy());
                if (pm.privacy() == Privacy.NOT_SEALED_FROM_KEY_HOLDER
                        && pm.line() instanceof ServerLine.PrivateMessage received) {
                    conversations.addLocal(key, received.from() + " has a key, yet this message came unencrypted:"
                            + " the server, or someone else now using the name, may have written it.");
                }
                privacyChanged(key, pm.privacy());
            }
            case ClientEvent.PrivateNotOpened failed -> conversations.addLocal(conversations.withPeer(failed.from()),
                    Character.toUpperCase(failed.message().charAt(0)) + failed.message().substring(1) + ".");
            case ClientEvent.PrivateNotSent refused -> conversations.addLocal(conversations.withPeer(refused.to()),
                    "Not sent: \u201c" + refused.text() + "\u201d \u2014 " + refused.reason() + ".");
            case ClientEvent.DirectEvent direct -> directs.take(direct);
            case ClientEvent.KeyChanged changed -> {
                String key = conversations.withPeer(changed.name());
                conversations.addLocal(key, changed.message());
                listener.accept(new ModelEvent.KeyChanged(key, changed.name(), changed.message(), changed.waiting(),
                        changed.offeredFingerprint() == null));
            }
            case ClientEvent.ConnectionChanged changed -> {
                switch (changed.state()) {
                    case ConnectionState.Connecting connecting -> lines.connecting();
                    case ConnectionState.SignedOn signedOn -> lines.named(signedOn.name());
                    default -> {
                        // Offline and counting down: the status bar shows it.
                    }
                }
                listener.accept(new ModelEvent.StateChanged(changed.state()));
            }
            case ClientEvent.ConnectionLost lost -> {
                for (var e : conversations.all()) {
                    e.getValue().joined = false;
                    e.getValue().parting = false;
                }
                conversations.addLocal(ROOM, "Connection to " + lost.endpoint() + " lost."
                        + (lost.next() == null || lost.next().equals(lost.endpoint()) ? ""
                                : " Trying " + lost.next() + "."));
            }
            case ClientEvent.Reconnected back ->
                    conversations.addLocal(ROOM, "Reconnected to " + back.state().endpoint() + ".");
            case ClientEvent.ServerFailed failed -> conversations.addLocal(ROOM,
                    Character.toUpperCase(failed.reason().charAt(0)) + failed.reason().substring(1) + "; trying "
                            + failed.next() + ".");
            case ClientEvent.ReconnectFailed failed -> {
                // The status bar counts down to the next attempt.
            }
            case ClientEvent.ReconnectStopped stopped -> {
                ConnectOutcome outcome = ConnectOutcome.of(stopped.outcome(), client.server(), knownServers.file());
                conversations.addLocal(ROOM, "Not reconnected: " + outcome.message());
                listener.accept(new ModelEvent.ReconnectStopped(outcome));
            }
            case ClientEvent.RoomEntered entered -> {
                String key = lines.keyOf(entered.room());
                Conversations.Conversation c = conversations.room(key, entered.room());
                c.joined = true;
                c.parting = false;
                if (!key.equals(ROOM)) {
                    listener.accept(new ModelEvent.RoomOpened(key, entered.room(), !entered.rejoined()));
                }
            }
            case ClientEvent.RoomLeft left -> {
                String key = lines.keyOf(left.room());
                Conversations.Conversation c = conversations.get(key);
                if (c != null) {
                    boolean closedByUser = c.parting;
                    c.joined = false;
                    c.parting = false;
                    if (!closedByUser && !key.equals(ROOM)) {
                        listener.accept(new ModelEvent.RoomClosed(key));
                    }
                }
            }
            case ClientEvent.RoomsChanged changed -> {
                boolean named = !changed.rooms().defaultRoom().equals(rooms.defaultRoom());
                rooms = changed.rooms();
                if (named) {
                    lines.defaultRoomIs(rooms.defaultRoom());
                    listener.accept(new ModelEvent.DefaultRoomNamed(rooms.defaultRoom()));
                }
            }
            case ClientEvent.MembersChanged changed -> {
                String key = lines.keyOf(changed.room());
                Conversations.Conversation c = conversations.get(key);
                if (c != null) {
                    c.members = changed.members().names();
                    c.total = changed.members().total();
                    listener.accept(new ModelEvent.UsersChanged(key, c.members, c.total));
                }
            }
        }
    }

    /** Queues work for the model thread; after quit or close there is nobody to do it, and that is fine. */
    private void post(Runnable work) {
        try {
            thread.execute(work);
        } catch (RejectedExecutionException e) {
            // The model has stopped; late network events and clicks have nothing left to change.
        }
    }
}
