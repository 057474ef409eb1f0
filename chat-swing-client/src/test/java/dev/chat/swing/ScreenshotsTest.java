package dev.chat.swing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ServerLine;
import dev.chat.swing.model.ChatModel;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.awt.GraphicsEnvironment;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javax.imageio.ImageIO;
import javax.swing.JRootPane;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Renders the real window in a real conversation, in the light and the dark theme, into
 * {@code gui-light.png} and {@code gui-dark.png} in the directory named by the system
 * property {@code chat.screenshots}. Runs only when that property is set.
 */
@EnabledIfSystemProperty(named = "chat.screenshots", matches = ".+")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScreenshotsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final TestServer server = TestServer.create();

    @Test
    void writesLightAndDarkScreenshotsOfAConversation() throws Exception {
        Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(), "No display to render the window on.");
        Path directory = Path.of(System.getProperty("chat.screenshots"));
        Files.createDirectories(directory);
        Preferences node = Preferences.userRoot().node("dev/chat/swing-client-test/" + UUID.randomUUID());
        CountDownLatch exited = new CountDownLatch(1);
        ChatApp app = null;
        try {
            WireClient bob = server.register("bob");
            WireClient carol = server.register("carol");
            ClientPrefs prefs = new ClientPrefs(node);
            app = onEdt(() -> {
                LookAndFeelSetup.apply(Theme.LIGHT);
                return ChatApp.start(new ChatApp.StartOptions("127.0.0.1", server.port(), "alice"), prefs,
                        exited::countDown);
            });
            ChatApp started = app;
            await().atMost(WAIT).until(() -> onEdt(() -> started.window().frame().isShowing()
                    && started.window().statusText().startsWith("Connected")));

            bob.send("/topic Weekly release: builds, tests and the changelog");
            bob.send("/join #design");
            bob.send("/topic New icons and the dark theme");
            bob.send("/in #design The new icon set is in the shared folder.");
            carol.send("/join #design");
            carol.send("/in #design /me likes the rounded corners");
            carol.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.Action action));
            carol.send("/in #lobby Has anyone tried the new build yet?");
            bob.send("/in #lobby Yes, runs fine here. Release notes: https://example.org/chat/releases");
            bob.await(line -> line instanceof ServerLine.Chat chat && chat.from().equals("bob"));
            app.model().joinRoom("#design");
            await().atMost(WAIT).until(() -> onEdt(() -> started.window().tabTitles())
                    .equals(List.of("#lobby", "#design")));
            app.model().send("#design", "Looks great, I'll try them in the dark theme.");
            onEdt(() -> {
                started.window().tabs().setSelectedIndex(0);
                return null;
            });
            carol.await(line -> line instanceof ServerLine.InRoom(String r, ServerLine.Chat chat)
                    && chat.from().equals("alice"));
            carol.send("/in #design alice: the dark variants are in there too");
            app.model().send(ChatModel.ROOM, "Great, I'll update tonight.");
            bob.await(line -> line instanceof ServerLine.Chat chat && chat.from().equals("alice"));
            WireClient dave = server.register("dave");
            dave.send("hey alice, could you review my change when you have a minute?");
            bob.send("/msg alice did you see the build numbers?");
            await().atMost(WAIT).until(() -> onEdt(() -> started.window().tabTitles()).size() == 3);
            app.model().send("bob", "not yet, sending them over");
            carol.send("/in #lobby dave: the tests are green now");
            await().atMost(WAIT).until(() -> onEdt(() -> started.window().conversationText(ChatModel.ROOM))
                    .contains("the tests are green now"));
            await().atMost(WAIT).until(() -> onEdt(() -> started.window().conversationText("bob"))
                    .contains("sending them over"));
            await().atMost(WAIT).until(() -> onEdt(() -> started.window().conversationText("#design"))
                    .contains("the dark variants are in there too"));
            await().atMost(WAIT).until(() -> onEdt(() -> started.window().tabTitles())
                    .equals(List.of("#lobby", "#design (1)", "bob (1)")));

            BufferedImage light = onEdt(() -> render(started.window()));
            onEdt(() -> {
                started.window().switchTheme(Theme.DARK);
                started.window().tabs().setSelectedIndex(1);
                return null;
            });
            await().atMost(WAIT).until(() -> onEdt(() -> started.window().shownUsers())
                    .equals(List.of("alice", "bob", "carol")));
            BufferedImage dark = onEdt(() -> render(started.window()));
            ImageIO.write(light, "png", directory.resolve("gui-light.png").toFile());
            ImageIO.write(dark, "png", directory.resolve("gui-dark.png").toFile());
            assertThat(new ClientPrefs(node).theme()).isEqualTo(Theme.DARK);
        } finally {
            if (app != null) {
                ChatApp running = app;
                onEdt(() -> {
                    running.quit();
                    return null;
                });
                exited.await(10, TimeUnit.SECONDS);
            }
            node.removeNode();
        }
    }

    private static BufferedImage render(MainWindow window) {
        JRootPane root = window.frame().getRootPane();
        root.validate();
        BufferedImage image = new BufferedImage(root.getWidth(), root.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        root.printAll(g);
        g.dispose();
        return image;
    }

    private static <T> T onEdt(Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        SwingUtilities.invokeAndWait(task);
        return task.get();
    }

}
