package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.Folders;
import dev.chat.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension for the clients with keys one test signs on to its {@link TestServer}:
 * each pins the keys it meets in a home of its own below a folder made for the test, and all of
 * them are closed, and the folder removed, after it. Register it after the server, so that the
 * clients close before the server stops.
 *
 * <pre>{@code
 * @RegisterExtension final TestServer server = TestServer.create();
 * @RegisterExtension final KeyHolders users = new KeyHolders(server);
 * ...
 * KeyHolders.User alice = users.signOn("alice", Identity.generate(), "alice", settings -> settings);
 * }</pre>
 */
final class KeyHolders implements BeforeEachCallback, AfterEachCallback {

    /** A signed-on client with keys, what it was told, and the keys it pinned. */
    record User(ChatClient client, Recorder events, Identity keys, KnownKeys known) {
    }

    private final TestServer server;
    private final List<ChatClient> clients = new ArrayList<>();
    private Path folder;

    KeyHolders(TestServer server) {
        this.server = server;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        folder = Files.createTempDirectory("chat-client-homes");
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            clients.forEach(ChatClient::close);
        } finally {
            clients.clear();
            Folders.deleteTree(folder);
        }
    }

    /** The test's folder, which holds the users' homes; files of the test's own may go in it too. */
    Path folder() {
        return folder;
    }

    /**
     * Signs {@code name} on with {@code keys}, pinning keys in {@code home} (below {@link #folder()}),
     * its client's settings those {@code settings} makes of the defaults without reconnecting; returns
     * once the server has published its key.
     */
    User signOn(String name, Identity keys, String home, UnaryOperator<ChatClient.Settings> settings)
            throws Exception {
        Recorder events = new Recorder();
        KnownKeys known = KnownKeys.inHome(folder.resolve(home));
        ChatClient client = closedAfterTheTest(new ChatClient(
                settings.apply(ChatClient.Settings.defaults().withReconnect(false)).withIdentity(keys, known), events));
        assertThat(client.signOn(Endpoint.plain("127.0.0.1", server.port()), name, null, Login.Prompts.NOBODY))
                .isEqualTo(new Login.Outcome.SignedOn(name));
        events.awaitLine(ServerLine.Published.class, line -> true);
        return new User(client, events, keys, known);
    }

    /** {@code client}, closed after the test with the others. */
    ChatClient closedAfterTheTest(ChatClient client) {
        clients.add(client);
        return client;
    }
}
