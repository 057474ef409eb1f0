package dev.chat.swing.model;

import static org.awaitility.Awaitility.await;

import dev.chat.client.KnownServers;
import dev.chat.client.TrustPrompt;
import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.testkit.Folders;
import dev.chat.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension for model tests with several users holding keys: each {@link ChatModel},
 * without a window, has new keys and a home of its own (known servers and pinned keys) below a
 * folder made for the test; all are closed, and the folder removed, after it. Register it after
 * the test's server, so that the models close first.
 */
final class ModelsWithKeys implements BeforeEachCallback, AfterEachCallback {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** A signed-on model and what it told. */
    record User(ChatModel model, RecordingListener events) {
    }

    private final TestServer server;
    private final List<ChatModel> models = new ArrayList<>();
    private Path folder;

    ModelsWithKeys(TestServer server) {
        this.server = server;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("chat-model-homes");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            models.forEach(ChatModel::close);
        } finally {
            models.clear();
            Folders.deleteTree(folder);
        }
    }

    /** The home folder named {@code home}, below the test's folder. */
    Path home(String home) {
        return folder.resolve(home);
    }

    /** Connects {@code name} with new keys and the home {@code home}; returns once its key is published. */
    User connect(String name, String home) {
        RecordingListener events = new RecordingListener();
        Path folder = home(home);
        ChatModel model = new ChatModel(events, KnownServers.inHome(folder), TrustPrompt.REFUSE, Identity.generate(),
                KnownKeys.inHome(folder));
        models.add(model);
        model.connect("127.0.0.1", server.port(), name);
        await().atMost(WAIT).until(() -> events.in(ChatModel.ROOM).stream()
                .anyMatch(e -> e.text().startsWith("Published key ")));
        return new User(model, events);
    }
}
