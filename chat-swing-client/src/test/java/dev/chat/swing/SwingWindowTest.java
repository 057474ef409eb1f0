package dev.chat.swing;

import static dev.chat.swing.DesktopApp.onEdt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.formdev.flatlaf.FlatClientProperties;
import dev.chat.protocol.ServerLine;
import dev.chat.swing.model.ChatModel;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.awt.Robot;
import java.awt.event.KeyEvent;
import java.awt.event.WindowEvent;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.swing.JDialog;
import javax.swing.JMenu;
import javax.swing.JMenuBar;
import javax.swing.JMenuItem;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real window on a real display (Xvfb in the build) against a real server and bare socket users. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SwingWindowTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final TestServer server = TestServer.create();

    @RegisterExtension
    final DesktopApp desktop = new DesktopApp();

    private ChatApp app;

    private void start(String host, Integer port, String name) throws Exception {
        app = desktop.start(new ChatApp.StartOptions(host, port, name));
    }

    private MainWindow window() {
        return app.window();
    }

    private void awaitWindowConnected() {
        await().atMost(WAIT).until(() -> onEdt(() -> window().frame().isShowing()
                && window().statusText().startsWith("Connected to")));
    }

    @Test
    void typedLine_reachesASocketUser_andTheirLineAndNameShowInTheWindow() throws Exception {
        WireClient bob = server.register("bob");
        start("127.0.0.1", server.port(), "alice");
        awaitWindowConnected();
        assertThat(onEdt(() -> window().statusText())).isEqualTo("Connected to 127.0.0.1:" + server.port() + " as alice");

        typeIntoInput("hello from the window");
        ServerLine said = bob.await(line -> line instanceof ServerLine.Chat);
        assertThat(said).isEqualTo(new ServerLine.Chat(said.time(), "alice", "hello from the window"));
        assertThat(onEdt(() -> window().inputField().getText())).as("Enter clears the field").isEmpty();

        WireClient carol = server.register("carol");
        carol.send("hi alice, see https://example.org/page.");
        await().atMost(WAIT).until(() -> onEdt(() -> window().conversationText(ChatModel.ROOM))
                .contains("carol  hi alice, see https://example.org/page."));
        await().atMost(WAIT).until(() -> onEdt(() -> window().shownUsers()).equals(List.of("alice", "bob", "carol")));
    }

    @Test
    void privateMessage_opensATabWithUnreadCount_andTheReplyGoesPrivately() throws Exception {
        WireClient bob = server.register("bob");
        start("127.0.0.1", server.port(), "alice");
        awaitWindowConnected();

        bob.send("/msg alice psst");
        bob.send("/msg alice over here");
        await().atMost(WAIT).until(() -> onEdt(() -> window().tabTitles()).equals(List.of("#lobby", "bob (2)")));

        onEdt(() -> {
            window().tabs().setSelectedIndex(1);
            return null;
        });
        await().atMost(WAIT).until(() -> onEdt(() -> window().tabTitles()).equals(List.of("#lobby", "bob")));
        assertThat(onEdt(() -> window().conversationText("bob"))).contains("bob  psst", "bob  over here");

        typeIntoInput("only for you");
        ServerLine pm = bob.await(line -> line instanceof ServerLine.PrivateMessage);
        assertThat(pm).isEqualTo(new ServerLine.PrivateMessage(pm.time(), "alice", "only for you"));
        await().atMost(WAIT).until(() -> onEdt(() -> window().conversationText("bob")).contains("alice  only for you"));
        assertThat(onEdt(() -> window().conversationText(ChatModel.ROOM))).doesNotContain("only for you");
    }

    @Test
    void unfocusedWindow_showsUnreadCountInTheTitle() throws Exception {
        WireClient bob = server.register("bob");
        start("127.0.0.1", server.port(), "alice");
        awaitWindowConnected();
        focus(window().frame());

        javax.swing.JFrame elsewhere = onEdt(() -> {
            javax.swing.JFrame other = new javax.swing.JFrame("elsewhere");
            other.setBounds(0, 0, 200, 100);
            other.setVisible(true);
            return other;
        });
        try {
            focus(elsewhere);
            await().atMost(WAIT).until(() -> onEdt(() -> !window().frame().isFocused()));
            bob.send("/msg alice are you there?");
            await().atMost(WAIT).until(() -> onEdt(() -> window().frame().getTitle()).startsWith("(1) Chat"));
        } finally {
            onEdt(() -> {
                elsewhere.dispose();
                return null;
            });
        }
        focus(window().frame());
        await().atMost(WAIT).until(() -> onEdt(() -> window().frame().getTitle())
                .equals("Chat \u2014 alice on 127.0.0.1:" + server.port()));
    }

    /** Brings {@code frame} to the front and waits until it has the keyboard focus. */
    private static void focus(java.awt.Window frame) {
        await().atMost(WAIT).until(() -> onEdt(() -> {
            if (!frame.isFocused()) {
                frame.toFront();
                frame.requestFocus();
            }
            return frame.isFocused();
        }));
    }

    @Test
    void closingTheWindow_sendsQuitSoOthersSeeANormalLeave() throws Exception {
        WireClient bob = server.register("bob");
        start("127.0.0.1", server.port(), "alice");
        awaitWindowConnected();

        onEdt(() -> {
            window().frame().dispatchEvent(new WindowEvent(window().frame(), WindowEvent.WINDOW_CLOSING));
            return null;
        });
        ServerLine left = bob.await(line -> line instanceof ServerLine.Left);
        assertThat(left).isEqualTo(new ServerLine.Left(left.time(), "alice", "quit"));
        assertThat(desktop.awaitExit()).isTrue();
        assertThat(onEdt(() -> window().frame().isDisplayable())).isFalse();
        app = null;
    }

    @Test
    void connectDialog_nameTakenMarksOnlyTheNameField_andASecondNameConnects() throws Exception {
        server.register("bob");
        desktop.prefs().saveConnection("127.0.0.1", server.port(), false, "bob");
        start(null, null, null);
        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog() != null && app.dialog().nameField().isShowing()));
        assertThat(onEdt(() -> app.dialog().nameField().getText())).as("remembered name").isEqualTo("bob");

        onEdt(() -> {
            app.dialog().connectButton().doClick();
            return null;
        });
        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog().problemText()).contains("already taken"));
        assertThat(onEdt(() -> outlines(app.dialog()))).containsExactly(null, null, FlatClientProperties.OUTLINE_ERROR);
        assertThat(onEdt(() -> app.dialog().problemText())).doesNotContain("Exception", "name-taken");

        onEdt(() -> {
            app.dialog().nameField().setText("carol");
            app.dialog().connectButton().doClick();
            return null;
        });
        awaitWindowConnected();
        assertThat(onEdt(() -> app.dialog())).as("the dialog is gone").isNull();
        assertThat(desktop.prefs().name()).as("remembered for next time").isEqualTo("carol");
    }

    @Test
    void connectDialog_unreachableServerMarksHostAndPort() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        desktop.prefs().saveConnection("127.0.0.1", closedPort, false, "alice");
        start(null, null, null);
        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog() != null && app.dialog().nameField().isShowing()));

        onEdt(() -> {
            app.dialog().connectButton().doClick();
            return null;
        });
        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog().problemText())
                .equals("Cannot connect to 127.0.0.1:" + closedPort + ": connection refused (is the server running?)."));
        assertThat(onEdt(() -> outlines(app.dialog()))).containsExactly(
                FlatClientProperties.OUTLINE_ERROR, FlatClientProperties.OUTLINE_ERROR, null);
    }

    @Test
    void aLargeRoom_showsHowManyPeople_andTheSearchFieldFindsAnyoneThroughTheServer() throws Exception {
        server.configure(config -> config.largeRoomSize(3));
        for (String name : List.of("bob", "Carl", "carol")) {
            server.register(name);
        }
        start("127.0.0.1", server.port(), "alice");
        awaitWindowConnected();
        await().atMost(WAIT).until(() -> onEdt(() -> window().usersHeading()).equals("#lobby \u2014 4 people"));
        assertThat(onEdt(() -> window().shownUsers())).isEmpty();

        onEdt(() -> {
            window().userSearch().setText("ca");
            return null;
        });
        await().atMost(WAIT).until(() -> onEdt(() -> window().shownUsers()).equals(List.of("Carl", "carol")));
        onEdt(() -> {
            window().userSearch().setText("");
            return null;
        });
        await().atMost(WAIT).until(() -> onEdt(() -> window().shownUsers()).isEmpty());
    }

    @Test
    void theFirstTab_isTitledWithTheDefaultRoomTheServerNames() throws Exception {
        server.configure(config -> config.defaultRoom("#main"));
        start("127.0.0.1", server.port(), "alice");
        awaitWindowConnected();

        await().atMost(WAIT).until(() -> onEdt(() -> window().tabTitles()).equals(List.of("#main")));
        await().atMost(WAIT).until(() -> onEdt(() -> window().usersHeading()).startsWith("#main"));
    }

    @Test
    void lostServer_showsReconnectingAndComesBackWithTheHistory() throws Exception {
        start("127.0.0.1", server.port(), "alice");
        awaitWindowConnected();
        typeIntoInput("before the restart");
        await().atMost(WAIT).until(() -> onEdt(() -> window().conversationText(ChatModel.ROOM)).contains("before the restart"));
        int port = server.port();

        server.stop();
        await().atMost(WAIT).until(() -> onEdt(() -> window().statusText())
                .startsWith("Disconnected \u2014 reconnecting to 127.0.0.1:" + port + " in "));
        server.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> onEdt(() -> window().statusText())
                .equals("Connected to 127.0.0.1:" + port + " as alice"));
        await().atMost(WAIT).until(() -> onEdt(() -> window().conversationText(ChatModel.ROOM))
                .contains("Reconnected to 127.0.0.1:" + port + "."));
        assertThat(onEdt(() -> window().conversationText(ChatModel.ROOM))).contains("before the restart");
    }

    @Test
    void roomJoinedFromTheMenu_getsATabWhoseLinesReachOnlyThatRoom() throws Exception {
        WireClient bob = server.register("bob");
        WireClient carol = server.register("carol");
        bob.send("/join #dev");
        bob.send("/topic ship it friday");
        bob.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.TopicChanged changed));
        start("127.0.0.1", server.port(), "alice");
        awaitWindowConnected();

        JMenuItem join = onEdt(() -> menuItem("Join room\u2026"));
        SwingUtilities.invokeLater(join::doClick);
        JDialog asking = awaitDialog("Join room");
        await().atMost(WAIT).until(() -> onEdt(() -> asking.getFocusOwner() instanceof JTextField));
        onEdt(() -> {
            ((JTextField) asking.getFocusOwner()).selectAll();
            return null;
        });
        typeKeys("dev");
        pressEnter();
        await().atMost(WAIT).until(() -> onEdt(() -> !asking.isShowing()));

        await().atMost(WAIT).until(() -> onEdt(() -> window().tabTitles()).equals(List.of("#lobby", "#dev")));
        assertThat(onEdt(() -> window().tabs().getSelectedIndex())).as("the new room is in view").isEqualTo(1);
        await().atMost(WAIT).until(() -> "ship it friday".equals(onEdt(() -> window().topicText(ChatModel.roomKey("#dev")))));
        await().atMost(WAIT).until(() -> onEdt(() -> window().shownUsers()).equals(List.of("alice", "bob")));
        assertThat(onEdt(() -> window().usersHeading())).isEqualTo("#dev \u2014 2");

        typeIntoInput("hello dev");
        ServerLine said = bob.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.Chat chat)
                && chat.text().equals("hello dev"));
        assertThat(said).isEqualTo(new ServerLine.InRoom("#dev", new ServerLine.Chat(said.time(), "alice", "hello dev")));
        await().atMost(WAIT).until(() -> onEdt(() -> window().conversationText(ChatModel.roomKey("#dev")))
                .contains("alice  hello dev"));
        List<ServerLine> carolSaw = new ArrayList<>();
        carol.send("carol marker");
        carol.await(line -> {
            carolSaw.add(line);
            return line instanceof ServerLine.Chat chat && chat.text().equals("carol marker");
        });
        assertThat(carolSaw).noneMatch(line -> line.format().contains("hello dev"));
        // Carol's echo does not mean alice's window has shown the line yet: wait for it there.
        await().atMost(WAIT).until(() -> onEdt(() -> window().conversationText(ChatModel.ROOM)).contains("carol marker"));
        assertThat(onEdt(() -> window().conversationText(ChatModel.ROOM))).doesNotContain("hello dev");

        onEdt(() -> {
            window().tabs().setSelectedIndex(0);
            return null;
        });
        await().atMost(WAIT).until(() -> onEdt(() -> window().shownUsers()).equals(List.of("alice", "bob", "carol")));
    }

    @Test
    void roomListDialog_joinsARoom_andClosingItsTabLeavesIt() throws Exception {
        WireClient bob = server.register("bob");
        bob.send("/join #ops");
        bob.send("/topic pager duty");
        bob.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.TopicChanged changed));
        start("127.0.0.1", server.port(), "alice");
        awaitWindowConnected();

        RoomListDialog list = onEdt(() -> window().openRoomList());
        await().atMost(WAIT).until(() -> onEdt(() -> list.table().getRowCount()) == 2);
        int row = onEdt(() -> {
            for (int i = 0; i < list.table().getRowCount(); i++) {
                if (list.table().getValueAt(i, 0).equals("#ops")) {
                    return i;
                }
            }
            return -1;
        });
        assertThat(onEdt(() -> list.table().getValueAt(row, 2))).isEqualTo("pager duty");
        onEdt(() -> {
            list.table().setRowSelectionInterval(row, row);
            list.joinButton().doClick();
            return null;
        });
        await().atMost(WAIT).until(() -> onEdt(() -> window().tabTitles()).equals(List.of("#lobby", "#ops")));
        assertThat(onEdt(list::isShowing)).as("the list closes after joining").isFalse();
        bob.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.Joined joined) && joined.name().equals("alice"));

        onEdt(() -> {
            window().tabs().setSelectedIndex(1);
            return null;
        });
        focusInput();
        Robot robot = new Robot();
        int shortcut = java.awt.Toolkit.getDefaultToolkit().getMenuShortcutKeyMaskEx() == KeyEvent.META_DOWN_MASK
                ? KeyEvent.VK_META : KeyEvent.VK_CONTROL;
        robot.keyPress(shortcut);
        robot.keyPress(KeyEvent.VK_W);
        robot.keyRelease(KeyEvent.VK_W);
        robot.keyRelease(shortcut);

        ServerLine left = bob.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.Left l));
        assertThat(left).isEqualTo(new ServerLine.InRoom("#ops", new ServerLine.Left(left.time(), "alice", "part")));
        await().atMost(WAIT).until(() -> onEdt(() -> window().tabTitles()).equals(List.of("#lobby")));
    }

    /** Brings the window to the front (a dialog may just have closed) and puts the keyboard focus in the input field. */
    private void focusInput() {
        focus(window().frame());
        await().atMost(WAIT).until(() -> onEdt(() -> {
            if (!window().inputField().isFocusOwner()) {
                window().inputField().requestFocusInWindow();
            }
            return window().inputField().isFocusOwner();
        }));
    }

    private JMenuItem menuItem(String text) {
        JMenuBar bar = window().frame().getJMenuBar();
        for (int m = 0; m < bar.getMenuCount(); m++) {
            JMenu menu = bar.getMenu(m);
            for (int i = 0; i < menu.getItemCount(); i++) {
                if (menu.getItem(i) != null && text.equals(menu.getItem(i).getText())) {
                    return menu.getItem(i);
                }
            }
        }
        throw new AssertionError("no menu item " + text);
    }

    private static JDialog awaitDialog(String title) {
        return await().atMost(WAIT).until(() -> onEdt(() -> {
            for (java.awt.Window w : java.awt.Window.getWindows()) {
                if (w instanceof JDialog d && d.isShowing() && title.equals(d.getTitle())) {
                    return d;
                }
            }
            return null;
        }), java.util.Objects::nonNull);
    }

    /**
     * Types lowercase letters and blanks with real key events. Press and release go back to back
     * and nothing waits for the event queue to be idle in between: such a wait can take seconds
     * a key under Xvfb, and a key held that long repeats. Callers wait for what the keys do.
     */
    private static void typeKeys(String text) throws Exception {
        Robot robot = new Robot();
        for (char c : text.toCharArray()) {
            int key = c == ' ' ? KeyEvent.VK_SPACE : KeyEvent.getExtendedKeyCodeForChar(c);
            robot.keyPress(key);
            robot.keyRelease(key);
        }
    }

    private static void pressEnter() throws Exception {
        Robot robot = new Robot();
        robot.keyPress(KeyEvent.VK_ENTER);
        robot.keyRelease(KeyEvent.VK_ENTER);
    }

    private static List<Object> outlines(ConnectDialog dialog) {
        List<Object> result = new ArrayList<>();
        for (JTextField field : List.of(dialog.hostField(), dialog.portField(), dialog.nameField())) {
            result.add(field.getClientProperty(FlatClientProperties.OUTLINE));
        }
        return result;
    }

    /** Types lowercase letters and blanks into the input field with real key events, then presses Enter. */
    private void typeIntoInput(String text) throws Exception {
        focusInput();
        typeKeys(text);
        await().atMost(WAIT).untilAsserted(() -> assertThat(onEdt(() -> window().inputField().getText())).isEqualTo(text));
        pressEnter();
    }
}
