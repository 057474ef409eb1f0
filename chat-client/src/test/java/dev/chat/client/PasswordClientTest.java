package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.server.ChatServer;
import dev.chat.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server password through the client core: right, wrong, missing, and given again on reconnect. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PasswordClientTest {

    private static final String SECRET = "correct horse 7";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path directory;

    private ChatServer server;
    private final List<String> disconnects = new CopyOnWriteArrayList<>();
    private final ChatClient client = new ChatClient(new ChatClient.Listener() {
        @Override
        public void onLine(ServerLine line) {
        }

        @Override
        public void onDisconnected(boolean byUs) {
            disconnects.add(byUs ? "by us" : "by the server");
        }
    });

    @BeforeEach
    void start() throws IOException {
        server = startServer(0);
    }

    private ChatServer startServer(int port) throws IOException {
        Path file = directory.resolve("password");
        Files.writeString(file, SECRET + "\n");
        return ChatServer.start(ServerConfig.defaults().toBuilder().bind("127.0.0.1").port(port).passwordFile(file)
                .build());
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void theRightPassword_isAccepted_thenTheNameIs() throws Exception {
        client.connect("127.0.0.1", server.port(), TIMEOUT);

        assertThat(client.awaitPrompt(TIMEOUT)).isEqualTo(ServerPrompt.PASSWORD);
        assertThat(client.authenticate(SECRET, TIMEOUT)).isEqualTo(new Authentication.Accepted());
        assertThat(client.register("alice", TIMEOUT)).isEqualTo(new Registration.Accepted("alice"));
    }

    @Test
    void aWrongPassword_isItsOwnOutcome_andTheServerHangsUp() throws Exception {
        client.connect("127.0.0.1", server.port(), TIMEOUT);

        Authentication answer = client.authenticate("not it", ChatClient.PASSWORD_TIMEOUT);

        assertThat(answer).isInstanceOfSatisfying(Authentication.Wrong.class,
                wrong -> assertThat(wrong.message()).doesNotContain("not it"));
        await().atMost(TIMEOUT).until(() -> !client.isConnected());
        assertThat(disconnects).containsExactly("by the server");
    }

    @Test
    void aNameWithoutThePassword_isRefusedAsPasswordRequired() throws Exception {
        client.connect("127.0.0.1", server.port(), TIMEOUT);

        Registration answer = client.register("alice", TIMEOUT);

        assertThat(answer).isInstanceOfSatisfying(Registration.Refused.class,
                refused -> assertThat(refused.code()).isEqualTo(ErrorCode.PASSWORD_REQUIRED));
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void aServerWithoutPassword_isNotSentOne() throws Exception {
        try (ChatServer open = ChatServer.start(ServerConfig.defaults().withBind("127.0.0.1").withPort(0))) {
            client.connect("127.0.0.1", open.port(), TIMEOUT);

            assertThat(client.authenticate(SECRET, TIMEOUT)).isEqualTo(new Authentication.NotNeeded());
            assertThat(client.register("bob", TIMEOUT)).isEqualTo(new Registration.Accepted("bob"));
        }
    }

    @Test
    void theReconnectorGivesThePasswordAgain() throws Exception {
        client.connect("127.0.0.1", server.port(), TIMEOUT);
        client.authenticate(SECRET, TIMEOUT);
        client.register("alice", TIMEOUT);
        int port = server.port();
        server.close();
        await().atMost(TIMEOUT).until(() -> !client.isConnected());
        server = startServer(port);

        List<String> heard = new CopyOnWriteArrayList<>();
        Reconnector reconnector = new Reconnector(client, Endpoint.plain("127.0.0.1", port), SECRET, TIMEOUT, TIMEOUT);
        reconnector.start("alice", new Reconnector.Listener() {
            @Override
            public void onCountdown(int attempt, Duration remaining) {
            }

            @Override
            public void onAttemptFailed(int attempt, String reason) {
                heard.add("failed: " + reason);
            }

            @Override
            public void onReconnected(String name) {
                heard.add("back " + name);
            }

            @Override
            public void onGaveUp(String reason) {
                heard.add("gave up: " + reason);
            }
        });

        assertThat(reconnector.await(TIMEOUT)).isTrue();
        assertThat(heard).containsExactly("back alice");
        assertThat(server.userCount()).isEqualTo(1);
    }

    @Test
    void theReconnectorGivesUpWhenThePasswordIsMissing() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        Reconnector reconnector = new Reconnector(client, Endpoint.plain("127.0.0.1", server.port()), null, TIMEOUT,
                TIMEOUT);
        reconnector.start("alice", new Reconnector.Listener() {
            @Override
            public void onCountdown(int attempt, Duration remaining) {
            }

            @Override
            public void onAttemptFailed(int attempt, String reason) {
                heard.add("failed: " + reason);
            }

            @Override
            public void onReconnected(String name) {
                heard.add("back " + name);
            }

            @Override
            public void onGaveUp(String reason) {
                heard.add("gave up: " + reason);
            }
        });

        assertThat(reconnector.await(TIMEOUT)).isTrue();
        assertThat(heard).containsExactly("gave up: the server now asks for a password");
        assertThat(server.userCount()).isZero();
    }
}
