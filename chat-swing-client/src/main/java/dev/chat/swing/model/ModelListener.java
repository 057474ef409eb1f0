package dev.chat.swing.model;

import java.util.List;

/**
 * What a {@link ChatModel} tells its view. Calls come on the model's own thread, in order;
 * every argument is an immutable value, so a view may keep it.
 *
 * <p>Conversations are named by keys: {@link ChatModel#ROOM} for the server's default room,
 * {@link ChatModel#roomKey(String)} for any other room, the peer's name key for a private one.
 */
public interface ModelListener {

    /** A line was added to a conversation. */
    default void entryAdded(String conversation, Entry entry) {
    }

    /**
     * A private conversation with {@code peer} exists now, or the user asked to see it;
     * {@code show} says whether the view should bring it to the front.
     */
    default void conversationOpened(String conversation, String peer, boolean show) {
    }

    /**
     * The user is in {@code room} now (joined, or joined again after a reconnection); its
     * conversation keeps the lines it had. {@code show} says whether to bring it to the front.
     */
    default void roomOpened(String conversation, String room, boolean show) {
    }

    /** The user left the room of {@code conversation}; its view should go. */
    default void roomClosed(String conversation) {
    }

    /**
     * A private peer took a new name: the conversation once under {@code oldKey} is under
     * {@code newKey} now (the same key when only the case changed).
     */
    default void conversationRenamed(String oldKey, String newKey, String peer) {
    }

    /** How many messages in a conversation have not been seen. */
    default void unreadChanged(String conversation, int unread) {
    }

    /** Who is in the room of {@code conversation}, sorted ignoring case. */
    default void usersChanged(String conversation, List<String> names) {
    }

    /** A room's topic, empty when it has none. */
    default void topicChanged(String conversation, String topic) {
    }

    /** The server listed its rooms, in its order. */
    default void roomsListed(List<RoomInfo> rooms) {
    }

    /** The connection state changed. */
    default void stateChanged(ConnectionState state) {
    }

    /** A connect request from the user ended. */
    default void connectFinished(ConnectOutcome outcome) {
    }

    /**
     * How many messages want the user's attention while the window is not focused;
     * {@code cause} is the message that raised the count, or null when it went back to 0.
     */
    default void attentionChanged(int count, Entry cause) {
    }

    /** The user quit; the connection is closed and the application may end. */
    default void quitFinished() {
    }
}
