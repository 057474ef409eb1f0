package dev.chat.client;

import dev.chat.client.direct.DirectConnections;
import dev.chat.client.direct.DirectSettings;
import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.protocol.ClientLine;
import dev.chat.protocol.Command;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.RoomNames;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A chat session as every client has it: signs on ({@link Login}) to the first of its servers
 * that answers, keeps the rooms the user is in and who is in them ({@link #rooms()}), brings a
 * lost session back (on the next server of the list, waits that double between rounds, the same
 * name, the rooms joined again), and tells its view everything as {@link ClientEvent}s.
 * Views (console, desktop) sit on top and hold no sign-on, reconnect or room-tracking code.
 *
 * <p>Threads: the connection's {@code net-reader} reads lines and hands them to the client's own
 * {@code chat-events} thread, which alone changes the client's state and calls the listener, in
 * order; {@link #signOn} blocks the thread that calls it; a lost session is brought back on a
 * thread named {@code reconnect}. Every public method may be called from any thread but the
 * events thread (the listener must not block on the client).
 */
public final class ChatClient implements AutoCloseable {

    /**
     * How a client connects, what it does when the connection is lost, and the user's keys.
     *
     * @param connectTimeout how long one connection may take to open (and as long again for a TLS handshake)
     * @param answerTimeout  how long the server may take to ask for a name and to answer it
     * @param reconnect      whether a lost session is brought back by itself
     * @param identity       the user's keys, or null for none: with keys, the client signs the
     *                       server's key challenge when it proposes a name (so that it gets a name
     *                       registered to them), publishes its key once signed on, and seals private
     *                       messages to other key holders ({@link PrivateMessages})
     * @param knownKeys      the keys of others pinned on first sight; null exactly when {@code identity} is
     * @param direct         how direct connections with other clients behave
     */
    public record Settings(Duration connectTimeout, Duration answerTimeout, boolean reconnect, Identity identity,
                           KnownKeys knownKeys, DirectSettings direct) {

        public Settings {
            if ((identity == null) != (knownKeys == null)) {
                throw new IllegalArgumentException("keys go with a file of known keys, and only with one");
            }
        }

        /** With direct connections as {@link DirectSettings#defaults()} has them. */
        public Settings(Duration connectTimeout, Duration answerTimeout, boolean reconnect, Identity identity,
                        KnownKeys knownKeys) {
            this(connectTimeout, answerTimeout, reconnect, identity, knownKeys, DirectSettings.defaults());
        }

        /** Without keys. */
        public Settings(Duration connectTimeout, Duration answerTimeout, boolean reconnect) {
            this(connectTimeout, answerTimeout, reconnect, null, null);
        }

        /** Five seconds to connect, ten for an answer, reconnecting, and no keys. */
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(5), Duration.ofSeconds(10), true, null, null);
        }

        public Settings withReconnect(boolean reconnect) {
            return new Settings(connectTimeout, answerTimeout, reconnect, identity, knownKeys, direct);
        }

        public Settings withConnectTimeout(Duration timeout) {
            return new Settings(timeout, answerTimeout, reconnect, identity, knownKeys, direct);
        }

        /** With the user's keys and the pinned keys of others, or without keys when both are null. */
        public Settings withIdentity(Identity keys, KnownKeys known) {
            return new Settings(connectTimeout, answerTimeout, reconnect, keys, known, direct);
        }

        /** With direct connections behaving as {@code settings} say. */
        public Settings withDirect(DirectSettings settings) {
            return new Settings(connectTimeout, answerTimeout, reconnect, identity, knownKeys, settings);
        }
    }

    private static final Logger LOG = Logger.getLogger(ChatClient.class.getName());

    /** How long an old connection may take to wind down when a new sign-on replaces it. */
    private static final Duration REPLACE_TIMEOUT = Duration.ofSeconds(2);

    private final Settings settings;
    private final Consumer<ClientEvent> listener;
    /** The private messages, sealed or not; touched on the events thread only. */
    private final PrivateMessages privateMessages;
    /** The direct connections with other clients; confined to the events thread but where it says otherwise. */
    private final DirectConnections directs;
    private final ExecutorService events =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("chat-events").daemon().factory());

    // ---- Touched on the events thread only. ----
    private final JoinedRooms rooms = new JoinedRooms();
    /** The rooms to join again at the next sign-on, taken when a signed-on connection was lost; or null. */
    private JoinedRooms.Rejoin rejoin;
    /** Keys of the rooms the client joined again by itself, whose entry is told as rejoined. */
    private final Set<String> rejoining = new HashSet<>();
    /** Set when the user entered the default room: its next untagged {@code Online} line is its member list. */
    private boolean defaultListDue;
    /**
     * Set at sign-on until the welcome's member list: the default room's entry is told then, once
     * the server has named the room (its {@code DefaultRoom} line comes between the two).
     */
    private boolean defaultEntryDue;
    /** The names the last {@code /who} answer listed. */
    private List<String> lastWho = List.of();
    /** The name searches sent and not answered yet, oldest first. */
    private final Deque<NameSearch> searches = new ArrayDeque<>();

    // ---- Shared; written as each says. ----
    /** The connection signing on or signed on, or null; replaced by a sign-on, cleared on the events thread when it ends. */
    private volatile Link link;
    /** Written on the events thread; waited on under {@link #stateChanged}. */
    private volatile ConnectionState state = new ConnectionState.Offline();
    private final Object stateChanged = new Object();
    /** The user's name: the one signed on with, or taken since; written on the events thread. */
    private volatile String name;
    /** Published by the events thread after each change. */
    private volatile Rooms roomsNow = Rooms.NONE;
    private volatile List<String> knownNow = List.of();
    /** Whether a line that can move the server's current room was sent since signing on; see {@link #sendIn}. */
    private volatile boolean roomMoveSent;
    /** The servers the user gave at the last sign-on, in order, for bringing the session back on one of them. */
    private volatile List<Endpoint> servers = List.of();
    /** The server signed on to, being signed on to, or tried last; null before the first sign-on. */
    private volatile Endpoint server;
    /** Whether the session has signed on since the user last asked to, so that there is something to bring back. */
    private volatile boolean signedOnOnce;
    /** The password the session signed on with last, for bringing it back. */
    private volatile String lastPassword;
    /** Set by {@link #quit}: the connection's end is not a loss. */
    private volatile boolean quitting;
    /** The reconnection under way, or null. */
    private volatile Reconnect reconnect;

    /** @param listener hears every event, on the {@code chat-events} thread */
    public ChatClient(Settings settings, Consumer<ClientEvent> listener) {
        this.settings = settings;
        this.listener = listener;
        this.privateMessages = new PrivateMessages(settings.identity(), settings.knownKeys(), () -> name, this::emit);
        this.directs = new DirectConnections(settings.identity(), settings.knownKeys(), () -> name,
                settings.connectTimeout(), settings.direct(), event -> post(() -> directEvent(event)), events);
    }

    // ---- Signing on ----

    /**
     * Connects to {@code endpoint} and signs on as {@code name} (null: what {@code prompts} says
     * when the server asks for a name), giving the server
     * {@code password} if it asks for one (or what {@code prompts} says, which also decides
     * about a certificate seen for the first time). Blocks the calling thread until the server
     * answers, at most for the timeouts of the settings and, with a password, 40 s (the server
     * answers a wrong one after a delay). Stops a reconnection under way and replaces a
     * connection that is open. Once signed on, the rooms the user was in when a connection was
     * lost are joined again.
     *
     * @param password the server's password, or null to ask {@code prompts} if the server wants one
     */
    public Login.Outcome signOn(Endpoint endpoint, String name, String password, Login.Prompts prompts)
            throws InterruptedException {
        return signOn(List.of(endpoint), name, password, prompts);
    }

    /**
     * Signs on as {@link #signOn(Endpoint, String, String, Login.Prompts)} does, to the first of
     * {@code servers} that can be reached: one that cannot (or that goes away before answering)
     * is told as {@link ClientEvent.ServerFailed} and the next is tried at once; any other
     * answer (signed on, a name, password or certificate refused) ends the sign-on. A name or
     * password {@code prompts} gave for one server is given to the next without asking again.
     * The outcome is the last server's; {@link #server()} says which one that was. A lost
     * session is brought back on these servers, the next one first.
     *
     * @throws IllegalArgumentException when {@code servers} is empty
     */
    public Login.Outcome signOn(List<Endpoint> servers, String name, String password, Login.Prompts prompts)
            throws InterruptedException {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no server to sign on to");
        }
        stopReconnecting();
        quitting = false;
        signedOnOnce = false;
        this.servers = List.copyOf(servers);
        AskedOnce asked = new AskedOnce(prompts);
        for (int i = 0; ; i++) {
            Endpoint endpoint = servers.get(i);
            Login.Outcome outcome = attempt(endpoint, name, password, asked, false);
            if (!(outcome instanceof Login.Outcome.Unreachable unreachable) || i + 1 == servers.size()
                    || asked.leftUnanswered()) {
                return outcome;
            }
            Endpoint next = servers.get(i + 1);
            post(() -> emit(new ClientEvent.ServerFailed(endpoint, unreachable.message(), next)));
        }
    }

    /**
     * After {@link Login.Outcome#canTryAnotherName()}, proposes another name on the same
     * connection. Blocks the calling thread while the server answers.
     */
    public Login.Outcome tryName(String another) throws InterruptedException {
        Link current = link;
        if (current == null || current.connection == null || current.signedOn) {
            return new Login.Outcome.Unreachable("not connected", null);
        }
        return finish(current, current.login.tryName(another));
    }

    /** One attempt to connect and sign on, by the user or by the reconnect thread. */
    private Login.Outcome attempt(Endpoint endpoint, String proposed, String password, Login.Prompts prompts,
            boolean again) throws InterruptedException {
        settle();
        Link next = new Link(endpoint, again);
        link = next;
        server = endpoint;
        post(() -> setState(new ConnectionState.Connecting(endpoint)));
        try {
            next.connection = Connection.open(endpoint, settings.connectTimeout(), prompts, next);
        } catch (ConnectFailedException e) {
            LOG.log(Level.FINE, e.getMessage(), e.getCause());
            settle();
            return e.reason().needsUser() ? new Login.Outcome.TrustNeeded(e)
                    : new Login.Outcome.Unreachable(e.getMessage(), e);
        }
        return finish(next, next.login.signOn(next.connection, password, prompts, proposed));
    }

    /**
     * Keeps what a successful sign-on needs for reconnecting; closes the connection when
     * nothing more can be tried on it, so that the state says so when the answer is returned.
     */
    private Login.Outcome finish(Link at, Login.Outcome outcome) throws InterruptedException {
        if (outcome instanceof Login.Outcome.SignedOn) {
            signedOnOnce = true;
            lastPassword = at.login.password();
        } else if (!outcome.canTryAnotherName()) {
            settle();
        }
        return outcome;
    }

    /**
     * Closes the connection there is, if any, and waits until the events thread has taken in
     * its end, so that what follows starts from a settled state.
     */
    private void settle() throws InterruptedException {
        Link previous = link;
        if (previous == null) {
            return;
        }
        previous.close();
        if (previous.connection != null) {
            previous.connection.awaitClosed(REPLACE_TIMEOUT);
        }
        CountDownLatch settled = new CountDownLatch(1);
        post(() -> {
            ended(previous);
            settled.countDown();
        });
        settled.await(REPLACE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Blocks the calling thread while the client is connecting or reconnecting, at most
     * {@code timeout}; returns whether it is signed on then.
     */
    public boolean awaitSignedOn(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (stateChanged) {
            // A connection lost a moment ago leaves the state signed on until the events thread takes it in.
            while (!signedOnNow() && (state instanceof ConnectionState.Connecting || reconnect != null)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(stateChanged, left);
            }
            return signedOnNow();
        }
    }

    /**
     * Registers the name the user has now to the client's key ({@code /register KEY SIGNATURE}):
     * from then on the server gives the name only to a client with that key. The server answers
     * with a {@link ServerLine.Registered} line, or an error line (as {@link ClientEvent.LineReceived}).
     * Blocks while the socket takes the bytes.
     *
     * @throws IllegalStateException when the client has no keys ({@link Settings#identity()})
     * @throws IOException           when not signed on, the connection is gone, or the server
     *                               sent no key challenge (it registers no names)
     */
    public void registerName() throws IOException {
        Identity identity = settings.identity();
        if (identity == null) {
            throw new IllegalStateException("this client has no keys to register a name to");
        }
        Connection connection = signedOnConnection();
        Link current = link;
        String signature = current == null ? null : current.login.signature(name);
        if (signature == null) {
            throw new IOException("the server sent no key challenge: it does not register names");
        }
        connection.send("/" + Command.REGISTER.word() + " " + identity.publicIdentity().token() + " " + signature);
    }

    // ---- Talking ----

    /**
     * Sends a line as the user typed it: text for the current room, or a {@code /command}.
     * Blocks while the socket takes the bytes. A private message ({@code /msg NAME TEXT}, also
     * inside {@code /in #ROOM}) goes from the events thread instead, sealed, plain or held as
     * {@link PrivateMessages} decides; one too long for one message is told as
     * {@link ClientEvent.PrivateNotSent} and not sent. While a direct connection with its
     * recipient is open, a private message goes over it instead ({@link #sayDirect}).
     *
     * @throws IOException when not signed on, or the connection is gone
     */
    public void send(String typed) throws IOException {
        List<String> privateMessage = privateMessage(typed);
        if (privateMessage != null && directs.isOpen(privateMessage.get(0))) {
            sayDirect(privateMessage.get(0), privateMessage.get(1));
            return;
        }
        Connection connection = signedOnConnection();
        if (privateMessage != null) {
            String to = privateMessage.get(0);
            String text = privateMessage.get(1);
            String tooLong = PrivateMessages.tooLong(privateMessages.hasKeys(), to, text);
            post(() -> {
                if (tooLong != null) {
                    emit(new ClientEvent.PrivateNotSent(to, text, tooLong));
                } else {
                    privateMessages.send(to, text);
                }
            });
            return;
        }
        if (movesRoom(typed)) {
            roomMoveSent = true;
        }
        connection.send(typed);
        post(() -> {
            if (rooms.sent(typed)) {
                changed(List.of(new ClientEvent.RoomsChanged(rooms.snapshot())));
            }
        });
    }

    /**
     * Sends a line typed in the view of {@code room}, one of the user's rooms: as it is while
     * that room is certainly the server's current room, else inside {@code /in ROOM}, so that it
     * reaches that room whatever the server's current room is.
     *
     * @throws IOException when not signed on, or the connection is gone
     */
    public void sendIn(String room, String typed) throws IOException {
        boolean asTyped = roomsNow.isCurrent(room) && !roomMoveSent && !movesRoom(typed);
        send(asTyped ? typed : "/" + Command.IN.word() + " " + room + " " + typed);
    }

    /**
     * Leaves {@code room}: the server is told when signed on; while the connection is down, the
     * room is not joined again when it is back.
     */
    public void part(String room) {
        if (signedOnConnectionOrNull() != null) {
            try {
                send("/" + Command.PART.word() + " " + room);
            } catch (IOException e) {
                LOG.log(Level.FINE, "cannot send the part", e);
            }
        }
        post(() -> {
            if (rejoin != null) {
                rejoin = rejoin.without(room, rooms.defaultRoom());
            }
        });
    }

    /**
     * The name and text of {@code typed} when it is a private message, {@code /msg NAME TEXT}, also
     * inside {@code /in #ROOM}, where the room does not matter; else null.
     */
    private static List<String> privateMessage(String typed) {
        if (!(ClientLine.parse(typed) instanceof ClientLine.Invocation invocation)) {
            return null;
        }
        Command command = Command.byWord(invocation.word()).orElse(null);
        if (command == Command.MSG) {
            return invocation.arguments(2);
        }
        List<String> inRoom = command == Command.IN ? invocation.arguments(2) : null;
        return inRoom == null ? null : privateMessage(inRoom.get(1));
    }

    private static boolean movesRoom(String typed) {
        return ClientLine.parse(typed) instanceof ClientLine.Invocation invocation
                && Command.byWord(invocation.word())
                        .map(command -> command == Command.JOIN || command == Command.PART || command == Command.IN)
                        .orElse(false);
    }

    private Connection signedOnConnection() throws IOException {
        Connection connection = signedOnConnectionOrNull();
        if (connection == null) {
            throw new IOException("not connected");
        }
        return connection;
    }

    private boolean signedOnNow() {
        return state instanceof ConnectionState.SignedOn && signedOnConnectionOrNull() != null;
    }

    private Connection signedOnConnectionOrNull() {
        Link current = link;
        return current != null && current.signedOn && current.connection != null && current.connection.isOpen()
                ? current.connection : null;
    }

    /**
     * Asks the server for the first page (up to {@link Protocol#NAMES_PER_PAGE}) of the names in
     * {@code room} that start with {@code prefix}, ignoring case: for finding anyone in a large
     * room, whose names the client does not keep. The answer does not reach the view as a line.
     * Returns at once; the future completes on the events thread, or fails with an
     * {@link IOException} when not signed on or the connection ends first. A room the server
     * does not know is answered with an error line and leaves the future waiting until the
     * connection ends: wait for it with a timeout.
     */
    public CompletableFuture<List<String>> searchNames(String room, String prefix) {
        NameSearch search = new NameSearch(RoomNames.key(room), NameRules.key(prefix), new CompletableFuture<>());
        Connection connection = signedOnConnectionOrNull();
        if (connection == null || !NameRules.isValid(prefix) || !RoomNames.isValid(room)) {
            search.answer().completeExceptionally(new IOException(connection == null ? "not connected"
                    : "not a room and the start of a name: " + room + " " + prefix));
            return search.answer();
        }
        // Noted before it is sent, so that the events thread knows of it before any answer.
        post(() -> searches.add(search));
        try {
            connection.send("/" + Command.WHO.word() + " " + room + " " + prefix + "*");
        } catch (IOException e) {
            search.answer().completeExceptionally(e);
        }
        return search.answer();
    }

    /** A name search sent: the room's key, the prefix's key, and who waits for the names. */
    private record NameSearch(String roomKey, String prefixKey, CompletableFuture<List<String>> answer) {
    }

    // ---- Keys of others ----

    /** Whether the client has keys of its own: it seals private messages to other key holders. */
    public boolean hasKeys() {
        return settings.identity() != null;
    }

    /**
     * Accepts the change of {@code name}'s key told by {@link ClientEvent.KeyChanged}: pins the new
     * key (or drops the pin when the server says there is no key any more) and sends what waited.
     * Returns at once; the future completes on the events thread with what to tell the user.
     */
    public CompletableFuture<String> acceptKey(String name) {
        CompletableFuture<String> answer = new CompletableFuture<>();
        post(() -> answer.complete(privateMessages.accept(name)));
        return answer;
    }

    /**
     * The safety number of the user and {@code name}, to compare with them, made with the key
     * pinned for {@code name}; when none is pinned, the server is asked for it first and it is
     * pinned. Returns at once; the future completes on the events thread, or fails with an
     * {@link IOException} whose message is fit for users (no keys here or there, a changed key,
     * nobody of that name, the connection lost).
     */
    public CompletableFuture<Verification> verification(String name) {
        CompletableFuture<Verification> answer = new CompletableFuture<>();
        post(() -> privateMessages.verification(name).whenComplete((v, failure) -> {
            if (failure != null) {
                answer.completeExceptionally(failure);
            } else {
                answer.complete(v);
            }
        }));
        return answer;
    }

    /**
     * Marks the contact of {@code compared} verified, the user having compared its safety number.
     * Blocks on the file of known keys.
     *
     * @return false, changing nothing, when another key is pinned for the name by now
     * @throws IllegalStateException when the client has no keys
     * @throws IOException           when the file of known keys cannot be written
     */
    public boolean markVerified(Verification compared) throws IOException {
        if (settings.knownKeys() == null) {
            throw new IllegalStateException("this client has no keys");
        }
        return settings.knownKeys().markVerified(compared.name(), compared.key());
    }

    // ---- Direct connections ----

    /**
     * Offers {@code name} a direct connection between the two clients, once {@code name}'s key is
     * pinned (asked of the server and pinned on first sight, as for {@link #verification}). Returns
     * at once; what follows is told as {@link ClientEvent.DirectEvent}s: {@link ClientEvent.DirectOpened}
     * when {@code name} accepted and both keys were proved, else {@link ClientEvent.DirectFailed}.
     */
    public void offerDirect(String name) {
        withPinnedKey(name, () -> directs.offer(name));
    }

    /** Accepts the direct connection {@code name} offered ({@link ClientEvent.DirectOffered}); returns at once, as {@link #offerDirect}. */
    public void acceptDirect(String name) {
        withPinnedKey(name, () -> directs.accept(name));
    }

    /** Declines the direct connection {@code name} offered; the future tells whether one was offered. */
    public CompletableFuture<Boolean> declineDirect(String name) {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        post(() -> answer.complete(directs.decline(name)));
        return answer;
    }

    /** Runs {@code then} on the events thread once a key of {@code name} is pinned; else tells why not. */
    private void withPinnedKey(String name, Runnable then) {
        post(() -> privateMessages.verification(name).whenComplete((verification, failure) -> {
            if (failure != null) {
                emit(new ClientEvent.DirectFailed(name, "no direct connection: " + failure.getMessage()));
            } else {
                then.run();
            }
        }));
    }

    /** Whether a direct connection with {@code name} is open. */
    public boolean hasDirect(String name) {
        return directs.isOpen(name);
    }

    /**
     * Says {@code text} to {@code name} over the direct connection, told back as
     * {@link ClientEvent.DirectMessage}; when it is gone, told as {@link ClientEvent.PrivateNotSent}.
     * Blocks while the socket takes it.
     */
    public void sayDirect(String name, String text) {
        try {
            directs.say(name, text);
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot say over the direct connection", e);
            post(() -> emit(new ClientEvent.PrivateNotSent(name, text, e.getMessage())));
        }
    }

    /**
     * Offers {@code file} to {@code name} over the direct connection; it goes once accepted, told
     * as {@link ClientEvent.FileProgress} and then {@link ClientEvent.FileDone} or
     * {@link ClientEvent.FileFailed}. Blocks while the offer is written. Returns the file's id.
     *
     * @throws IOException when no direct connection is open, or the file cannot be read or is
     *                     larger than {@link DirectSettings#maxFileBytes()}; the message is fit for users
     */
    public long sendFile(String name, Path file) throws IOException {
        return directs.sendFile(name, file);
    }

    /**
     * Takes file {@code id} offered by {@code name} ({@link ClientEvent.FileOffered}), to be saved
     * as {@code target}; if a file of that name is there when it has come, as {@code name (1).ext}
     * and so on beside it. Nothing is ever overwritten.
     *
     * @throws IOException when no such offer waits, the directory cannot be written, or the connection is gone
     */
    public void acceptFile(String name, long id, Path target) throws IOException {
        directs.acceptFile(name, id, target);
    }

    /** Refuses file {@code id} offered by {@code name}. */
    public void refuseFile(String name, long id) throws IOException {
        directs.refuseFile(name, id);
    }

    /** Closes the direct connection with {@code name}; returns false when none is open. */
    public boolean closeDirect(String name) {
        return directs.close(name);
    }

    /** An event of a direct connection, on the events thread: a closed link is forgotten before the view hears. */
    private void directEvent(ClientEvent event) {
        if (event instanceof ClientEvent.DirectClosed closed) {
            directs.closed(closed.name());
        }
        emit(event);
    }

    // ---- Reconnecting and leaving ----

    /** Skips the wait before the next reconnection attempt; returns whether one is under way. */
    public boolean reconnectNow() {
        Reconnect current = reconnect;
        if (current != null) {
            current.signals.add(Reconnect.Signal.NOW);
        }
        return current != null;
    }

    /**
     * Says goodbye ({@code /quit}) once the private messages sent before have gone (at most
     * {@code timeout} for the keys they wait for), waits at most {@code timeout} for the server to close the
     * connection, and closes it; stops a reconnection under way. The client takes no more
     * work afterwards; the events already due are still told.
     */
    public void quit(Duration timeout) throws InterruptedException {
        quitting = true;
        stopReconnecting();
        // Private messages typed before leaving may wait for a key: they go before the goodbye.
        CompletableFuture<Void> settled = new CompletableFuture<>();
        post(() -> privateMessages.whenSettled(settled));
        try {
            if (events.isShutdown()) {
                settled.complete(null);
            }
            settled.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.log(Level.FINE, "private messages still waited for a key when leaving", e);
        }
        directs.closeAll(timeout);
        Link current = link;
        if (current != null && current.connection != null) {
            try {
                current.connection.send("/" + Command.QUIT.word());
                current.connection.awaitClosed(timeout);
            } catch (IOException e) {
                // Already gone: nothing to say goodbye to.
            } finally {
                current.close();
            }
        }
        shutDownEvents();
    }

    /** Closes the connection without saying goodbye and stops reconnecting; the client takes no more work. */
    @Override
    public void close() {
        quitting = true;
        try {
            stopReconnecting();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Link current = link;
        if (current != null) {
            current.close();
        }
        try {
            directs.closeAll(REPLACE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shutDownEvents();
    }

    private void shutDownEvents() {
        events.shutdown();
        try {
            events.awaitTermination(REPLACE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopReconnecting() throws InterruptedException {
        Reconnect current = reconnect;
        if (current != null) {
            current.cancel();
            current.thread.join(settings.connectTimeout().multipliedBy(2).plus(Login.PASSWORD_TIMEOUT));
        }
    }

    // ---- What the view may ask, from any thread ----

    /** Where the connection stands. */
    public ConnectionState state() {
        return state;
    }

    /**
     * The server signed on to, being signed on to, or tried last (after a failed sign-on, the one
     * whose answer was returned); null before the first sign-on.
     */
    public Endpoint server() {
        return server;
    }

    /** The user's name: signed on with, or taken since with {@code /nick}; null before the first sign-on. */
    public String name() {
        return name;
    }

    /** The rooms the user is in, the current one, and who is in each. */
    public Rooms rooms() {
        return roomsNow;
    }

    /** Everyone the client knows to be online: in the user's rooms or in the last {@code /who} answer; sorted ignoring case. */
    public List<String> knownNames() {
        return knownNow;
    }

    // ---- On the events thread ----

    /** Takes in a line from {@code from}; lines of a connection that was replaced are dropped. */
    private void handle(Link from, ServerLine line) {
        if (from != link) {
            return;
        }
        if (line instanceof ServerLine.NamePage page && answersSearch(rooms.defaultRoom(), page)
                || line instanceof ServerLine.InRoom(String inRoom, ServerLine.NamePage inner)
                        && answersSearch(inRoom, inner)) {
            // Asked for by the client itself (searchNames), not by the user.
            return;
        }
        List<ClientEvent> before = new ArrayList<>(1);
        List<ClientEvent> after = new ArrayList<>(2);
        String room = switch (line) {
            case ServerLine.Welcome welcome -> {
                welcomed(from, welcome, before, after);
                yield null;
            }
            case ServerLine.DefaultRoom named -> {
                if (rooms.nameDefault(named.room())) {
                    after.add(new ClientEvent.RoomsChanged(rooms.snapshot()));
                }
                yield null;
            }
            case ServerLine.InRoom(String inRoom, ServerLine inner) -> roomLine(inRoom, inner, before, after);
            case ServerLine.Online online when defaultListDue -> defaultList(from, online, before, after);
            case ServerLine.People people when defaultListDue && Rooms.same(people.room(), rooms.defaultRoom()) ->
                    defaultList(from, people, before, after);
            case ServerLine.Online online when rooms.isLarge(rooms.defaultRoom()) ->
                    // The default room is no longer large: here are all its members again.
                    roomLine(rooms.defaultRoom(), online, before, after);
            case ServerLine.Online online -> {
                // Not the default room's list but a /who answer: everyone on the server.
                lastWho = online.names();
                yield null;
            }
            case ServerLine.People people when Rooms.same(people.room(), rooms.defaultRoom()) ->
                    roomLine(rooms.defaultRoom(), people, before, after);
            case ServerLine.Chat _, ServerLine.Action _, ServerLine.Joined _, ServerLine.Left _, ServerLine.Topic _,
                 ServerLine.TopicChanged _ -> roomLine(rooms.defaultRoom(), line, before, after);
            case ServerLine.History history -> history.line() instanceof ServerLine.InRoom inRoom ? inRoom.room()
                    : rooms.defaultRoom();
            case ServerLine.NickChanged nick -> {
                renamed(from, nick, after);
                yield null;
            }
            case ServerLine.RoomList list -> {
                rooms.listingStarted();
                yield null;
            }
            case ServerLine.RoomEntry entry -> {
                rooms.listed(entry.room());
                yield null;
            }
            default -> null;
        };
        publish();
        // The signing-on thread learns the answer after the state has taken it in.
        from.login.offer(line);
        before.forEach(this::emit);
        // Private messages are told opened and marked; the answers to the client's own /key requests not at all.
        boolean taken = from.signedOn && (privateMessages.take(line) || directs.take(line));
        // The key challenge is the sign-on's business, and random characters to a person: no view hears of it.
        if (!taken && !(line instanceof ServerLine.Challenge)) {
            emit(new ClientEvent.LineReceived(line, room));
        }
        after.forEach(this::emit);
    }

    /** The welcome's word on who is in the default room: its entry is told now that the room is named. */
    private String defaultList(Link from, ServerLine members, List<ClientEvent> before, List<ClientEvent> after) {
        defaultListDue = false;
        if (defaultEntryDue) {
            defaultEntryDue = false;
            before.add(new ClientEvent.RoomEntered(rooms.defaultRoom(), from.again));
        }
        return roomLine(rooms.defaultRoom(), members, before, after);
    }

    /**
     * Whether {@code page}, a line of {@code room}, answers the oldest name search for that room
     * and prefix; if so, the search has its names and is done.
     */
    private boolean answersSearch(String room, ServerLine.NamePage page) {
        String roomKey = RoomNames.key(room);
        String prefixKey = page.prefix().isEmpty() ? "" : NameRules.key(page.prefix());
        for (var i = searches.iterator(); i.hasNext(); ) {
            NameSearch search = i.next();
            if (search.roomKey().equals(roomKey) && search.prefixKey().equals(prefixKey) && page.page() == 1) {
                i.remove();
                search.answer().complete(page.names());
                return true;
            }
        }
        return false;
    }

    /** Signed on: the server has the user in its default room only; rooms to restore are joined again. */
    private void welcomed(Link from, ServerLine.Welcome welcome, List<ClientEvent> before, List<ClientEvent> after) {
        name = welcome.name();
        from.signedOn = true;
        roomMoveSent = false;
        lastWho = List.of();
        rooms.signedOn(welcome.name());
        defaultListDue = true;
        defaultEntryDue = true;
        ConnectionState.SignedOn signedOn = new ConnectionState.SignedOn(from.endpoint, welcome.name(),
                from.connection == null ? null : from.connection.serverFingerprint().orElse(null));
        setState(signedOn);
        Connection over = from.connection;
        if (over != null) {
            privateMessages.signedOn(over::send);
            directs.signedOn(over::send, over.localAddress());
        }
        publishKey(from, welcome.name());
        after.add(new ClientEvent.RoomsChanged(rooms.snapshot()));
        if (from.again) {
            after.add(new ClientEvent.Reconnected(signedOn));
        }
        JoinedRooms.Rejoin restore = rejoin;
        if (restore != null && from.connection != null) {
            try {
                for (String line : restore.lines(rooms.defaultRoom())) {
                    from.connection.send(line);
                    roomMoveSent = true;
                }
                restore.rooms().forEach(room -> rejoining.add(RoomNames.key(room)));
                rejoin = null;
            } catch (IOException e) {
                // Lost again: the next sign-on restores the same rooms.
                LOG.log(Level.FINE, "cannot join the rooms again", e);
            }
        }
    }

    /**
     * Publishes the user's key for {@code forName} ({@code /publish KEY SIGNATURE}), when the
     * client has keys and the server registers names; so that others can seal their messages to
     * the user. A registered name's key is the one it was signed on with. Events thread.
     */
    private void publishKey(Link from, String forName) {
        Identity identity = settings.identity();
        String signature = from.login.signature(forName);
        if (identity == null || signature == null || from.connection == null) {
            return;
        }
        try {
            from.connection.send("/" + Command.PUBLISH.word() + " " + identity.publicIdentity().token() + " " + signature);
        } catch (IOException e) {
            // Lost: the next sign-on publishes it again.
            LOG.log(Level.FINE, "cannot publish the key", e);
        }
    }

    /** A line of {@code room} (the default room's carry no name); returns the room. */
    private String roomLine(String room, ServerLine line, List<ClientEvent> before, List<ClientEvent> after) {
        switch (line) {
            case ServerLine.Joined joined when isMe(joined.name()) -> {
                boolean rejoined = rejoining.remove(RoomNames.key(room));
                rooms.entered(room);
                defaultListDue = rooms.snapshot().isDefault(room);
                before.add(new ClientEvent.RoomEntered(room, rejoined));
                after.add(new ClientEvent.RoomsChanged(rooms.snapshot()));
            }
            case ServerLine.Joined joined -> {
                if (rooms.memberJoined(room, joined.name())) {
                    after.add(new ClientEvent.MembersChanged(room, rooms.members(room)));
                }
            }
            case ServerLine.Left left when isMe(left.name()) -> {
                if (rooms.isIn(room)) {
                    rooms.left(room);
                    after.add(new ClientEvent.RoomLeft(room));
                    after.add(new ClientEvent.RoomsChanged(rooms.snapshot()));
                }
            }
            case ServerLine.Left left -> {
                if (rooms.memberLeft(room, left.name())) {
                    after.add(new ClientEvent.MembersChanged(room, rooms.members(room)));
                }
            }
            case ServerLine.Online online -> {
                // Told even when nothing changed: it is the list a view waits for after entering a room.
                if (rooms.isIn(room)) {
                    rooms.replaceMembers(room, online.names());
                    after.add(new ClientEvent.MembersChanged(room, rooms.members(room)));
                }
            }
            case ServerLine.People people -> {
                // The same for a large room, of which only the count is told.
                if (rooms.isIn(room)) {
                    rooms.countMembers(room, people.count());
                    after.add(new ClientEvent.MembersChanged(room, rooms.members(room)));
                }
            }
            default -> {
                // Said, acted, topics: nothing the client keeps.
            }
        }
        return room;
    }

    /** Someone took a new name: every room they are in follows; the user's own is the name from now on. */
    private void renamed(Link from, ServerLine.NickChanged nick, List<ClientEvent> after) {
        for (String room : rooms.renamed(nick.from(), nick.to())) {
            after.add(new ClientEvent.MembersChanged(room, rooms.members(room)));
        }
        if (isMe(nick.from()) && state instanceof ConnectionState.SignedOn signedOn) {
            name = nick.to();
            publishKey(from, nick.to());
            ConnectionState renamed = new ConnectionState.SignedOn(signedOn.endpoint(), nick.to(), signedOn.fingerprint());
            state = renamed;
            after.add(new ClientEvent.ConnectionChanged(renamed));
        }
    }

    /**
     * {@code from} ended: the server closed it, the network failed, or the client closed it.
     * Once signed on, the rooms to restore are kept, and a loss starts a reconnection when the
     * settings say so.
     */
    private void ended(Link from) {
        from.login.closed();
        if (from != link) {
            return;
        }
        link = null;
        if (!from.signedOn) {
            if (!from.again) {
                setState(new ConnectionState.Offline());
            }
            return;
        }
        Rooms was = rooms.snapshot();
        if (rejoin == null) {
            rejoin = rooms.rejoin();
        }
        rooms.lost();
        privateMessages.ended();
        directs.ended();
        publish();
        List<NameSearch> unanswered = List.copyOf(searches);
        searches.clear();
        unanswered.forEach(search -> search.answer().completeExceptionally(new IOException("connection lost")));
        for (String room : was.joined()) {
            if (!was.membersOf(room).equals(Members.NONE)) {
                emit(new ClientEvent.MembersChanged(room, Members.NONE));
            }
        }
        emit(new ClientEvent.RoomsChanged(rooms.snapshot()));
        if (quitting || from.closedByUs) {
            setState(new ConnectionState.Offline());
            return;
        }
        List<Endpoint> bringBackOn = servers;
        if (settings.reconnect() && signedOnOnce && !bringBackOn.isEmpty()) {
            // Known before the view hears of the loss, so that awaitSignedOn waits for the reconnection.
            Reconnect bringBack = new Reconnect(bringBackOn, Math.max(0, bringBackOn.indexOf(from.endpoint)));
            reconnect = bringBack;
            emit(new ClientEvent.ConnectionLost(from.endpoint, bringBack.first()));
            bringBack.start();
        } else {
            emit(new ClientEvent.ConnectionLost(from.endpoint, null));
            setState(new ConnectionState.Offline());
        }
    }

    private void setState(ConnectionState newState) {
        synchronized (stateChanged) {
            state = newState;
            stateChanged.notifyAll();
        }
        emit(new ClientEvent.ConnectionChanged(newState));
    }

    /** Publishes the state for other threads: the rooms and everyone known. */
    private void publish() {
        roomsNow = rooms.snapshot();
        Map<String, String> known = new TreeMap<>();
        lastWho.forEach(n -> known.put(NameRules.key(n), n));
        roomsNow.members().values().forEach(members -> members.names().forEach(n -> known.put(NameRules.key(n), n)));
        knownNow = List.copyOf(known.values());
    }

    private void changed(List<ClientEvent> happened) {
        publish();
        happened.forEach(this::emit);
    }

    private boolean isMe(String user) {
        String me = name;
        return me != null && NameRules.key(user).equals(NameRules.key(me));
    }

    private void emit(ClientEvent event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            // A failing view must not stop the client from taking in what follows.
            LOG.log(Level.SEVERE, "the view failed on " + event, e);
        }
    }

    /** Queues work for the events thread; after {@link #close()} there is nobody to do it, and that is fine. */
    private void post(Runnable work) {
        try {
            events.execute(work);
        } catch (RejectedExecutionException e) {
            // Closed: late network events have nothing left to change.
        }
    }

    /** One connection and its sign-on; its lines count only while it is the client's {@link #link}. */
    private final class Link implements ConnectionListener {
        final Endpoint endpoint;
        /** Whether the reconnect thread made it, to bring a lost session back. */
        final boolean again;
        final Login login;
        /** Set once open; lines may come before, and need it only after the name is sent. */
        volatile Connection connection;
        /** Whether the server welcomed this connection; written on the events thread. */
        volatile boolean signedOn;
        volatile boolean closedByUs;

        Link(Endpoint endpoint, boolean again) {
            this.endpoint = endpoint;
            this.again = again;
            this.login = new Login(settings.answerTimeout(), settings.identity());
        }

        void close() {
            closedByUs = true;
            Connection open = connection;
            if (open != null) {
                open.close();
            }
        }

        @Override
        public void onLine(ServerLine line) {
            post(() -> handle(this, line));
        }

        @Override
        public void onClosed(boolean byUs) {
            post(() -> ended(this));
        }
    }

    /**
     * The view's prompts for one sign-on over several servers: a name or password given for one
     * server is given to the next without asking again, and a question left unanswered ends the
     * sign-on instead of being asked by the next server. On the thread that signs on.
     */
    private static final class AskedOnce implements Login.Prompts {

        private final Login.Prompts view;
        private String name;
        private String password;
        private boolean unanswered;

        AskedOnce(Login.Prompts view) {
            this.view = view;
        }

        @Override
        public String name() {
            if (name == null && !unanswered) {
                name = view.name();
                unanswered = name == null;
            }
            return name;
        }

        @Override
        public String password(String where) {
            if (password == null && !unanswered) {
                password = view.password(where);
                unanswered = password == null;
            }
            return password;
        }

        @Override
        public boolean trustFirstTime(String host, int port, String fingerprint) {
            return view.trustFirstTime(host, port, fingerprint);
        }

        /** Whether the user gave no answer to a question, so that no other server should ask it again. */
        boolean leftUnanswered() {
            return unanswered;
        }
    }

    /**
     * Brings a lost session back on its own thread: tries the servers of the list in turn, from
     * the one after the server lost, and signs on again with the same name and password, nobody
     * asked about a certificate, until it works, cannot work without the user, or is cancelled.
     * Before each try of the server lost it waits as {@link Backoff} says, counting the seconds
     * down: with one server before every try, with several once a round, the others being tried
     * at once.
     */
    private final class Reconnect {

        enum Signal { NOW, CANCEL }

        private static final Duration TICK = Duration.ofSeconds(1);

        final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
        final Thread thread;
        private final List<Endpoint> servers;
        /** The place in {@link #servers} of the server lost. */
        private final int lost;
        private volatile boolean cancelled;

        Reconnect(List<Endpoint> servers, int lost) {
            this.servers = servers;
            this.lost = lost;
            this.thread = Thread.ofPlatform().daemon().name("reconnect").unstarted(this::run);
        }

        /** The server tried first: the one after the server lost, or the server lost when it is the only one. */
        Endpoint first() {
            return after(lost);
        }

        private Endpoint after(int place) {
            return servers.get((place + 1) % servers.size());
        }

        void start() {
            thread.start();
        }

        void cancel() {
            cancelled = true;
            signals.add(Signal.CANCEL);
            Link current = link;
            if (current != null && current.again) {
                // A sign-on waiting for the server ends now.
                current.close();
            }
        }

        private void run() {
            Backoff backoff = new Backoff();
            try {
                int place = lost;
                for (int attempt = 1; ; attempt++) {
                    place = (place + 1) % servers.size();
                    Endpoint endpoint = servers.get(place);
                    if (!countDown(endpoint, attempt, place == lost ? backoff.next() : Duration.ZERO)) {
                        return;
                    }
                    Login.Outcome outcome = attempt(endpoint, name, lastPassword, Login.Prompts.NOBODY, true);
                    if (cancelled) {
                        return;
                    }
                    int number = attempt;
                    Endpoint next = after(place);
                    switch (outcome) {
                        case Login.Outcome.SignedOn signedOn -> {
                            return;
                        }
                        case Login.Outcome.NameTaken taken -> {
                            // The server may not have noticed yet that the old connection is gone.
                            settle();
                            post(() -> emit(new ClientEvent.ReconnectFailed(number, "the name " + taken.name()
                                    + " is still taken", next)));
                        }
                        case Login.Outcome.Unreachable unreachable ->
                                post(() -> emit(new ClientEvent.ReconnectFailed(number, unreachable.message(), next)));
                        case Login.Outcome.TrustNeeded needed when servers.size() > 1
                                && needed.failure().reason() == ConnectFailedException.Reason.NOT_TRUSTED ->
                                // A server of the list never trusted yet: nobody is asked now; the others may do.
                                post(() -> emit(new ClientEvent.ReconnectFailed(number, needed.failure().getMessage()
                                        + " (connect to it once to trust it)", next)));
                        default -> {
                            settle();
                            post(() -> {
                                emit(new ClientEvent.ReconnectStopped(outcome));
                                setState(new ConnectionState.Offline());
                            });
                            return;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                synchronized (stateChanged) {
                    if (reconnect == this) {
                        reconnect = null;
                    }
                    stateChanged.notifyAll();
                }
            }
        }

        /** Waits {@code wait} before trying {@code endpoint}, telling the view each second; returns false when cancelled. */
        private boolean countDown(Endpoint endpoint, int attempt, Duration wait) throws InterruptedException {
            Duration remaining = wait;
            while (remaining.isPositive()) {
                ConnectionState.Reconnecting counting = new ConnectionState.Reconnecting(endpoint, attempt, remaining);
                post(() -> setState(counting));
                Duration step = remaining.compareTo(TICK) < 0 ? remaining : TICK;
                Signal signal = signals.poll(step.toMillis(), TimeUnit.MILLISECONDS);
                if (signal == Signal.CANCEL || cancelled) {
                    return false;
                }
                if (signal == Signal.NOW) {
                    break;
                }
                remaining = remaining.minus(step);
            }
            return !cancelled;
        }
    }
}
