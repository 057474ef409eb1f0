package dev.chat.swing;

import dev.chat.swing.model.ChatModel;
import dev.chat.swing.model.ConnectOutcome;
import dev.chat.swing.model.ConnectionState;
import dev.chat.swing.model.Entry;
import dev.chat.swing.model.ModelListener;
import dev.chat.swing.model.RoomInfo;
import java.util.List;

/**
 * Puts the desktop client together on the Event Dispatch Thread: the model, the connect
 * dialog and the main window, and what happens between them.
 */
final class ChatApp implements ModelListener {

    /** What the user gave on the command line; null fields were not given. */
    record StartOptions(String host, Integer port, String name) {
    }

    private final ClientPrefs prefs;
    private final Runnable onExit;
    private final ChatModel model;
    private final MainWindow window;
    private ConnectDialog dialog;
    private boolean quitting;
    /** What the command line asked to connect to, for the dialog if that fails. */
    private StartOptions requested;

    private ChatApp(ClientPrefs prefs, Runnable onExit) {
        this.prefs = prefs;
        this.onExit = onExit;
        this.model = new ChatModel(new EdtAdapter(this));
        this.window = new MainWindow(model, prefs, this::quit);
    }

    /**
     * Starts the client: connects straight away when a name was given, otherwise opens the
     * connect dialog. Call on the Event Dispatch Thread after the look and feel is set up.
     *
     * @param onExit run on the Event Dispatch Thread once the session has ended and the windows are gone
     */
    static ChatApp start(StartOptions options, ClientPrefs prefs, Runnable onExit) {
        ChatApp app = new ChatApp(prefs, onExit);
        String host = options.host() != null ? options.host() : prefs.host();
        int port = options.port() != null ? options.port() : prefs.port();
        if (options.name() != null) {
            app.requested = new StartOptions(host, port, options.name());
            app.model.connect(host, port, options.name());
        } else {
            app.openDialog(host, port, prefs.name());
        }
        return app;
    }

    MainWindow window() {
        return window;
    }

    /** The connect dialog while it is open, else null. */
    ConnectDialog dialog() {
        return dialog;
    }

    ChatModel model() {
        return model;
    }

    /** Ends the session: sends {@code /quit}, then closes the windows and runs the exit action. */
    void quit() {
        if (quitting) {
            return;
        }
        quitting = true;
        window.frame().setVisible(false);
        model.quit();
    }

    private void openDialog(String host, int port, String name) {
        dialog = new ConnectDialog(host, port, name, new ConnectDialog.Actions() {
            @Override
            public void connect(String toHost, int toPort, String asName) {
                model.connect(toHost, toPort, asName);
            }

            @Override
            public void cancel() {
                dialog = null;
                quit();
            }
        });
        dialog.show();
    }

    // ---- model events, on the Event Dispatch Thread ----

    @Override
    public void connectFinished(ConnectOutcome outcome) {
        switch (outcome) {
            case ConnectOutcome.Connected connected -> {
                if (dialog != null) {
                    prefs.saveConnection(connected.host(), connected.port(), connected.name());
                    dialog.close();
                    dialog = null;
                }
                window.show();
            }
            case ConnectOutcome.NameRefused refused -> failed(outcome);
            case ConnectOutcome.Unreachable unreachable -> failed(outcome);
        }
    }

    private void failed(ConnectOutcome outcome) {
        if (dialog == null) {
            // Started from the command line: let the user fix it in the dialog.
            openDialog(requested.host(), requested.port(), requested.name());
        }
        dialog.showFailure(outcome);
    }

    @Override
    public void quitFinished() {
        if (dialog != null) {
            dialog.close();
            dialog = null;
        }
        window.dispose();
        onExit.run();
    }

    @Override
    public void entryAdded(String conversation, Entry entry) {
        window.entryAdded(conversation, entry);
    }

    @Override
    public void conversationOpened(String conversation, String peer, boolean show) {
        window.conversationOpened(conversation, peer, show);
    }

    @Override
    public void unreadChanged(String conversation, int unread) {
        window.unreadChanged(conversation, unread);
    }

    @Override
    public void roomOpened(String conversation, String room, boolean show) {
        window.roomOpened(conversation, room, show);
    }

    @Override
    public void roomClosed(String conversation) {
        window.roomClosed(conversation);
    }

    @Override
    public void conversationRenamed(String oldKey, String newKey, String peer) {
        window.conversationRenamed(oldKey, newKey, peer);
    }

    @Override
    public void usersChanged(String conversation, List<String> names) {
        window.usersChanged(conversation, names);
    }

    @Override
    public void topicChanged(String conversation, String topic) {
        window.topicChanged(conversation, topic);
    }

    @Override
    public void roomsListed(List<RoomInfo> rooms) {
        window.roomsListed(rooms);
    }

    @Override
    public void stateChanged(ConnectionState state) {
        window.stateChanged(state);
    }

    @Override
    public void attentionChanged(int count, Entry cause) {
        window.attentionChanged(count, cause);
    }
}
