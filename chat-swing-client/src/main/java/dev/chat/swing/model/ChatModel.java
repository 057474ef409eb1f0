package dev.chat.swing.model;

import dev.chat.client.Backoff;
import dev.chat.client.ChatClient;
import dev.chat.client.ConnectFailedException;
import dev.chat.client.Registration;
import dev.chat.protocol.ClientLine;
import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.Text;
import java.io.IOException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The desktop client's state without any user interface: the conversations (everyone and one
 * per private peer), who is online, the connection with its automatic reconnection, unread
 * counts and what wants the user's attention.
 *
 * <p>All state is confined to one thread named {@code chat-model}: public methods only queue
 * work for it and return at once, network events are queued the same way, and
 * {@link ModelListener} calls come from it in order.
 */
public final class ChatModel implements AutoCloseable {

    /** The key of the conversation with everyone; private conversations use the peer's name key. */
    public static final String ROOM = "";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_HISTORY = 10_000;

    private final ModelListener listener;
    private final ScheduledExecutorService thread =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("chat-model").daemon().factory());

    // Everything below is touched only on the chat-model thread.
    private final Map<String, Conversation> conversations = new LinkedHashMap<>();
    private final Backoff backoff = new Backoff();
    private Session current;
    private String host;
    private int port;
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

    public ChatModel(ModelListener listener) {
        this.listener = listener;
        conversations.put(ROOM, new Conversation(null));
    }

    /**
     * Connects to {@code host:port} and registers {@code proposedName}; the answer comes as
     * {@link ModelListener#connectFinished}. After a refused name the connection stays open
     * and the next call with the same host and port only sends the new name.
     */
    public void connect(String host, int port, String proposedName) {
        post(() -> connectNow(host, port, proposedName));
    }

    /**
     * Sends a line as the user typed it in {@code conversation}: text goes to everyone, or to the
     * peer in a private conversation; {@code /commands} go to the server, except {@code /quit},
     * which ends the session like {@link #quit()}.
     */
    public void send(String conversation, String typed) {
        post(() -> sendNow(conversation, typed));
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

    private void connectNow(String toHost, int toPort, String proposed) {
        cancelCountdown();
        quitting = false;
        listener.stateChanged(new ConnectionState.Connecting(toHost, toPort));
        ConnectOutcome outcome = attempt(toHost, toPort, proposed);
        if (!(outcome instanceof ConnectOutcome.Connected)) {
            listener.stateChanged(new ConnectionState.Disconnected());
        }
        listener.connectFinished(outcome);
    }

    /** Connects (or reuses a connection still waiting for a name) and registers; announces success. */
    private ConnectOutcome attempt(String toHost, int toPort, String proposed) {
        Session session = current;
        boolean reuse = session != null && session.client.isConnected() && session.client.name() == null
                && toHost.equals(host) && toPort == port;
        if (!reuse) {
            closeCurrent();
            session = new Session();
            current = session;
            host = toHost;
            port = toPort;
            try {
                session.client.connect(toHost, toPort, CONNECT_TIMEOUT);
            } catch (ConnectFailedException e) {
                current = null;
                return new ConnectOutcome.Unreachable(e.getMessage() + ".");
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
                yield new ConnectOutcome.Connected(toHost, toPort, accepted.name());
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

    private void registered(String acceptedName) {
        name = acceptedName;
        mentionPattern = Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(acceptedName) + "(?![A-Za-z0-9_-])",
                Pattern.CASE_INSENSITIVE);
        backoff.reset();
        current.registered = true;
        listener.stateChanged(new ConnectionState.Connected(host, port, acceptedName));
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
        }
        if (current == null || !current.registered) {
            addLocal(conversation, "Not connected: \u201c" + typed + "\u201d was not sent.");
            return;
        }
        try {
            current.client.send(line);
            lastSentFrom = conversation;
        } catch (IOException e) {
            addLocal(conversation, "The connection is gone: \u201c" + typed + "\u201d was not sent.");
        }
    }

    private void lineArrived(Session session, ServerLine line) {
        if (session != current) {
            return;
        }
        LocalTime time = line.time() != null ? line.time() : now();
        switch (line) {
            case ServerLine.Chat chat -> {
                String from = clean(chat.from());
                String text = clean(chat.text());
                boolean mention = !isMe(from) && mentionPattern != null && mentionPattern.matcher(text).find();
                add(ROOM, new Entry(time, Entry.Kind.CHAT, from, text, mention));
            }
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
                if (session.welcomed || !everWelcomed) {
                    add(ROOM, new Entry(time, Entry.Kind.INFO, null, clean(info.text()), false));
                }
            }
            case ServerLine.Welcome welcome -> {
                session.welcomed = true;
                everWelcomed = true;
                add(ROOM, new Entry(time, Entry.Kind.SYSTEM, null, clean(line.body().substring(4)), false));
            }
            case ServerLine.Joined joined -> systemAbout(joined.name(), time, line);
            case ServerLine.Left left -> systemAbout(left.name(), time, line);
            case ServerLine.Unknown unknown -> add(ROOM, new Entry(time, Entry.Kind.INFO, null, clean(unknown.raw()), false));
            default -> add(ROOM, new Entry(time, Entry.Kind.SYSTEM, null, clean(line.body().substring(4)), false));
        }
    }

    /** A join or leave goes to everyone's conversation and to the private one with that user, if any. */
    private void systemAbout(String user, LocalTime time, ServerLine line) {
        Entry entry = new Entry(time, Entry.Kind.SYSTEM, null, clean(line.body().substring(4)), false);
        add(ROOM, entry);
        String key = NameRules.key(user);
        if (conversations.containsKey(key)) {
            add(key, entry);
        }
    }

    private void disconnected(Session session) {
        if (session != current) {
            return;
        }
        current = null;
        listener.usersChanged(List.of());
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
        switch (attempt(host, port, name)) {
            case ConnectOutcome.Connected connected -> addLocal(ROOM, "Reconnected to " + host + ":" + port + ".");
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
            conversations.put(key, new Conversation(peer));
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
        boolean message = entry.kind() == Entry.Kind.CHAT || entry.kind() == Entry.Kind.PRIVATE_IN;
        if (message && fromOther && !key.equals(selected)) {
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

    /** One conversation's lines and unread count. */
    private static final class Conversation {
        /** The peer's name as first seen, or null for everyone's conversation. */
        final String peer;
        final List<Entry> entries = new ArrayList<>();
        int unread;

        Conversation(String peer) {
            this.peer = peer;
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
                    listener.usersChanged(names);
                }
            });
        }

        @Override
        public void onDisconnected(boolean byUs) {
            post(() -> disconnected(this));
        }
    }
}
