package dev.chat.swing.model;

import dev.chat.client.Authentication;
import dev.chat.client.Backoff;
import dev.chat.client.ChatClient;
import dev.chat.client.ConnectFailedException;
import dev.chat.client.Endpoint;
import dev.chat.client.KnownServers;
import dev.chat.client.OnlineUsers;
import dev.chat.client.Registration;
import dev.chat.client.ServerPrompt;
import dev.chat.client.ServerTrust;
import dev.chat.client.TrustPrompt;
import dev.chat.protocol.ClientLine;
import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.RoomNames;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.Text;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The desktop client's state without any user interface: the conversations (the default room,
 * one per joined room and one per private peer), who is in each room, the topics, the
 * connection with its automatic reconnection, unread counts and what wants the user's attention.
 *
 * <p>All state is confined to one thread named {@code chat-model}: public methods only queue
 * work for it and return at once, network events are queued the same way, and
 * {@link ModelListener} calls come from it in order. With TLS, the {@link TrustPrompt} is
 * asked on that thread too, and the model waits for its answer.
 */
public final class ChatModel implements AutoCloseable {

    /**
     * The key of the server's default room, where everyone starts; other rooms use
     * {@link #roomKey(String)}, private conversations the peer's name key.
     */
    public static final String ROOM = "";

    /**
     * The name of the server's default room. Its lines carry no room name, so the client cannot
     * read it off the wire; it takes the protocol's default.
     */
    public static final String DEFAULT_ROOM = RoomNames.DEFAULT_ROOM;

    /** How many live lines back a replayed history line is looked for, so a rejoin does not show it twice. */
    private static final int HISTORY_OVERLAP = 500;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_HISTORY = 10_000;

    private final ModelListener listener;
    /** Which TLS servers to trust; the prompt is asked only when the user connects, never on a reconnection. */
    private final ServerTrust trust;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("chat-model").daemon().factory());

    // Everything below is touched only on the chat-model thread.
    private final Map<String, Conversation> conversations = new LinkedHashMap<>();
    private final Backoff backoff = new Backoff();
    private Session current;
    private String host;
    private int port;
    private boolean tls;
    /** The server's password as the user gave it, for reconnecting; null when none was given. Never shown or logged. */
    private String password;
    /** The name the server accepted last; null until the first registration. */
    private String name;
    private Pattern mentionPattern;
    private boolean quitting;
    private boolean everWelcomed;
    private ScheduledFuture<?> countdown;
    private long secondsLeft;
    private String selected = ROOM;
    private String lastSentFrom = ROOM;
    private boolean focused = true;
    private int attention;
    /** Rooms joined again after a reconnection, whose tabs should not jump to the front. */
    private final Set<String> rejoining = new HashSet<>();
    /** Whether a line sent since registration may have moved the server's current room off the default room. */
    private boolean mayHaveSwitched;
    /** How many {@code /rooms} answers were asked for by {@link #requestRoomList()}, to be listed quietly. */
    private int quietRoomLists;
    /** The {@code /rooms} answer being read, or null. */
    private RoomListing listing;

    /**
     * A model that trusts TLS servers the JDK's authorities vouch for or that are in the user's
     * own known-servers file, and asks nobody about new ones.
     */
    public ChatModel(ModelListener listener) {
        this(listener, KnownServers.inHome(Path.of(System.getProperty("user.home"))), TrustPrompt.REFUSE);
    }

    /**
     * @param knownServers where accepted server fingerprints are kept
     * @param trustPrompt  asked, on the model thread, about a TLS server seen for the first time
     */
    public ChatModel(ModelListener listener, KnownServers knownServers, TrustPrompt trustPrompt) {
        this.listener = listener;
        this.trust = ServerTrust.withSystemAuthorities(knownServers, trustPrompt);
        conversations.put(ROOM, new Conversation(null, null));
    }

    /** The conversation key of {@code room}, e.g. {@code #dev}; never equal to a name key or {@link #ROOM}. */
    public static String roomKey(String room) {
        return RoomNames.key(room);
    }

    /**
     * Connects to {@code host:port} and registers {@code proposedName}; the answer comes as
     * {@link ModelListener#connectFinished}. After a refused name the connection stays open
     * and the next call with the same host and port only sends the new name.
     */
    public void connect(String host, int port, String proposedName) {
        connect(host, port, false, null, proposedName);
    }

    /**
     * Connects to {@code host:port}, with TLS if {@code tls}, gives the server {@code password}
     * if it asks for one, and registers {@code proposedName}; the answer comes as
     * {@link ModelListener#connectFinished}. The password is kept in memory for reconnecting.
     *
     * @param password the server's password, or null or empty when none was given
     */
    public void connect(String host, int port, boolean tls, String password, String proposedName) {
        post(() -> connectNow(host, port, tls, password == null || password.isEmpty() ? null : password,
                proposedName));
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
        post(() -> {
            String wanted = room.strip().startsWith("#") ? room.strip() : "#" + room.strip();
            if (!RoomNames.isValid(wanted)) {
                addLocal(selected, "\u201c" + room.strip() + "\u201d is not a room name: " + RoomNames.explanation() + ".");
                return;
            }
            Conversation c = conversations.get(roomKey(wanted));
            if (c != null && c.joined) {
                listener.roomOpened(roomKey(wanted), c.room, true);
                return;
            }
            if (current == null || !current.registered) {
                addLocal(selected, "Not connected: cannot join " + wanted + " now.");
                return;
            }
            try {
                current.client.send("/" + Command.JOIN.word() + " " + wanted);
                lastSentFrom = selected;
                mayHaveSwitched = true;
            } catch (IOException e) {
                addLocal(selected, "The connection is gone: cannot join " + wanted + " now.");
            }
        });
    }

    /** Leaves the room of {@code conversation}: its view goes at once, and the server is told when connected. */
    public void leaveRoom(String conversation) {
        post(() -> {
            Conversation c = conversations.get(conversation);
            if (c == null || c.room == null || conversation.equals(ROOM)) {
                return;
            }
            boolean wasIn = c.joined;
            c.wanted = false;
            c.joined = false;
            c.parting = wasIn;
            c.members.clear();
            listener.roomClosed(conversation);
            if (wasIn && current != null && current.registered) {
                try {
                    current.client.send("/" + Command.PART.word() + " " + c.room);
                    mayHaveSwitched = true;
                } catch (IOException e) {
                    // Gone already: the server has forgotten the membership with the connection.
                }
            }
        });
    }

    /** Asks the server for its rooms; the answer comes as {@link ModelListener#roomsListed}, not as lines. */
    public void requestRoomList() {
        post(() -> {
            if (current == null || !current.registered) {
                listener.roomsListed(List.of());
                return;
            }
            try {
                current.client.send("/" + Command.ROOMS.word());
                quietRoomLists++;
            } catch (IOException e) {
                listener.roomsListed(List.of());
            }
        });
    }

    /** Creates the private conversation with {@code peer} if needed and asks the view to show it. */
    public void openConversation(String peer) {
        post(() -> {
            if (name != null && NameRules.key(peer).equals(NameRules.key(name))) {
                return;
            }
            String key = conversationWith(peer);
            listener.conversationOpened(key, peer, true);
        });
    }

    /** The user now sees {@code conversation}; its unread count goes back to 0. */
    public void select(String conversation) {
        post(() -> {
            selected = conversation;
            Conversation c = conversations.get(conversation);
            if (c != null && c.unread > 0) {
                c.unread = 0;
                listener.unreadChanged(conversation, 0);
            }
        });
    }

    /** Whether the window has the focus; while it has not, private messages and mentions are counted. */
    public void setFocused(boolean hasFocus) {
        post(() -> {
            focused = hasFocus;
            if (hasFocus && attention > 0) {
                attention = 0;
                listener.attentionChanged(0, null);
            }
        });
    }

    /** Skips the wait before the next reconnection attempt. */
    public void reconnectNow() {
        post(this::reconnect);
    }

    /**
     * Sends {@code /quit}, waits up to two seconds for the server to close the connection, and
     * then reports {@link ModelListener#quitFinished()}; the model takes no more work afterwards.
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
    public List<Entry> history(String conversation, Duration timeout)
            throws InterruptedException, TimeoutException {
        try {
            return thread.submit(() -> {
                Conversation c = conversations.get(conversation);
                return c == null ? List.<Entry>of() : List.copyOf(c.entries);
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the history failed", e.getCause());
        }
    }

    /**
     * Who is in the room of {@code conversation}, sorted ignoring case; empty for other
     * conversations. Blocks the calling thread until the model thread answers, at most {@code timeout}.
     *
     * @throws TimeoutException when the model thread does not answer in time
     */
    public List<String> members(String conversation, Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return thread.submit(() -> {
                if (conversation.equals(ROOM)) {
                    return current == null ? List.<String>of() : current.client.online();
                }
                Conversation c = conversations.get(conversation);
                return c == null ? List.<String>of() : c.members.names();
            }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("reading the members failed", e.getCause());
        }
    }

    /** Drops the connection without saying goodbye and stops the model thread. */
    @Override
    public void close() {
        Session session = current;
        thread.shutdownNow();
        if (session != null) {
            session.client.close();
        }
    }

    // ---- on the chat-model thread ----

    private void connectNow(String toHost, int toPort, boolean toTls, String toPassword, String proposed) {
        cancelCountdown();
        quitting = false;
        listener.stateChanged(new ConnectionState.Connecting(toHost, toPort));
        ConnectOutcome outcome = attempt(toHost, toPort, toTls, toPassword, proposed, trust);
        if (!(outcome instanceof ConnectOutcome.Connected)) {
            listener.stateChanged(new ConnectionState.Disconnected());
        }
        listener.connectFinished(outcome);
    }

    /**
     * Connects (or reuses a connection still waiting for a name), gives the password when
     * asked, and registers; announces success. Blocks the model thread, with TLS also for as
     * long as {@code withTrust}'s prompt waits for the user.
     */
    private ConnectOutcome attempt(String toHost, int toPort, boolean toTls, String toPassword, String proposed,
            ServerTrust withTrust) {
        Session session = current;
        boolean reuse = session != null && session.client.isConnected() && session.client.name() == null
                && toHost.equals(host) && toPort == port && toTls == tls;
        if (!reuse) {
            closeCurrent();
            session = new Session();
            current = session;
            host = toHost;
            port = toPort;
            tls = toTls;
            password = toPassword;
            Endpoint endpoint = toTls ? Endpoint.tls(toHost, toPort, withTrust) : Endpoint.plain(toHost, toPort);
            try {
                session.client.connect(endpoint, CONNECT_TIMEOUT);
            } catch (ConnectFailedException e) {
                current = null;
                return cannotConnect(e);
            }
            ConnectOutcome refused = authenticate(session, toPassword);
            if (refused != null) {
                return refused;
            }
        }
        Registration answer;
        try {
            answer = session.client.register(proposed, REGISTER_TIMEOUT);
        } catch (IOException e) {
            closeCurrent();
            return new ConnectOutcome.Unreachable("The server at " + toHost + ":" + toPort
                    + " did not answer. Please try again later.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeCurrent();
            return new ConnectOutcome.Unreachable("Connecting was interrupted.");
        }
        return switch (answer) {
            case Registration.Accepted accepted -> {
                registered(accepted.name());
                yield new ConnectOutcome.Connected(toHost, toPort, toTls, accepted.name());
            }
            case Registration.Refused refused when refused.code() == ErrorCode.NAME_TAKEN ->
                    new ConnectOutcome.NameRefused(ConnectOutcome.Reason.TAKEN,
                            "The name \u201c" + proposed + "\u201d is already taken. Please choose another one.");
            case Registration.Refused refused ->
                    new ConnectOutcome.NameRefused(ConnectOutcome.Reason.INVALID,
                            "The server does not accept the name \u201c" + proposed + "\u201d: "
                                    + Text.stripControls(refused.message()));
            case Registration.Lost lost -> {
                closeCurrent();
                yield new ConnectOutcome.Unreachable("The server at " + toHost + ":" + toPort
                        + " closed the connection before accepting the name.");
            }
        };
    }

    /** Why no connection was made, in words for the user; at length when the certificate has changed. */
    private ConnectOutcome cannotConnect(ConnectFailedException e) {
        String where = e.host() + ":" + e.port();
        String shown = e.presentedFingerprint().orElse("?");
        return switch (e.reason()) {
            case CERTIFICATE_CHANGED -> {
                String line = KnownServers.key(e.host(), e.port()) + " " + e.knownFingerprint().orElse("?");
                yield new ConnectOutcome.Untrusted(e.reason(), "Not connected: the certificate of the server "
                        + where + " has changed since you trusted it.\n"
                        + "Trusted before: " + e.knownFingerprint().orElse("?") + "\n"
                        + "Shown now: " + shown + "\n"
                        + "Someone may be listening in on the connection, or the server's admin may have made a new "
                        + "certificate. Nothing was sent: no name, no password. Ask the admin for the server's "
                        + "fingerprint. Only if it is the one shown now, remove the line \u201c" + line
                        + "\u201d from " + trust.knownServers().file() + " and connect again.");
            }
            case NOT_TRUSTED -> new ConnectOutcome.Untrusted(e.reason(), "Not connected: the certificate of "
                    + where + " (SHA-256 " + shown + ") is not trusted. Nothing was sent.");
            case KNOWN_SERVERS -> new ConnectOutcome.Untrusted(e.reason(), e.getMessage() + ".");
            default -> new ConnectOutcome.Unreachable(e.getMessage() + ".");
        };
    }

    /**
     * Gives the server {@code given} when it asks for its password; null when it now asks for a
     * name, else why not. Blocks the model thread while the server answers, which it does to a
     * wrong password only after a delay.
     */
    private ConnectOutcome authenticate(Session session, String given) {
        String where = host + ":" + port;
        try {
            if (session.client.awaitPrompt(REGISTER_TIMEOUT) == ServerPrompt.NAME) {
                return null;
            }
            if (given == null) {
                closeCurrent();
                return new ConnectOutcome.PasswordRefused("The server at " + where
                        + " needs a password. Please enter it.");
            }
            return switch (session.client.authenticate(given, ChatClient.PASSWORD_TIMEOUT)) {
                case Authentication.Accepted accepted -> null;
                case Authentication.NotNeeded notNeeded -> null;
                case Authentication.Wrong wrong -> {
                    closeCurrent();
                    yield new ConnectOutcome.PasswordRefused("The server at " + where
                            + " refused the password. Please check it and try again.");
                }
                case Authentication.Lost lost -> {
                    closeCurrent();
                    yield new ConnectOutcome.Unreachable("The server at " + where
                            + " closed the connection before accepting the password.");
                }
            };
        } catch (IOException e) {
            closeCurrent();
            return new ConnectOutcome.Unreachable("The server at " + where + " did not answer. Please try again later.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeCurrent();
            return new ConnectOutcome.Unreachable("Connecting was interrupted.");
        }
    }

    private void registered(String acceptedName) {
        registeredName(acceptedName);
        backoff.reset();
        current.registered = true;
        mayHaveSwitched = false;
        quietRoomLists = 0;
        listing = null;
        listener.stateChanged(new ConnectionState.Connected(host, port, acceptedName));
    }

    /** Takes {@code newName} as the user's name: for reconnecting and for noticing mentions. */
    private void registeredName(String newName) {
        name = newName;
        mentionPattern = Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(newName) + "(?![A-Za-z0-9_-])",
                Pattern.CASE_INSENSITIVE);
    }

    /** After a reconnection the server has the user in the default room only: joins the rooms whose tabs are open. */
    private void rejoinRooms() {
        for (Map.Entry<String, Conversation> e : conversations.entrySet()) {
            Conversation c = e.getValue();
            if (c.room != null && c.wanted && !e.getKey().equals(ROOM)) {
                rejoining.add(e.getKey());
                try {
                    current.client.send("/" + Command.JOIN.word() + " " + c.room);
                    mayHaveSwitched = true;
                } catch (IOException ex) {
                    // The connection broke again; the next reconnection tries again.
                    return;
                }
            }
        }
    }

    private void sendNow(String conversation, String typed) {
        if (quitting || typed.isBlank()) {
            return;
        }
        ClientLine parsed = ClientLine.parse(typed);
        if (parsed instanceof ClientLine.Invocation invocation
                && Command.byWord(invocation.word()).orElse(null) == Command.QUIT) {
            quitNow();
            return;
        }
        Conversation target = conversations.get(conversation);
        String line = typed;
        if (target != null && target.peer != null && parsed instanceof ClientLine.Say say) {
            line = "/" + Command.MSG.word() + " " + target.peer + " " + say.text();
        } else if (target != null && target.room != null && !conversation.equals(ROOM)) {
            if (!target.joined) {
                addLocal(conversation, "You are not in " + target.room + " (yet): \u201c" + typed + "\u201d was not sent.");
                return;
            }
            // Every line of a room tab names its room, so the server's current room never matters.
            line = "/" + Command.IN.word() + " " + target.room + " " + typed;
        } else if (conversation.equals(ROOM) && mayHaveSwitched) {
            line = "/" + Command.IN.word() + " " + DEFAULT_ROOM + " " + typed;
        }
        if (current == null || !current.registered) {
            addLocal(conversation, "Not connected: \u201c" + typed + "\u201d was not sent.");
            return;
        }
        try {
            current.client.send(line);
            lastSentFrom = conversation;
            if (parsed instanceof ClientLine.Invocation invocation && movesRoom(invocation.word())) {
                mayHaveSwitched = true;
            }
        } catch (IOException e) {
            addLocal(conversation, "The connection is gone: \u201c" + typed + "\u201d was not sent.");
        }
    }

    private static boolean movesRoom(String word) {
        Command command = Command.byWord(word).orElse(null);
        return command == Command.JOIN || command == Command.PART || command == Command.IN;
    }

    private void lineArrived(Session session, ServerLine line) {
        if (session != current) {
            return;
        }
        LocalTime time = line.time() != null ? line.time() : now();
        switch (line) {
            case ServerLine.InRoom inRoom -> roomLine(inRoom.room(), inRoom.line(), time);
            case ServerLine.History history -> historyLine(history);
            case ServerLine.PrivateMessage pm -> add(conversationWith(pm.from()),
                    new Entry(time, Entry.Kind.PRIVATE_IN, clean(pm.from()), clean(pm.text()), false));
            case ServerLine.PrivateSent sent -> add(conversationWith(sent.to()),
                    new Entry(time, Entry.Kind.PRIVATE_OUT, name, clean(sent.text()), false));
            case ServerLine.NamePrompt prompt -> {
                // The client answers the prompt itself.
            }
            case ServerLine.Error error -> {
                // Before the welcome, errors answer a proposed name: the connect request reports those.
                if (session.welcomed) {
                    add(lastSentFrom, new Entry(time, Entry.Kind.ERROR, null, clean(error.text()), false));
                }
            }
            case ServerLine.Info info -> {
                // A reconnection greets again; the history already has the greeting.
                if (session.welcomed) {
                    add(lastSentFrom, new Entry(time, Entry.Kind.INFO, null, clean(info.text()), false));
                } else if (!everWelcomed) {
                    add(ROOM, new Entry(time, Entry.Kind.INFO, null, clean(info.text()), false));
                }
            }
            case ServerLine.Welcome welcome -> {
                session.welcomed = true;
                everWelcomed = true;
                add(ROOM, system(time, line));
            }
            case ServerLine.Joined joined -> {
                add(ROOM, system(time, line));
                alsoInPrivate(joined.name(), system(time, line));
            }
            case ServerLine.Left left -> {
                add(ROOM, system(time, line));
                alsoInPrivate(left.name(), system(time, line));
            }
            case ServerLine.NickChanged nick -> renamed(nick, time);
            case ServerLine.Away away -> {
                String key = NameRules.key(away.name());
                add(conversations.containsKey(key) ? key : lastSentFrom, system(time, line));
            }
            case ServerLine.RoomList list -> startListing(list, time);
            case ServerLine.RoomEntry entry -> listed(entry, time);
            case ServerLine.Unknown unknown -> add(ROOM, new Entry(time, Entry.Kind.INFO, null, clean(unknown.raw()), false));
            default -> roomLine(null, line, time);
        }
    }

    /**
     * A line of a room: {@code room} is null for the default room. Lines of a room the user is
     * not in (answers to {@code /who #room} or {@code /topic #room}) go where the user asked.
     */
    private void roomLine(String room, ServerLine line, LocalTime time) {
        String key = room == null ? ROOM : roomKey(room);
        if (room != null && line instanceof ServerLine.Joined joined && isMe(joined.name())) {
            enteredRoom(room);
        }
        Conversation c = conversations.get(key);
        if (room != null && c != null && c.parting) {
            // Said before the server took the part: it belongs to the room, whose tab is gone.
            c.parting = !(line instanceof ServerLine.Left left && isMe(left.name()));
            add(key, system(time, line));
            return;
        }
        if (room != null && (c == null || !c.joined)) {
            add(lastSentFrom, new Entry(time, Entry.Kind.SYSTEM, null, room + ": " + clean(text(line)), false));
            return;
        }
        if (room != null && c.members.apply(line)) {
            listener.usersChanged(key, c.members.names());
        }
        switch (line) {
            case ServerLine.Chat chat -> {
                String from = clean(chat.from());
                String text = clean(chat.text());
                add(key, new Entry(time, Entry.Kind.CHAT, from, text, mentions(from, text)));
            }
            case ServerLine.Action action -> {
                String from = clean(action.name());
                String text = clean(action.text());
                add(key, new Entry(time, Entry.Kind.ACTION, from, text, mentions(from, text)));
            }
            case ServerLine.Topic topic -> {
                c.topic = clean(topic.text());
                listener.topicChanged(key, c.topic);
                add(key, system(time, line));
            }
            case ServerLine.TopicChanged changed -> {
                c.topic = clean(changed.text());
                listener.topicChanged(key, c.topic);
                add(key, system(time, line));
            }
            case ServerLine.Left left when room != null && isMe(left.name()) -> {
                add(key, system(time, line));
                c.joined = false;
                c.wanted = false;
                c.members.clear();
                listener.usersChanged(key, List.of());
                listener.roomClosed(key);
            }
            default -> add(key, system(time, line));
        }
    }

    /** The user is in {@code room} now: its conversation is made or brought back, with nobody in it yet. */
    private void enteredRoom(String room) {
        String key = roomKey(room);
        Conversation c = conversations.get(key);
        if (c == null) {
            c = new Conversation(null, room);
            conversations.put(key, c);
        }
        c.room = room;
        c.joined = true;
        c.wanted = true;
        c.members.clear();
        listener.roomOpened(key, room, !rejoining.remove(key));
    }

    /** A line said before the user came: shown marked with its date, unless the conversation already shows it live. */
    private void historyLine(ServerLine.History history) {
        ServerLine said = history.line();
        String key = ROOM;
        if (said instanceof ServerLine.InRoom inRoom) {
            key = roomKey(inRoom.room());
            said = inRoom.line();
        }
        Entry entry = switch (said) {
            case ServerLine.Chat chat -> new Entry(history.time(), Entry.Kind.CHAT, clean(chat.from()),
                    clean(chat.text()), false, history.when().toLocalDate());
            case ServerLine.Action action -> new Entry(history.time(), Entry.Kind.ACTION, clean(action.name()),
                    clean(action.text()), false, history.when().toLocalDate());
            default -> null;
        };
        Conversation c = conversations.get(key);
        if (entry == null || c == null || alreadyShown(c, entry)) {
            return;
        }
        add(key, entry);
    }

    /** Whether {@code c} holds {@code replayed}, live or replayed before, among its recent lines. */
    private static boolean alreadyShown(Conversation c, Entry replayed) {
        for (int i = c.entries.size() - 1, seen = 0; i >= 0 && seen < HISTORY_OVERLAP; i--, seen++) {
            Entry e = c.entries.get(i);
            if (e.kind() == replayed.kind() && e.time().equals(replayed.time())
                    && java.util.Objects.equals(e.from(), replayed.from()) && e.text().equals(replayed.text())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Someone took a new name: every room they are in and the private conversation with them
     * follow, and each of those shows it once. The user's own new name is the one used from now on.
     */
    private void renamed(ServerLine.NickChanged nick, LocalTime time) {
        Entry entry = system(time, nick);
        boolean shown = false;
        if (current != null && current.client.online().stream()
                .anyMatch(n -> NameRules.key(n).equals(NameRules.key(nick.to())))) {
            add(ROOM, entry);
            shown = true;
        }
        for (Map.Entry<String, Conversation> e : List.copyOf(conversations.entrySet())) {
            Conversation c = e.getValue();
            if (c.room != null && c.joined && c.members.apply(nick)) {
                listener.usersChanged(e.getKey(), c.members.names());
                add(e.getKey(), entry);
                shown = true;
            }
        }
        String oldKey = NameRules.key(nick.from());
        String newKey = NameRules.key(nick.to());
        Conversation peer = conversations.get(oldKey);
        if (peer != null && peer.peer != null && (oldKey.equals(newKey) || !conversations.containsKey(newKey))) {
            conversations.remove(oldKey);
            peer.peer = nick.to();
            conversations.put(newKey, peer);
            selected = selected.equals(oldKey) ? newKey : selected;
            lastSentFrom = lastSentFrom.equals(oldKey) ? newKey : lastSentFrom;
            listener.conversationRenamed(oldKey, newKey, nick.to());
            add(newKey, entry);
        }
        if (isMe(nick.from())) {
            registeredName(nick.to());
            listener.stateChanged(new ConnectionState.Connected(host, port, nick.to()));
            if (!shown) {
                add(ROOM, entry);
            }
        }
    }

    private void startListing(ServerLine.RoomList list, LocalTime time) {
        boolean quiet = quietRoomLists > 0;
        if (quiet) {
            quietRoomLists--;
        } else {
            add(lastSentFrom, system(time, list));
        }
        listing = new RoomListing(list.count(), quiet);
        if (list.count() == 0) {
            finishListing();
        }
    }

    private void listed(ServerLine.RoomEntry entry, LocalTime time) {
        if (listing == null || !listing.quiet) {
            add(lastSentFrom, system(time, entry));
        }
        if (listing != null) {
            listing.rooms.add(new RoomInfo(entry.room(), entry.members(), clean(entry.topic())));
            if (listing.rooms.size() >= listing.expected) {
                finishListing();
            }
        }
    }

    private void finishListing() {
        listener.roomsListed(List.copyOf(listing.rooms));
        listing = null;
    }

    /** A join or leave in the default room shows in the private conversation with that user too, if any. */
    private void alsoInPrivate(String user, Entry entry) {
        String key = NameRules.key(user);
        Conversation c = conversations.get(key);
        if (c != null && c.peer != null) {
            add(key, entry);
        }
    }

    private boolean mentions(String from, String text) {
        return !isMe(from) && mentionPattern != null && mentionPattern.matcher(text).find();
    }

    private static Entry system(LocalTime time, ServerLine line) {
        return new Entry(time, Entry.Kind.SYSTEM, null, clean(text(line)), false);
    }

    /** A line's body without its marker ({@code *** }, {@code --- }, {@code !!! }). */
    private static String text(ServerLine line) {
        String body = line.body();
        return body.startsWith("*** ") || body.startsWith("--- ") || body.startsWith("!!! ") ? body.substring(4) : body;
    }

    private void disconnected(Session session) {
        if (session != current) {
            return;
        }
        current = null;
        rejoining.clear();
        listener.usersChanged(ROOM, List.of());
        for (Map.Entry<String, Conversation> e : conversations.entrySet()) {
            Conversation c = e.getValue();
            if (c.room != null && !e.getKey().equals(ROOM)) {
                c.joined = false;
                c.parting = false;
                c.members.clear();
                listener.usersChanged(e.getKey(), List.of());
            }
        }
        if (quitting) {
            return;
        }
        if (!session.registered) {
            // Still at the name stage: the connect request reports it.
            return;
        }
        addLocal(ROOM, "Connection to " + host + ":" + port + " lost.");
        scheduleReconnect();
    }

    private void scheduleReconnect() {
        cancelCountdown();
        secondsLeft = Math.max(1, backoff.next().toSeconds());
        listener.stateChanged(new ConnectionState.Reconnecting(host, port, secondsLeft));
        countdown = thread.scheduleAtFixedRate(this::countDown, 1, 1, TimeUnit.SECONDS);
    }

    private void countDown() {
        secondsLeft--;
        if (secondsLeft <= 0) {
            reconnect();
        } else {
            listener.stateChanged(new ConnectionState.Reconnecting(host, port, secondsLeft));
        }
    }

    private void reconnect() {
        cancelCountdown();
        if (name == null || quitting || current != null) {
            return;
        }
        listener.stateChanged(new ConnectionState.Connecting(host, port));
        // Nobody is asked about a certificate now: a server trusted before is known, any other is refused.
        switch (attempt(host, port, tls, password, name, trust.withPrompt(TrustPrompt.REFUSE))) {
            case ConnectOutcome.Connected connected -> {
                addLocal(ROOM, "Reconnected to " + host + ":" + port + ".");
                rejoinRooms();
            }
            case ConnectOutcome.NameRefused refused when refused.reason() == ConnectOutcome.Reason.INVALID -> {
                closeCurrent();
                addLocal(ROOM, refused.message());
                listener.stateChanged(new ConnectionState.Disconnected());
            }
            case ConnectOutcome.NameRefused refused -> {
                // The server may not have noticed yet that the old connection is gone.
                closeCurrent();
                scheduleReconnect();
            }
            case ConnectOutcome.Unreachable unreachable -> scheduleReconnect();
            case ConnectOutcome.PasswordRefused refused -> {
                // Trying the same password again cannot help.
                addLocal(ROOM, refused.message());
                listener.stateChanged(new ConnectionState.Disconnected());
            }
            case ConnectOutcome.Untrusted untrusted -> {
                // Never retried quietly: a changed certificate needs the user to look into it.
                addLocal(ROOM, untrusted.message());
                listener.stateChanged(new ConnectionState.Disconnected());
            }
        }
    }

    private void quitNow() {
        if (quitting) {
            return;
        }
        quitting = true;
        cancelCountdown();
        Session session = current;
        current = null;
        if (session != null) {
            try {
                session.client.quit(QUIT_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                session.client.close();
            }
        }
        listener.stateChanged(new ConnectionState.Disconnected());
        listener.quitFinished();
        thread.shutdown();
    }

    private void closeCurrent() {
        Session session = current;
        current = null;
        if (session != null) {
            session.client.close();
        }
    }

    private void cancelCountdown() {
        if (countdown != null) {
            countdown.cancel(false);
            countdown = null;
        }
    }

    /** The key of the conversation with {@code peer}, creating it (and announcing it) when new. */
    private String conversationWith(String peer) {
        String key = NameRules.key(peer);
        if (!conversations.containsKey(key)) {
            conversations.put(key, new Conversation(peer, null));
            listener.conversationOpened(key, peer, false);
        }
        return key;
    }

    private void addLocal(String conversation, String text) {
        add(conversation, new Entry(now(), Entry.Kind.LOCAL, null, text, false));
    }

    private void add(String key, Entry entry) {
        Conversation conversation = conversations.get(key);
        if (conversation == null) {
            conversation = conversations.get(ROOM);
            key = ROOM;
        }
        if (conversation.entries.size() == MAX_HISTORY) {
            conversation.entries.removeFirst();
        }
        conversation.entries.add(entry);
        listener.entryAdded(key, entry);
        boolean fromOther = entry.from() != null && !isMe(entry.from());
        boolean message = entry.kind() == Entry.Kind.CHAT || entry.kind() == Entry.Kind.ACTION
                || entry.kind() == Entry.Kind.PRIVATE_IN;
        if (message && fromOther && !entry.isHistory() && !key.equals(selected)) {
            conversation.unread++;
            listener.unreadChanged(key, conversation.unread);
        }
        if (!focused && fromOther && (entry.kind() == Entry.Kind.PRIVATE_IN || entry.mention())) {
            attention++;
            listener.attentionChanged(attention, entry);
        }
    }

    private boolean isMe(String user) {
        return name != null && NameRules.key(user).equals(NameRules.key(name));
    }

    private static String clean(String text) {
        return Text.stripControls(text);
    }

    private static LocalTime now() {
        return LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Queues work for the model thread; after quit or close there is nobody to do it, and that is fine. */
    private void post(Runnable work) {
        try {
            thread.execute(work);
        } catch (RejectedExecutionException e) {
            // The model has stopped; late network events and clicks have nothing left to change.
        }
    }

    /** One conversation's lines and unread count; for a room also who is in it and its topic. */
    private static final class Conversation {
        /** The peer's name as it is now, or null for a room. */
        String peer;
        /** The room's name as the server spells it, or null: for the default room and private conversations. */
        String room;
        final List<Entry> entries = new ArrayList<>();
        /** Who is in the room; the default room's list is the client's own. */
        final OnlineUsers members = new OnlineUsers();
        String topic = "";
        /** Whether the server has the user in this room now. */
        boolean joined;
        /** Whether the user wants to be in the room: its tab is open, and a reconnection joins it again. */
        boolean wanted;
        /** Whether the user closed the room's tab and the server has not yet confirmed the part. */
        boolean parting;
        int unread;

        Conversation(String peer, String room) {
            this.peer = peer;
            this.room = room;
        }
    }

    /** A {@code /rooms} answer being read: how many entries are due, and whether to show them as lines. */
    private static final class RoomListing {
        final int expected;
        final boolean quiet;
        final List<RoomInfo> rooms = new ArrayList<>();

        RoomListing(int expected, boolean quiet) {
            this.expected = expected;
            this.quiet = quiet;
        }
    }

    /** One connection's client; its events count only while it is the current one. */
    private final class Session implements ChatClient.Listener {
        final ChatClient client = new ChatClient(this);
        /** Whether the server accepted a name on this connection. */
        boolean registered;
        /** Whether the model has taken in this connection's welcome line. */
        boolean welcomed;

        @Override
        public void onLine(ServerLine line) {
            post(() -> lineArrived(this, line));
        }

        @Override
        public void onOnlineChanged(List<String> names) {
            post(() -> {
                if (this == current) {
                    listener.usersChanged(ROOM, names);
                }
            });
        }

        @Override
        public void onDisconnected(boolean byUs) {
            post(() -> disconnected(this));
        }
    }
}
