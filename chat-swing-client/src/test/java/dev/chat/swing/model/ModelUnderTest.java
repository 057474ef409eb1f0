package dev.chat.swing.model;

import static org.awaitility.Awaitility.await;

import dev.chat.client.ConnectionState;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension for the model tests: one {@link ChatModel} without a window, the events
 * it tells kept in a {@link RecordingListener}, closed after the test. Register it after the
 * test's server, so that it closes first.
 */
final class ModelUnderTest implements AfterEachCallback {

    private static final Duration WAIT = Duration.ofSeconds(10);

    final RecordingListener events = new RecordingListener();
    final ChatModel model = new ChatModel(events);

    @Override
    public void afterEach(ExtensionContext context) {
        model.close();
    }

    /** Connects to the server on {@code port} as {@code name} and waits until signed on. */
    void connectAs(int port, String name) {
        model.connect("127.0.0.1", port, name);
        await().atMost(WAIT).until(() -> events.currentState() instanceof ConnectionState.SignedOn);
    }
}
