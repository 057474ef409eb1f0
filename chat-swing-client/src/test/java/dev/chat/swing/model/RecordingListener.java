package dev.chat.swing.model;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every model event, for tests to wait on with Awaitility. */
final class RecordingListener implements ModelListener {

    record Added(String conversation, Entry entry) {
    }

    record Opened(String conversation, String peer, boolean show) {
    }

    final List<Added> entries = new CopyOnWriteArrayList<>();
    final List<Opened> opened = new CopyOnWriteArrayList<>();
    final Map<String, Integer> unread = new ConcurrentHashMap<>();
    final List<List<String>> users = new CopyOnWriteArrayList<>();
    final Map<String, List<String>> members = new ConcurrentHashMap<>();
    final Map<String, String> topics = new ConcurrentHashMap<>();
    final List<Opened> rooms = new CopyOnWriteArrayList<>();
    final List<String> closedRooms = new CopyOnWriteArrayList<>();
    final List<String> renamed = new CopyOnWriteArrayList<>();
    final List<List<RoomInfo>> roomLists = new CopyOnWriteArrayList<>();
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<ConnectOutcome> outcomes = new CopyOnWriteArrayList<>();
    final List<Integer> attention = new CopyOnWriteArrayList<>();
    volatile boolean quitFinished;

    @Override
    public void entryAdded(String conversation, Entry entry) {
        entries.add(new Added(conversation, entry));
    }

    @Override
    public void conversationOpened(String conversation, String peer, boolean show) {
        opened.add(new Opened(conversation, peer, show));
    }

    @Override
    public void unreadChanged(String conversation, int count) {
        unread.put(conversation, count);
    }

    @Override
    public void usersChanged(String conversation, List<String> names) {
        if (conversation.equals(ChatModel.ROOM)) {
            users.add(names);
        }
        members.put(conversation, names);
    }

    @Override
    public void roomOpened(String conversation, String room, boolean show) {
        rooms.add(new Opened(conversation, room, show));
    }

    @Override
    public void roomClosed(String conversation) {
        closedRooms.add(conversation);
    }

    @Override
    public void conversationRenamed(String oldKey, String newKey, String peer) {
        renamed.add(oldKey + "->" + newKey + ":" + peer);
    }

    @Override
    public void topicChanged(String conversation, String topic) {
        topics.put(conversation, topic);
    }

    @Override
    public void roomsListed(List<RoomInfo> listed) {
        roomLists.add(listed);
    }

    @Override
    public void stateChanged(ConnectionState state) {
        states.add(state);
    }

    @Override
    public void connectFinished(ConnectOutcome outcome) {
        outcomes.add(outcome);
    }

    @Override
    public void attentionChanged(int count, Entry cause) {
        attention.add(count);
    }

    @Override
    public void quitFinished() {
        quitFinished = true;
    }

    /** Who is in the room of {@code conversation}, as last reported. */
    List<String> membersOf(String conversation) {
        return members.getOrDefault(conversation, List.of());
    }

    /** Who is in the default room, as last reported. */
    List<String> currentUsers() {
        return users.isEmpty() ? List.of() : users.getLast();
    }

    ConnectionState currentState() {
        return states.isEmpty() ? null : states.getLast();
    }

    /** The entries added to {@code conversation}, in order. */
    List<Entry> in(String conversation) {
        return entries.stream().filter(a -> a.conversation().equals(conversation)).map(Added::entry).toList();
    }
}
