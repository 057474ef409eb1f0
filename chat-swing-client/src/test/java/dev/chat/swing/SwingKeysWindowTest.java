package dev.chat.swing;

import static dev.chat.swing.DesktopApp.onEdt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.client.KnownServers;
import dev.chat.client.TrustPrompt;
import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.swing.model.ChatModel;
import dev.chat.swing.model.Entry;
import dev.chat.swing.model.ModelEvent;
import dev.chat.testkit.TestServer;
import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.swing.AbstractButton;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real window with keys, on a display (Xvfb in the build), against a real server: a key made
 * at start in the test's home, a sealed private message marked in the line and the tab, the
 * changed-key banner and its Accept button, and the safety number's dialog.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SwingKeysWindowTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    @RegisterExtension
    final DesktopApp desktop = new DesktopApp();

    @TempDir
    Path homes;

    private ChatApp app;
    private final List<ChatModel> others = new ArrayList<>();

    @AfterEach
    void closeOthers() {
        others.forEach(ChatModel::close);
    }

    private MainWindow window() {
        return app.window();
    }

    /** Someone else, with a model and keys of their own, signed on as {@code name}. */
    private List<Entry> other(String name, String home) {
        List<Entry> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        Path folder = homes.resolve(home);
        ChatModel model = new ChatModel(event -> {
            if (event instanceof ModelEvent.EntryAdded added) {
                received.add(added.entry());
            }
        }, KnownServers.inHome(folder), TrustPrompt.REFUSE, Identity.generate(), KnownKeys.inHome(folder));
        others.add(model);
        model.connect("127.0.0.1", server.port(), name);
        await().atMost(WAIT).until(() -> received.stream().anyMatch(e -> e.text().startsWith("Published key ")));
        return received;
    }

    @Test
    void aSealedMessage_isMarked_aChangedKeyRaisesTheBanner_andVerifyShowsTheNumber() throws Exception {
        Path aliceHome = Files.createDirectories(homes.resolve("alice"));
        app = desktop.start(new ChatApp.StartOptions("127.0.0.1", server.port(), "alice", false, null, null, aliceHome));
        await().atMost(WAIT).until(() -> onEdt(() -> window().frame().isShowing()
                && window().statusText().startsWith("Connected to")));
        assertThat(Files.exists(aliceHome.resolve(".chat/identity"))).isTrue();
        await().atMost(WAIT).until(() -> onEdt(() -> window().conversationText(ChatModel.ROOM))
                .contains("Made your key in "));

        // A sealed message from bob: marked in its line and in the tab.
        List<Entry> bobSees = other("bob", "bob");
        others.getFirst().send(ChatModel.ROOM, "/msg alice sealed hello");
        await().atMost(WAIT).until(() -> onEdt(() -> window().tabTitles()).contains("bob [sealed] (1)"));
        assertThat(onEdt(() -> window().conversationText("bob"))).contains("[sealed]  bob  sealed hello");
        await().atMost(WAIT).until(() -> bobSees.stream().anyMatch(e -> e.kind() == Entry.Kind.PRIVATE_OUT));

        // Verify…: the dialog shows the safety number; saying it matches marks bob verified.
        onEdt(() -> {
            window().tabs().setSelectedIndex(1);
            return null;
        });
        SwingUtilities.invokeLater(() -> window().frame().getJMenuBar().getMenu(0).getItem(5).doClick());
        JDialog dialog = await().atMost(WAIT).until(() -> onEdt(() -> verifyDialog()), d -> d != null);
        String number = onEdt(() -> ((JLabel) find(dialog, JLabel.class, "safety-number")).getText());
        assertThat(number.replaceAll("<[^>]*>", " ")).containsPattern("(\\d{5} ){5}\\d{5}\\s+(\\d{5} ){5}\\d{5}");
        onEdt(() -> {
            ((AbstractButton) find(dialog, AbstractButton.class, null)).doClick();
            return null;
        });
        await().atMost(WAIT).until(() -> onEdt(() -> window().tabTitles()).contains("bob [sealed, verified]"));

        // bob comes back with another key: the banner, and the message waits for Accept.
        others.getFirst().close();
        await().atMost(WAIT).until(() -> onEdt(() -> window().conversationText(ChatModel.ROOM)).contains("bob left"));
        List<Entry> newBobSees = other("bob", "new-bob");
        onEdt(() -> {
            window().inputField().setText("are you still bob?");
            window().inputField().postActionEvent();
            return null;
        });
        await().atMost(WAIT).until(() -> onEdt(() -> window().keyBannerText()) != null);
        assertThat(onEdt(() -> window().keyBannerText())).contains("CHANGED", "you had verified the old one",
                "1 message waits");
        assertThat(newBobSees).noneMatch(e -> e.text().equals("are you still bob?"));

        onEdt(() -> {
            window().keyAcceptButton().doClick();
            return null;
        });
        await().atMost(WAIT).until(() -> newBobSees.stream().anyMatch(e -> e.kind() == Entry.Kind.PRIVATE_IN
                && e.text().equals("are you still bob?")));
        await().atMost(WAIT).until(() -> onEdt(() -> window().keyBannerText()) == null);
    }

    /** The safety number's dialog, once it shows. */
    private static JDialog verifyDialog() {
        for (Window window : Window.getWindows()) {
            if (window instanceof JDialog dialog && dialog.isShowing() && dialog.getTitle().equals("Verify bob")) {
                return dialog;
            }
        }
        return null;
    }

    /** The first component of {@code type} in {@code root} named {@code name} (any name for null; for buttons, "They match…"). */
    private static Component find(Container root, Class<?> type, String name) {
        for (Component child : root.getComponents()) {
            boolean match = type.isInstance(child) && (name == null
                    ? !(child instanceof AbstractButton button) || button.getText().startsWith("They match")
                    : name.equals(child.getName()));
            if (match) {
                return child;
            }
            if (child instanceof Container container) {
                Component found = find(container, type, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
