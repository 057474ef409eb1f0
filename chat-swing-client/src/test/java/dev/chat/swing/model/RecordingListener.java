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
    public void usersChanged(List<String> names) {
        users.add(names);
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
