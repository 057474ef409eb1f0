package dev.chat.swing;

import dev.chat.swing.model.ConnectOutcome;
import dev.chat.swing.model.ConnectionState;
import dev.chat.swing.model.Entry;
import dev.chat.swing.model.ModelListener;
import dev.chat.swing.model.RoomInfo;
import java.util.List;
import javax.swing.SwingUtilities;

/** The one place where model events cross to the Event Dispatch Thread: each call is re-posted there, in order. */
final class EdtAdapter implements ModelListener {

    private final ModelListener onEdt;

    /** @param onEdt the listener to call, always on the Event Dispatch Thread */
    EdtAdapter(ModelListener onEdt) {
        this.onEdt = onEdt;
    }

    @Override
    public void entryAdded(String conversation, Entry entry) {
        SwingUtilities.invokeLater(() -> onEdt.entryAdded(conversation, entry));
    }

    @Override
    public void conversationOpened(String conversation, String peer, boolean show) {
        SwingUtilities.invokeLater(() -> onEdt.conversationOpened(conversation, peer, show));
    }

    @Override
    public void unreadChanged(String conversation, int unread) {
        SwingUtilities.invokeLater(() -> onEdt.unreadChanged(conversation, unread));
    }

    @Override
    public void roomOpened(String conversation, String room, boolean show) {
        SwingUtilities.invokeLater(() -> onEdt.roomOpened(conversation, room, show));
    }

    @Override
    public void roomClosed(String conversation) {
        SwingUtilities.invokeLater(() -> onEdt.roomClosed(conversation));
    }

    @Override
    public void conversationRenamed(String oldKey, String newKey, String peer) {
        SwingUtilities.invokeLater(() -> onEdt.conversationRenamed(oldKey, newKey, peer));
    }

    @Override
    public void usersChanged(String conversation, List<String> names) {
        SwingUtilities.invokeLater(() -> onEdt.usersChanged(conversation, names));
    }

    @Override
    public void topicChanged(String conversation, String topic) {
        SwingUtilities.invokeLater(() -> onEdt.topicChanged(conversation, topic));
    }

    @Override
    public void roomsListed(List<RoomInfo> rooms) {
        SwingUtilities.invokeLater(() -> onEdt.roomsListed(rooms));
    }

    @Override
    public void stateChanged(ConnectionState state) {
        SwingUtilities.invokeLater(() -> onEdt.stateChanged(state));
    }

    @Override
    public void connectFinished(ConnectOutcome outcome) {
        SwingUtilities.invokeLater(() -> onEdt.connectFinished(outcome));
    }

    @Override
    public void attentionChanged(int count, Entry cause) {
        SwingUtilities.invokeLater(() -> onEdt.attentionChanged(count, cause));
    }

    @Override
    public void quitFinished() {
        SwingUtilities.invokeLater(onEdt::quitFinished);
    }
}
