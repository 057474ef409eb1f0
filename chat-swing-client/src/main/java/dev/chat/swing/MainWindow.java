package dev.chat.swing;

import com.formdev.flatlaf.FlatClientProperties;
import dev.chat.protocol.Command;
import dev.chat.client.ConnectionState;
import dev.chat.client.Privacy;
import dev.chat.client.Verification;
import dev.chat.protocol.RoomNames;
import dev.chat.swing.model.ChatModel;
import dev.chat.swing.model.Entry;
import dev.chat.swing.model.ModelEvent;
import dev.chat.swing.model.RoomInfo;
import java.awt.BorderLayout;
import java.awt.Dimension;
import java.awt.Toolkit;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.awt.event.WindowFocusListener;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import javax.swing.BorderFactory;
import javax.swing.ButtonGroup;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JFileChooser;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JRadioButtonMenuItem;
import javax.swing.JSplitPane;
import javax.swing.JTabbedPane;
import javax.swing.JTextField;
import javax.swing.KeyStroke;
import javax.swing.WindowConstants;

/**
 * The chat window: a tab per room and per private conversation, the input line, the list of
 * who is in the room in view, the status bar and the menus. It hears the model's events on the Event Dispatch Thread and asks the model
 * to act; it holds no socket code.
 */
final class MainWindow {

    private static final String APP_TITLE = "Chat";
    private static final String CONVERSATION_KEY = "chat.conversation";

    private final ChatModel model;
    private final ClientPrefs prefs;
    private final Runnable onQuit;
    private final JFrame frame = new JFrame(APP_TITLE);
    private final JTabbedPane tabs = new JTabbedPane();
    private final Map<String, ConversationView> views = new HashMap<>();
    /** Each tab's name without its unread count: the room's or the peer's. */
    private final Map<String, String> names = new HashMap<>();
    /** The keys of the rooms' tabs other than the default room's. */
    private final Set<String> rooms = new HashSet<>();
    private final Map<String, List<String>> members = new HashMap<>();
    /** How many are in each room; more than its names for a large room. */
    private final Map<String, Integer> totals = new HashMap<>();
    private final Map<String, Integer> unread = new HashMap<>();
    /** How the last private message of each private conversation travelled. */
    private final Map<String, Privacy> privacy = new HashMap<>();
    /** The warnings of changed keys not accepted yet, by conversation. */
    private final Map<String, String> keyWarnings = new HashMap<>();
    /** The loud banner above the conversations while a changed key waits for the user's word. */
    private final JPanel keyBanner = new JPanel(new BorderLayout(8, 0));
    private final JLabel keyBannerText = new JLabel();
    private final JButton keyAccept = new JButton("Accept the new key");
    private String keyBannerConversation;
    private RoomListDialog roomList;
    private final UserListView users;
    private final StatusBar status;
    private final InputBox input;
    private final Notifier notifier = new Notifier();
    private final JMenuItem reconnectItem = new JMenuItem("Reconnect now");
    private final TransferBars transfers = new TransferBars();
    private ConnectionState state = new ConnectionState.Offline();
    private String me;
    private int attention;

    /**
     * @param onQuit called when the user closes the window or chooses Quit; it should ask the
     *               model to quit
     */
    MainWindow(ChatModel model, ClientPrefs prefs, Runnable onQuit) {
        this.model = model;
        this.prefs = prefs;
        this.onQuit = onQuit;
        this.users = new UserListView(model::openConversation, model::offerDirect, this::searchChanged);
        this.status = new StatusBar(model::reconnectNow);
        this.input = new InputBox(line -> model.send(selectedConversation(), line));

        ConversationView room = new ConversationView(true);
        views.put(ChatModel.ROOM, room);
        names.put(ChatModel.ROOM, RoomNames.DEFAULT_ROOM);
        room.component().putClientProperty(CONVERSATION_KEY, ChatModel.ROOM);
        tabs.addTab(RoomNames.DEFAULT_ROOM, room.component());
        tabs.setToolTipTextAt(0, "The room everyone is in");
        tabs.putClientProperty(FlatClientProperties.TABBED_PANE_TAB_CLOSE_CALLBACK,
                (BiConsumer<JTabbedPane, Integer>) (pane, index) -> closeTab(index));
        tabs.putClientProperty(FlatClientProperties.TABBED_PANE_SHOW_TAB_SEPARATORS, false);
        tabs.addChangeListener(e -> {
            String key = selectedConversation();
            model.select(key);
            showMembers();
            input.component().requestFocusInWindow();
        });

        JPanel left = new JPanel(new BorderLayout());
        left.add(tabs, BorderLayout.CENTER);
        keyBanner.setBackground(new java.awt.Color(0xB0, 0x1E, 0x1E));
        keyBanner.setBorder(BorderFactory.createEmptyBorder(6, 10, 6, 10));
        keyBannerText.setForeground(java.awt.Color.WHITE);
        keyBanner.add(keyBannerText, BorderLayout.CENTER);
        keyAccept.addActionListener(e -> {
            if (keyBannerConversation != null) {
                model.acceptKey(keyBannerConversation);
            }
        });
        keyBanner.add(keyAccept, BorderLayout.EAST);
        keyBanner.setVisible(false);
        left.add(keyBanner, BorderLayout.NORTH);
        JPanel inputRow = new JPanel(new BorderLayout());
        inputRow.setBorder(BorderFactory.createEmptyBorder(6, 8, 8, 8));
        inputRow.add(input.component(), BorderLayout.CENTER);
        left.add(inputRow, BorderLayout.SOUTH);

        JSplitPane split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, left, users.component());
        split.setResizeWeight(1.0);
        split.setBorder(BorderFactory.createEmptyBorder());
        users.component().setPreferredSize(new Dimension(190, 100));
        users.component().setMinimumSize(new Dimension(120, 50));

        JPanel content = new JPanel(new BorderLayout());
        content.add(split, BorderLayout.CENTER);
        JPanel bottom = new JPanel(new BorderLayout());
        bottom.add(transfers.component(), BorderLayout.NORTH);
        bottom.add(status.component(), BorderLayout.SOUTH);
        content.add(bottom, BorderLayout.SOUTH);

        frame.setJMenuBar(menuBar());
        frame.setContentPane(content);
        frame.setIconImages(AppIcon.images());
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        frame.addWindowListener(new Closing());
        frame.addWindowFocusListener(new Focus());
        frame.setSize(900, 600);
        frame.setMinimumSize(new Dimension(480, 320));
        frame.setLocationByPlatform(true);
        updateTitle();
    }

    void show() {
        if (!frame.isVisible()) {
            frame.setVisible(true);
        }
        input.component().requestFocusInWindow();
    }

    /** Hides and releases the window, e.g. once the session has ended. */
    void dispose() {
        notifier.dispose();
        frame.dispose();
    }

    JFrame frame() {
        return frame;
    }

    javax.swing.JTextField inputField() {
        return input.component();
    }

    /** The text of a conversation as shown, or null when there is no such conversation. */
    String conversationText(String conversation) {
        ConversationView view = views.get(conversation);
        return view == null ? null : view.text();
    }

    ConversationView conversationView(String conversation) {
        return views.get(conversation);
    }

    /** The topic shown above a conversation, or null when it has none (private) or does not exist. */
    String topicText(String conversation) {
        ConversationView view = views.get(conversation);
        return view == null ? null : view.topicText();
    }

    /** Opens the room list dialog, as Chat › Rooms… does. */
    RoomListDialog openRoomList() {
        if (roomList == null || !roomList.isShowing()) {
            roomList = new RoomListDialog(frame, model::joinRoom, model::requestRoomList);
            roomList.show();
        }
        model.requestRoomList();
        return roomList;
    }

    /** The title of each open tab, in order. */
    List<String> tabTitles() {
        return java.util.stream.IntStream.range(0, tabs.getTabCount()).mapToObj(tabs::getTitleAt).toList();
    }

    JTabbedPane tabs() {
        return tabs;
    }

    List<String> shownUsers() {
        return users.shown();
    }

    String usersHeading() {
        return users.heading();
    }

    /** The field that searches the user list. */
    JTextField userSearch() {
        return users.searchField();
    }

    String statusText() {
        return status.text();
    }

    String statusToolTip() {
        return status.toolTip();
    }

    /** The changed-key banner's text while it shows, else null. */
    String keyBannerText() {
        return keyBanner.isVisible() ? keyBannerText.getText() : null;
    }

    JButton keyAcceptButton() {
        return keyAccept;
    }

    /** The user list, whose context menu asks for a direct connection. */
    UserListView userList() {
        return users;
    }

    /** The progress bars of the files under way. */
    TransferBars transfers() {
        return transfers;
    }

    // ---- model events, on the Event Dispatch Thread ----

    /** Shows what the model tells; connecting and quitting are the app's, and reach here only when they change the window. */
    void handle(ModelEvent event) {
        switch (event) {
            case ModelEvent.EntryAdded added -> entryAdded(added.conversation(), added.entry());
            case ModelEvent.ConversationOpened opened -> conversationOpened(opened.conversation(), opened.peer(),
                    opened.show());
            case ModelEvent.RoomOpened opened -> roomOpened(opened.conversation(), opened.room(), opened.show());
            case ModelEvent.RoomClosed closed -> roomClosed(closed.conversation());
            case ModelEvent.DefaultRoomNamed named -> defaultRoomNamed(named.room());
            case ModelEvent.ConversationRenamed renamed -> conversationRenamed(renamed.oldKey(), renamed.newKey(),
                    renamed.peer());
            case ModelEvent.UnreadChanged changed -> unreadChanged(changed.conversation(), changed.unread());
            case ModelEvent.UsersChanged changed -> usersChanged(changed.conversation(), changed.names(),
                    changed.total());
            case ModelEvent.NamesFound found -> namesFound(found.conversation(), found.prefix(), found.names());
            case ModelEvent.TopicChanged changed -> topicChanged(changed.conversation(), changed.topic());
            case ModelEvent.RoomsListed listed -> roomsListed(listed.rooms());
            case ModelEvent.StateChanged changed -> stateChanged(changed.state());
            case ModelEvent.PrivacyChanged changed -> privacyChanged(changed.conversation(), changed.privacy());
            case ModelEvent.KeyChanged changed -> keyChanged(changed);
            case ModelEvent.KeyAccepted accepted -> keyAccepted(accepted.conversation());
            case ModelEvent.VerificationReady ready -> showSafetyNumber(ready.conversation(), ready.verification());
            case ModelEvent.AttentionChanged changed -> attentionChanged(changed.count(), changed.cause());
            case ModelEvent.DirectOffered offered -> directOffered(offered.peer());
            case ModelEvent.FileOffered offered -> fileOffered(offered);
            case ModelEvent.FileProgress progress -> transfers.show(progress);
            case ModelEvent.ConnectFinished finished -> {
                // The connect dialog shows how it went.
            }
            case ModelEvent.ReconnectStopped stopped -> {
                // The conversation says why; the connect dialog asks for what is needed.
            }
            case ModelEvent.QuitFinished finished -> {
                // The app disposes of the window.
            }
        }
    }

    private void entryAdded(String conversation, Entry entry) {
        ConversationView view = views.get(conversation);
        if (view == null) {
            return;
        }
        view.add(entry);
        if (tabs.indexOfComponent(view.component()) < 0 && !rooms.contains(conversation)) {
            // A closed private tab comes back when a line arrives in it; a room's only when joined again.
            conversationOpened(conversation, names.get(conversation), false);
        }
    }

    private void conversationOpened(String conversation, String peer, boolean show) {
        openTab(conversation, peer, false, "Private conversation with " + peer + " (closing keeps the history)", show);
    }

    private void roomOpened(String conversation, String room, boolean show) {
        rooms.add(conversation);
        openTab(conversation, room, true, room + " (closing leaves the room)", show);
    }

    /** The default room's tab is titled with the name the server gives it. */
    private void defaultRoomNamed(String room) {
        names.put(ChatModel.ROOM, room);
        tabs.setTitleAt(0, tabTitle(ChatModel.ROOM));
        showMembers();
    }

    private void roomClosed(String conversation) {
        ConversationView view = views.get(conversation);
        if (view != null && tabs.indexOfComponent(view.component()) >= 0) {
            tabs.remove(view.component());
        }
    }

    private void conversationRenamed(String oldKey, String newKey, String peer) {
        ConversationView view = views.remove(oldKey);
        if (view == null) {
            return;
        }
        views.put(newKey, view);
        names.remove(oldKey);
        names.put(newKey, peer);
        Integer count = unread.remove(oldKey);
        if (count != null) {
            unread.put(newKey, count);
        }
        view.component().putClientProperty(CONVERSATION_KEY, newKey);
        int index = tabs.indexOfComponent(view.component());
        if (index >= 0) {
            tabs.setTitleAt(index, tabTitle(newKey));
            tabs.setToolTipTextAt(index, "Private conversation with " + peer + " (closing keeps the history)");
        }
    }

    private void topicChanged(String conversation, String topic) {
        ConversationView view = views.get(conversation);
        if (view != null) {
            view.setTopic(topic);
        }
    }

    private void roomsListed(List<RoomInfo> listed) {
        if (roomList != null && roomList.isShowing()) {
            roomList.showRooms(listed);
        }
    }

    private void openTab(String conversation, String name, boolean room, String tip, boolean show) {
        ConversationView view = views.get(conversation);
        if (view == null) {
            view = new ConversationView(room);
            views.put(conversation, view);
            view.component().putClientProperty(CONVERSATION_KEY, conversation);
            view.component().putClientProperty(FlatClientProperties.TABBED_PANE_TAB_CLOSABLE, true);
        }
        names.put(conversation, name);
        int index = tabs.indexOfComponent(view.component());
        if (index < 0) {
            // Rooms come before private conversations, in the order they were joined.
            index = room ? roomTabCount() : tabs.getTabCount();
            tabs.insertTab(tabTitle(conversation), null, view.component(), tip, index);
        } else {
            tabs.setTitleAt(index, tabTitle(conversation));
        }
        if (show) {
            tabs.setSelectedIndex(index);
        }
    }

    /** How many tabs at the front are rooms, the default room's included. */
    private int roomTabCount() {
        int count = 1;
        while (count < tabs.getTabCount() && rooms.contains(keyAt(count))) {
            count++;
        }
        return count;
    }

    private void unreadChanged(String conversation, int count) {
        unread.put(conversation, count);
        ConversationView view = views.get(conversation);
        if (view == null) {
            return;
        }
        int index = tabs.indexOfComponent(view.component());
        if (index >= 0) {
            tabs.setTitleAt(index, tabTitle(conversation));
        }
    }

    private void usersChanged(String conversation, List<String> names, int total) {
        members.put(conversation, names);
        totals.put(conversation, total);
        showMembers();
    }

    /**
     * Shows who is in the room in view (a private tab shows the default room's people): all of
     * them, or while a name is searched for, those the model finds.
     */
    private void showMembers() {
        String key = shownRoom();
        List<String> known = members.getOrDefault(key, List.of());
        int total = totals.getOrDefault(key, known.size());
        users.heading(names.get(key), total, known.size() != total);
        if (users.searchText().isEmpty()) {
            users.showNames(known);
        } else {
            // The names shown stay until the model's answer replaces them.
            model.findNames(key, users.searchText());
        }
    }

    /** The key of the room whose people the user list shows. */
    private String shownRoom() {
        String key = selectedConversation();
        return rooms.contains(key) ? key : ChatModel.ROOM;
    }

    private void searchChanged(String text) {
        showMembers();
    }

    /** Shows the names found, unless the search or the room in view changed since they were asked for. */
    private void namesFound(String conversation, String prefix, List<String> found) {
        if (conversation.equals(shownRoom()) && prefix.equals(users.searchText())) {
            users.showNames(found);
        }
    }

    private void privacyChanged(String conversation, Privacy how) {
        privacy.put(conversation, how);
        ConversationView view = views.get(conversation);
        int index = view == null ? -1 : tabs.indexOfComponent(view.component());
        if (index >= 0) {
            tabs.setTitleAt(index, tabTitle(conversation));
        }
    }

    /** A changed key: loudly, over the conversations, until the user accepts it. */
    private void keyChanged(ModelEvent.KeyChanged changed) {
        keyWarnings.put(changed.conversation(), changed.message());
        keyBannerConversation = changed.conversation();
        String waiting = changed.waiting() == 0 ? "" : " " + changed.waiting()
                + (changed.waiting() == 1 ? " message waits." : " messages wait.");
        keyBannerText.setText("<html><b>" + escape(changed.message()) + "</b>" + escape(waiting) + "</html>");
        keyAccept.setText(changed.keyGone() ? "Send unencrypted" : "Accept the new key");
        keyBanner.setVisible(true);
    }

    private void keyAccepted(String conversation) {
        keyWarnings.remove(conversation);
        if (conversation.equals(keyBannerConversation)) {
            var next = keyWarnings.entrySet().stream().findFirst();
            keyBannerConversation = next.map(Map.Entry::getKey).orElse(null);
            keyBannerText.setText(next.map(e -> "<html><b>" + escape(e.getValue()) + "</b></html>").orElse(""));
            keyBanner.setVisible(next.isPresent());
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Asks whether to accept {@code peer}'s direct connection, saying what it exposes. */
    private void directOffered(String peer) {
        int answer = JOptionPane.showConfirmDialog(frame, peer + " offers a direct connection.\n\n"
                + "Your client and theirs would talk without the server, proving each other's keys;\n"
                + "each of you learns the other's network address.\n\nAccept?", "Direct connection",
                JOptionPane.YES_NO_OPTION, JOptionPane.QUESTION_MESSAGE);
        model.answerDirect(peer, answer == JOptionPane.YES_OPTION);
    }

    /** Asks where to save a file offered over a direct connection; cancelling refuses it. */
    private void fileOffered(ModelEvent.FileOffered offered) {
        JFileChooser chooser = new JFileChooser();
        chooser.setDialogTitle(offered.peer() + " sends " + offered.fileName() + " (" + offered.size() + " bytes)");
        chooser.setSelectedFile(new java.io.File(chooser.getCurrentDirectory(), offered.fileName()));
        boolean save = chooser.showSaveDialog(frame) == JFileChooser.APPROVE_OPTION;
        // A name that is taken is not overwritten: the file is saved beside it, and the conversation says where.
        model.saveFile(offered.peer(), offered.id(), save ? chooser.getSelectedFile().toPath() : null);
    }

    /** Asks which file to send to the person of the private conversation in view. */
    private void sendFileToSelected() {
        String key = selectedConversation();
        if (rooms.contains(key) || key.equals(ChatModel.ROOM)) {
            JOptionPane.showMessageDialog(frame, "Open the private conversation with the person first; a file goes "
                    + "over a direct connection with them.", "Send a file", JOptionPane.INFORMATION_MESSAGE);
            return;
        }
        JFileChooser chooser = new JFileChooser();
        chooser.setDialogTitle("Send a file to " + names.get(key));
        if (chooser.showOpenDialog(frame) == JFileChooser.APPROVE_OPTION) {
            model.sendFile(names.get(key), chooser.getSelectedFile().toPath());
        }
    }

    /** Asks the person of the private conversation in view for a direct connection. */
    private void directToSelected() {
        String key = selectedConversation();
        if (rooms.contains(key) || key.equals(ChatModel.ROOM)) {
            JOptionPane.showMessageDialog(frame, "Open the private conversation with the person first, or choose "
                    + "\u201cDirect connection\u201d on their name in the list.", "Direct connection",
                    JOptionPane.INFORMATION_MESSAGE);
            return;
        }
        model.offerDirect(names.get(key));
    }

    /** The safety number to compare, and the user's word on whether it matched. */
    private void showSafetyNumber(String conversation, Verification verification) {
        List<String> groups = verification.number().groups();
        JLabel number = new JLabel("<html><tt style='font-size:120%'>" + String.join(" ", groups.subList(0, 6))
                + "<br>" + String.join(" ", groups.subList(6, 12)) + "</tt></html>");
        number.setName("safety-number");
        Object[] message = {
            "Safety number of you (" + me + ") and " + verification.name()
                    + (verification.verified() ? ", verified before:" : ":"),
            number,
            "<html>" + escape(verification.name()) + "'s client shows the same number when nobody sits in between.<br>"
                    + "Compare it in person or on a call, not through this chat.</html>"};
        String[] options = {"They match — mark verified", "Cancel"};
        int choice = JOptionPane.showOptionDialog(frame, message, "Verify " + verification.name(),
                JOptionPane.DEFAULT_OPTION, JOptionPane.INFORMATION_MESSAGE, null, options, options[1]);
        if (choice == 0) {
            model.markVerified(conversation, verification);
        }
    }

    /** Chat › Verify…: the safety number of the peer of the private tab in view. */
    private void verifySelected() {
        String key = selectedConversation();
        if (rooms.contains(key) || key.equals(ChatModel.ROOM)) {
            JOptionPane.showMessageDialog(frame, "Open the private conversation with the person to verify first.",
                    "Verify", JOptionPane.INFORMATION_MESSAGE);
            return;
        }
        model.verify(key);
    }

    private void stateChanged(ConnectionState newState) {
        state = newState;
        status.show(newState);
        reconnectItem.setEnabled(newState instanceof ConnectionState.Reconnecting);
        if (newState instanceof ConnectionState.SignedOn signedOn) {
            me = signedOn.name();
            users.setMe(me);
        }
        updateTitle();
    }

    private void attentionChanged(int count, Entry cause) {
        attention = count;
        updateTitle();
        notifier.badge(count);
        if (cause != null) {
            String title = cause.kind() == Entry.Kind.PRIVATE_IN
                    ? "Private message from " + cause.from()
                    : cause.from() + " mentioned you";
            notifier.notify(frame, title, cause.text());
        }
    }

    // ---- helpers ----

    private String selectedConversation() {
        int index = tabs.getSelectedIndex();
        return index < 0 ? ChatModel.ROOM : keyAt(index);
    }

    private String keyAt(int index) {
        JComponent tab = (JComponent) tabs.getComponentAt(index);
        Object key = tab == null ? null : tab.getClientProperty(CONVERSATION_KEY);
        return key instanceof String s ? s : ChatModel.ROOM;
    }

    private String tabTitle(String conversation) {
        String base = names.get(conversation);
        Privacy how = privacy.get(conversation);
        if (how != null && how.sealed()) {
            // The lock where it applies; unencrypted lines say so themselves.
            base = base + " " + ConversationView.privacyMark(how);
        }
        int count = unread.getOrDefault(conversation, 0);
        return count > 0 ? base + " (" + count + ")" : base;
    }

    /** Closes a tab: a room's leaves the room; a private one only hides, keeping its history. */
    private void closeTab(int index) {
        if (index <= 0) {
            return;
        }
        String key = keyAt(index);
        if (rooms.contains(key)) {
            tabs.removeTabAt(index);
            model.leaveRoom(key);
        } else {
            tabs.removeTabAt(index);
        }
    }

    private void askToJoin() {
        Object answer = JOptionPane.showInputDialog(frame, "Room to join (e.g. #dev):", "Join room",
                JOptionPane.QUESTION_MESSAGE, null, null, "#");
        if (answer instanceof String room && !room.isBlank() && !room.strip().equals("#")) {
            model.joinRoom(room);
        }
    }

    private void updateTitle() {
        String where = state instanceof ConnectionState.SignedOn c
                ? c.name() + " on " + c.endpoint()
                : state instanceof ConnectionState.Reconnecting ? "reconnecting" : null;
        String title = where == null ? APP_TITLE : APP_TITLE + " \u2014 " + where;
        frame.setTitle(attention > 0 ? "(" + attention + ") " + title : title);
    }

    private JMenuBar menuBar() {
        int shortcut = Toolkit.getDefaultToolkit().getMenuShortcutKeyMaskEx();
        JMenu chat = new JMenu("Chat");
        chat.setMnemonic(KeyEvent.VK_C);
        JMenuItem join = new JMenuItem("Join room\u2026");
        join.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_J, shortcut));
        join.addActionListener(e -> askToJoin());
        chat.add(join);
        JMenuItem list = new JMenuItem("Rooms\u2026");
        list.addActionListener(e -> openRoomList());
        chat.add(list);
        JMenuItem who = new JMenuItem("Who is online");
        who.addActionListener(e -> model.send(ChatModel.ROOM, "/" + Command.WHO.word()));
        chat.add(who);
        chat.addSeparator();
        JMenuItem register = new JMenuItem("Register this name");
        register.setToolTipText("Bind your name to your key: from then on only you can sign on with it");
        register.addActionListener(e -> model.registerName());
        register.setEnabled(model.hasKeys());
        chat.add(register);
        JMenuItem verify = new JMenuItem("Verify…");
        verify.setToolTipText("Compare safety numbers with the person of this private conversation");
        verify.addActionListener(e -> verifySelected());
        verify.setEnabled(model.hasKeys());
        chat.add(verify);
        JMenuItem direct = new JMenuItem("Direct connection");
        direct.setToolTipText("Connect to the person of this private conversation without the server");
        direct.addActionListener(e -> directToSelected());
        direct.setEnabled(model.hasKeys());
        chat.add(direct);
        JMenuItem sendFile = new JMenuItem("Send a file\u2026");
        sendFile.setToolTipText("Send a file over the direct connection with the person of this private conversation");
        sendFile.addActionListener(e -> sendFileToSelected());
        sendFile.setEnabled(model.hasKeys());
        chat.add(sendFile);
        chat.addSeparator();
        reconnectItem.addActionListener(e -> model.reconnectNow());
        reconnectItem.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_R, shortcut));
        reconnectItem.setEnabled(false);
        chat.add(reconnectItem);
        JMenuItem closeTab = new JMenuItem("Close tab");
        closeTab.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_W, shortcut));
        closeTab.addActionListener(e -> closeTab(tabs.getSelectedIndex()));
        chat.add(closeTab);
        chat.addSeparator();
        JMenuItem quit = new JMenuItem("Quit");
        quit.setAccelerator(KeyStroke.getKeyStroke(KeyEvent.VK_Q, shortcut));
        quit.addActionListener(e -> onQuit.run());
        chat.add(quit);

        JMenu view = new JMenu("View");
        view.setMnemonic(KeyEvent.VK_V);
        JMenu theme = new JMenu("Theme");
        ButtonGroup group = new ButtonGroup();
        for (Theme choice : Theme.values()) {
            JRadioButtonMenuItem item = new JRadioButtonMenuItem(choice.label(), choice == prefs.theme());
            item.addActionListener(e -> switchTheme(choice));
            group.add(item);
            theme.add(item);
        }
        view.add(theme);

        JMenu help = new JMenu("Help");
        help.setMnemonic(KeyEvent.VK_H);
        JMenuItem commands = new JMenuItem("Commands");
        commands.addActionListener(e -> model.send(ChatModel.ROOM, "/" + Command.HELP.word()));
        help.add(commands);
        JMenuItem keys = new JMenuItem("Keyboard shortcuts");
        keys.addActionListener(e -> JOptionPane.showMessageDialog(frame, SHORTCUTS, "Keyboard shortcuts",
                JOptionPane.INFORMATION_MESSAGE));
        help.add(keys);

        JMenuBar bar = new JMenuBar();
        bar.add(chat);
        bar.add(view);
        bar.add(help);
        return bar;
    }

    private static final String SHORTCUTS = """
            Enter \u2014 send the line
            Up / Down \u2014 bring back lines you sent
            Ctrl+Page Up / Page Down \u2014 previous / next tab
            Ctrl+J \u2014 join a room
            Ctrl+W \u2014 close the tab (a room's: leave the room)
            Ctrl+R \u2014 reconnect now
            Ctrl+Q \u2014 quit""";

    /** Installs {@code theme}, remembers it, and repaints every view in its colours. */
    void switchTheme(Theme theme) {
        prefs.saveTheme(theme);
        LookAndFeelSetup.apply(theme);
        views.values().forEach(ConversationView::themeChanged);
        users.themeChanged();
        status.themeChanged();
    }

    /** Closing the window quits the session. */
    private final class Closing extends WindowAdapter {
        @Override
        public void windowClosing(WindowEvent e) {
            onQuit.run();
        }
    }

    /** Tells the model whether the user is looking, for the unread count in the title. */
    private final class Focus implements WindowFocusListener {
        @Override
        public void windowGainedFocus(WindowEvent e) {
            model.setFocused(true);
        }

        @Override
        public void windowLostFocus(WindowEvent e) {
            model.setFocused(false);
        }
    }
}
