package dev.chat.swing.model;

import dev.chat.protocol.NameRules;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The conversations the window shows: the default room's, one per other room, one per private
 * peer, each with its lines and unread count; and how many messages want the user's attention
 * while the window is not focused. Not thread-safe: the model touches it on its own thread.
 */
final class Conversations {

    /** The most lines a conversation keeps; the oldest go first. */
    private static final int MAX_LINES = 10_000;
    /** How many lines back a replayed history line is looked for, so that a rejoin does not show it twice. */
    private static final int HISTORY_OVERLAP = 500;

    /** One conversation's lines and unread count; for a room also whether the user is in it and its topic. */
    static final class Conversation {
        /** The peer's name as it is now, or null for a room. */
        String peer;
        /** The room's name as the server spells it; null for private conversations and the default room. */
        final String room;
        final List<Entry> entries = new ArrayList<>();
        /** Who is in the room, as last told; empty for a large room. */
        List<String> members = List.of();
        /** How many are in the room, as last told. */
        int total;
        /** Whether the server has the user in this room now. */
        boolean joined;
        /** Whether the user closed the room's view and the server has not yet confirmed the part. */
        boolean parting;
        /** How the last private message with the peer travelled; null before any. */
        dev.chat.client.Privacy privacy;
        int unread;

        private Conversation(String peer, String room) {
            this.peer = peer;
            this.room = room;
        }

        boolean isPrivate() {
            return peer != null;
        }
    }

    private final Consumer<ModelEvent> events;
    private final Map<String, Conversation> byKey = new LinkedHashMap<>();
    /** The user's name, whose own lines are never unread or a mention. */
    private String me;
    private String selected = ChatModel.ROOM;
    private boolean focused = true;
    private int attention;

    Conversations(Consumer<ModelEvent> events) {
        this.events = events;
        byKey.put(ChatModel.ROOM, new Conversation(null, null));
    }

    void setMe(String name) {
        me = name;
    }

    boolean isMe(String name) {
        return me != null && NameRules.key(name).equals(NameRules.key(me));
    }

    String me() {
        return me;
    }

    /** The conversation under {@code key}, or null. */
    Conversation get(String key) {
        return byKey.get(key);
    }

    /** Every conversation with its key, in the order made; a copy, safe to change the conversations while walking it. */
    List<Map.Entry<String, Conversation>> all() {
        return List.copyOf(byKey.entrySet());
    }

    /** The conversation of {@code room} under {@code key}, made when new. */
    Conversation room(String key, String room) {
        return byKey.computeIfAbsent(key, k -> new Conversation(null, room));
    }

    /** The key of the private conversation with {@code peer}, made (and told) when new. */
    String withPeer(String peer) {
        String key = NameRules.key(peer);
        if (!byKey.containsKey(key)) {
            byKey.put(key, new Conversation(peer, null));
            events.accept(new ModelEvent.ConversationOpened(key, peer, false));
        }
        return key;
    }

    /**
     * Moves the private conversation with a peer who took a new name, unless one with the new
     * name exists. Returns whether it moved.
     */
    boolean peerRenamed(String from, String to) {
        String oldKey = NameRules.key(from);
        String newKey = NameRules.key(to);
        Conversation peer = byKey.get(oldKey);
        if (peer == null || !peer.isPrivate() || (!oldKey.equals(newKey) && byKey.containsKey(newKey))) {
            return false;
        }
        byKey.remove(oldKey);
        peer.peer = to;
        byKey.put(newKey, peer);
        selected = selected.equals(oldKey) ? newKey : selected;
        events.accept(new ModelEvent.ConversationRenamed(oldKey, newKey, to));
        return true;
    }

    /** Adds a notice of the client's own, with the local time. */
    void addLocal(String key, String text) {
        add(key, new Entry(LocalTime.now().truncatedTo(ChronoUnit.SECONDS), Entry.Kind.LOCAL, null, text, false));
    }

    /**
     * Adds {@code entry} to the conversation under {@code key} (the default room's when there is
     * none), counting it unread when the user is not looking at it and as wanting attention when
     * the window is not focused.
     */
    void add(String key, Entry entry) {
        Conversation conversation = byKey.get(key);
        if (conversation == null) {
            key = ChatModel.ROOM;
            conversation = byKey.get(key);
        }
        if (conversation.entries.size() == MAX_LINES) {
            conversation.entries.removeFirst();
        }
        conversation.entries.add(entry);
        events.accept(new ModelEvent.EntryAdded(key, entry));
        boolean fromOther = entry.from() != null && !isMe(entry.from());
        boolean message = entry.kind() == Entry.Kind.CHAT || entry.kind() == Entry.Kind.ACTION
                || entry.kind() == Entry.Kind.PRIVATE_IN;
        if (message && fromOther && !entry.isHistory() && !key.equals(selected)) {
            conversation.unread++;
            events.accept(new ModelEvent.UnreadChanged(key, conversation.unread));
        }
        if (!focused && fromOther && (entry.kind() == Entry.Kind.PRIVATE_IN || entry.mention())) {
            attention++;
            events.accept(new ModelEvent.AttentionChanged(attention, entry));
        }
    }

    /** Whether the conversation under {@code key} holds {@code replayed}, live or replayed before, among its recent lines. */
    boolean alreadyShown(String key, Entry replayed) {
        Conversation c = byKey.get(key);
        for (int i = c.entries.size() - 1, seen = 0; i >= 0 && seen < HISTORY_OVERLAP; i--, seen++) {
            Entry e = c.entries.get(i);
            if (e.kind() == replayed.kind() && e.time().equals(replayed.time())
                    && Objects.equals(e.from(), replayed.from()) && e.text().equals(replayed.text())) {
                return true;
            }
        }
        return false;
    }

    /** The user now sees {@code key}; its unread count goes back to 0. */
    void select(String key) {
        selected = key;
        Conversation c = byKey.get(key);
        if (c != null && c.unread > 0) {
            c.unread = 0;
            events.accept(new ModelEvent.UnreadChanged(key, 0));
        }
    }

    String selected() {
        return selected;
    }

    /** Whether the window has the focus; gaining it clears the attention count. */
    void setFocused(boolean hasFocus) {
        focused = hasFocus;
        if (hasFocus && attention > 0) {
            attention = 0;
            events.accept(new ModelEvent.AttentionChanged(0, null));
        }
    }

    /** A copy of the lines of {@code key}, oldest first; empty for a conversation there is not. */
    List<Entry> lines(String key) {
        Conversation c = byKey.get(key);
        return c == null ? List.of() : List.copyOf(c.entries);
    }
}
