package dev.chat.swing;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.GraphicsEnvironment;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javax.swing.SwingUtilities;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension for the tests of the real window: skips the test where there is no
 * display, catches Swing touched off the Event Dispatch Thread, gives the client a
 * preferences node of the test's own, and quits the app the test started after it.
 */
final class DesktopApp implements BeforeEachCallback, AfterEachCallback {

    private EdtViolationCheck edtCheck;
    private Preferences prefsNode;
    private ChatApp app;
    private final CountDownLatch exited = new CountDownLatch(1);

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        Assumptions.assumeFalse(GraphicsEnvironment.isHeadless(),
                "No display: the window tests need one (run the build under xvfb-run or with DISPLAY set).");
        edtCheck = EdtViolationCheck.install();
        prefsNode = Preferences.userRoot().node("dev/chat/swing-client-test/" + UUID.randomUUID());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (app != null) {
            onEdt(() -> {
                app.quit();
                return null;
            });
            assertThat(awaitExit()).as("the client ends after quitting").isTrue();
        }
        if (prefsNode != null) {
            prefsNode.removeNode();
        }
        if (edtCheck != null) {
            assertThat(edtCheck.violations()).as("Swing touched off the Event Dispatch Thread").isEmpty();
        }
    }

    /** Starts the client as {@code SwingMain} does, in the light theme; returns once its first window is made. */
    ChatApp start(ChatApp.StartOptions options) throws Exception {
        ClientPrefs prefs = prefs();
        app = onEdt(() -> {
            LookAndFeelSetup.apply(Theme.LIGHT);
            return ChatApp.start(options, prefs, exited::countDown);
        });
        return app;
    }

    /** The client's preferences, in this test's own node. */
    ClientPrefs prefs() {
        return new ClientPrefs(prefsNode);
    }

    /** The test's preferences node itself, to look at what the client stored. */
    Preferences prefsNode() {
        return prefsNode;
    }

    /** Waits up to 10 s for the client to end; whether it did. */
    boolean awaitExit() throws InterruptedException {
        return exited.await(10, TimeUnit.SECONDS);
    }

    /** Runs {@code work} on the Event Dispatch Thread and waits for its result. */
    static <T> T onEdt(Callable<T> work) throws Exception {
        FutureTask<T> task = new FutureTask<>(work);
        SwingUtilities.invokeAndWait(task);
        return task.get();
    }
}
