package dev.chat.swing;

import static dev.chat.swing.DesktopApp.onEdt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.client.KnownServers;
import dev.chat.client.TrustPrompt;
import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.swing.model.ChatModel;
import dev.chat.swing.model.ModelEvent;
import dev.chat.testkit.TestServer;
import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.swing.AbstractButton;
import javax.swing.JDialog;
import javax.swing.JFileChooser;
import javax.swing.JMenuItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real window and direct connections, on a display (Xvfb in the build), against a real
 * server: the user list's Direct connection item asks, a file offered is saved where the file
 * chooser says with a progress bar shown meanwhile, and an offer received is answered in a dialog.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SwingDirectWindowTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    @RegisterExtension
    final DesktopApp desktop = new DesktopApp();

    @TempDir
    Path homes;

    private ChatApp app;
    private ChatModel alice;
    private final List<ModelEvent> aliceEvents = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAlice() {
        if (alice != null) {
            alice.close();
        }
    }

    private MainWindow window() {
        return app.window();
    }

    @Test
    void theUserListAsks_aFileIsSavedWhereChosen_andAnOfferIsAnsweredInADialog() throws Exception {
        Path bobHome = Files.createDirectories(homes.resolve("bob"));
        app = desktop.start(new ChatApp.StartOptions("127.0.0.1", server.port(), "bob", false, null, null, bobHome));
        await().atMost(WAIT).until(() -> onEdt(() -> window().statusText().startsWith("Connected to")));
        Path aliceHome = Files.createDirectories(homes.resolve("alice"));
        alice = new ChatModel(aliceEvents::add, KnownServers.inHome(aliceHome), TrustPrompt.REFUSE, Identity.generate(),
                KnownKeys.inHome(aliceHome));
        alice.connect("127.0.0.1", server.port(), "alice");
        await().atMost(WAIT).until(() -> onEdt(() -> window().shownUsers()).contains("alice"));

        // Right-click › Direct connection on alice; alice's client accepts.
        onEdt(() -> {
            window().userList().list().setSelectedValue("alice", false);
            JMenuItem item = (JMenuItem) find(window().userList().menu(), JMenuItem.class, "direct-connection");
            item.doClick();
            return null;
        });
        await().atMost(WAIT).until(() -> aliceEvents.stream().anyMatch(e -> e instanceof ModelEvent.DirectOffered));
        alice.answerDirect("bob", true);
        await().atMost(WAIT).until(() -> String.valueOf(onEdt(() -> window().conversationText("alice")))
                .contains("Direct connection with alice open (127.0.0.1:"));

        // A file from alice: the chooser says where, a bar shows how far, nothing is left under way.
        byte[] content = new byte[4 * 1024 * 1024];
        new Random(11).nextBytes(content);
        alice.sendFile("bob", Files.write(aliceHome.resolve("slides.odp"), content));
        JDialog chooserDialog = await().atMost(WAIT).until(() -> onEdt(() -> dialogTitled("alice sends slides.odp")),
                d -> d != null);
        Path target = bobHome.resolve("kept slides.odp");
        onEdt(() -> {
            JFileChooser chooser = (JFileChooser) find(chooserDialog, JFileChooser.class, null);
            chooser.setSelectedFile(target.toFile());
            chooser.approveSelection();
            return null;
        });
        await().atMost(WAIT).until(() -> String.valueOf(onEdt(() -> window().conversationText("alice")))
                .contains("slides.odp from alice saved as " + target));
        assertThat(Files.readAllBytes(target)).isEqualTo(content);
        assertThat(onEdt(() -> window().transfers().shown())).isEqualTo(1);
        assertThat(onEdt(() -> window().transfers().count())).isZero();
        assertThat(onEdt(() -> window().transfers().component().isVisible())).isFalse();

        // alice hangs up and asks again: a dialog asks bob, who accepts.
        alice.hangUp("bob");
        await().atMost(WAIT).until(() -> String.valueOf(onEdt(() -> window().conversationText("alice")))
                .contains("Direct connection with alice ended"));
        alice.offerDirect("bob");
        JDialog question = await().atMost(WAIT).until(() -> onEdt(() -> dialogTitled("Direct connection")),
                d -> d != null);
        onEdt(() -> {
            ((AbstractButton) findButton(question, "Yes")).doClick();
            return null;
        });
        await().atMost(WAIT).until(() -> String.valueOf(onEdt(() -> window().conversationText("alice")))
                .split("Direct connection with alice open").length == 3);
    }

    /** The dialog showing with a title that starts with {@code title}, or null. */
    private static JDialog dialogTitled(String title) {
        for (Window window : Window.getWindows()) {
            if (window instanceof JDialog dialog && dialog.isShowing() && dialog.getTitle() != null
                    && dialog.getTitle().startsWith(title)) {
                return dialog;
            }
        }
        return null;
    }

    private static Component findButton(Container root, String text) {
        for (Component child : root.getComponents()) {
            if (child instanceof AbstractButton button && text.equals(button.getText())) {
                return child;
            }
            if (child instanceof Container container) {
                Component found = findButton(container, text);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** The first component of {@code type} in {@code root}, named {@code name} unless it is null. */
    private static Component find(Container root, Class<?> type, String name) {
        if (type.isInstance(root) && (name == null || name.equals(root.getName()))) {
            return root;
        }
        for (Component child : root.getComponents()) {
            if (child instanceof Container container) {
                Component found = find(container, type, name);
                if (found != null) {
                    return found;
                }
            } else if (type.isInstance(child) && (name == null || name.equals(child.getName()))) {
                return child;
            }
        }
        return null;
    }
}
