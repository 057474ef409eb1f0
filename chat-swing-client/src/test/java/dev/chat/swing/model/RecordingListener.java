package dev.chat.swing.model;

import dev.chat.client.ConnectionState;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Keeps every model event, and sorts them by kind, for tests to wait on with Awaitility. */
final class RecordingListener implements Consumer<ModelEvent> {

    record Added(String conversation, Entry entry) {
    }

    record Opened(String conversation, String peer, boolean show) {
    }

    final List<ModelEvent> all = new CopyOnWriteArrayList<>();
    final List<Added> entries = new CopyOnWriteArrayList<>();
    final List<Opened> opened = new CopyOnWriteArrayList<>();
    final Map<String, Integer> unread = new ConcurrentHashMap<>();
    final List<List<String>> users = new CopyOnWriteArrayList<>();
    final Map<String, List<String>> members = new ConcurrentHashMap<>();
    final Map<String, ModelEvent.UsersChanged> usersChanged = new ConcurrentHashMap<>();
    final List<ModelEvent.NamesFound> found = new CopyOnWriteArrayList<>();
    final Map<String, String> topics = new ConcurrentHashMap<>();
    final List<Opened> rooms = new CopyOnWriteArrayList<>();
    final List<String> closedRooms = new CopyOnWriteArrayList<>();
    final List<String> renamed = new CopyOnWriteArrayList<>();
    final List<List<RoomInfo>> roomLists = new CopyOnWriteArrayList<>();
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<ConnectOutcome> outcomes = new CopyOnWriteArrayList<>();
    final List<ConnectOutcome> reconnectsStopped = new CopyOnWriteArrayList<>();
    final List<Integer> attention = new CopyOnWriteArrayList<>();
    final List<String> defaultRoomNames = new CopyOnWriteArrayList<>();
    final Map<String, dev.chat.client.Privacy> privacy = new ConcurrentHashMap<>();
    final List<ModelEvent.KeyChanged> keyChanges = new CopyOnWriteArrayList<>();
    final List<String> keysAccepted = new CopyOnWriteArrayList<>();
    final List<ModelEvent.VerificationReady> verifications = new CopyOnWriteArrayList<>();
    final List<ModelEvent.DirectOffered> directOffers = new CopyOnWriteArrayList<>();
    final List<ModelEvent.FileOffered> fileOffers = new CopyOnWriteArrayList<>();
    final List<ModelEvent.FileProgress> fileProgress = new CopyOnWriteArrayList<>();
    volatile boolean quitFinished;

    @Override
    public void accept(ModelEvent event) {
        all.add(event);
        switch (event) {
            case ModelEvent.EntryAdded added -> entries.add(new Added(added.conversation(), added.entry()));
            case ModelEvent.ConversationOpened o -> opened.add(new Opened(o.conversation(), o.peer(), o.show()));
            case ModelEvent.UnreadChanged changed -> unread.put(changed.conversation(), changed.unread());
            case ModelEvent.UsersChanged changed -> {
                if (changed.conversation().equals(ChatModel.ROOM)) {
                    users.add(changed.names());
                }
                members.put(changed.conversation(), changed.names());
                usersChanged.put(changed.conversation(), changed);
            }
            case ModelEvent.NamesFound names -> found.add(names);
            case ModelEvent.RoomOpened o -> rooms.add(new Opened(o.conversation(), o.room(), o.show()));
            case ModelEvent.RoomClosed closed -> closedRooms.add(closed.conversation());
            case ModelEvent.DefaultRoomNamed named -> defaultRoomNames.add(named.room());
            case ModelEvent.ConversationRenamed r -> renamed.add(r.oldKey() + "->" + r.newKey() + ":" + r.peer());
            case ModelEvent.TopicChanged changed -> topics.put(changed.conversation(), changed.topic());
            case ModelEvent.RoomsListed listed -> roomLists.add(listed.rooms());
            case ModelEvent.StateChanged changed -> states.add(changed.state());
            case ModelEvent.ConnectFinished finished -> outcomes.add(finished.outcome());
            case ModelEvent.ReconnectStopped stopped -> reconnectsStopped.add(stopped.outcome());
            case ModelEvent.AttentionChanged changed -> attention.add(changed.count());
            case ModelEvent.QuitFinished finished -> quitFinished = true;
            case ModelEvent.PrivacyChanged changed -> privacy.put(changed.conversation(), changed.privacy());
            case ModelEvent.KeyChanged changed -> keyChanges.add(changed);
            case ModelEvent.KeyAccepted accepted -> keysAccepted.add(accepted.conversation());
            case ModelEvent.VerificationReady ready -> verifications.add(ready);
            case ModelEvent.DirectOffered offered -> directOffers.add(offered);
            case ModelEvent.FileOffered offered -> fileOffers.add(offered);
            case ModelEvent.FileProgress progress -> fileProgress.add(progress);
        }
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

    /** Whether the last state is signed on as {@code name}. */
    boolean signedOnAs(String name) {
        return currentState() instanceof ConnectionState.SignedOn signedOn && signedOn.name().equals(name);
    }

    /** The entries added to {@code conversation}, in order. */
    List<Entry> in(String conversation) {
        return entries.stream().filter(a -> a.conversation().equals(conversation)).map(Added::entry).toList();
    }
}
