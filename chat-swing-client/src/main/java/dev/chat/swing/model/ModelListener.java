package dev.chat.swing.model;

import java.util.List;

/**
 * What a {@link ChatModel} tells its view. Calls come on the model's own thread, in order;
 * every argument is an immutable value, so a view may keep it.
 */
public interface ModelListener {

    /** A line was added to a conversation ({@link ChatModel#ROOM} or a peer's key). */
    default void entryAdded(String conversation, Entry entry) {
    }

    /**
     * A private conversation with {@code peer} exists now, or the user asked to see it;
     * {@code show} says whether the view should bring it to the front.
     */
    default void conversationOpened(String conversation, String peer, boolean show) {
    }

    /** How many messages in a conversation have not been seen. */
    default void unreadChanged(String conversation, int unread) {
    }

    /** Who is online, sorted ignoring case. */
    default void usersChanged(List<String> names) {
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
