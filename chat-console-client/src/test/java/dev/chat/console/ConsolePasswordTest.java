package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.server.ChatServer;
import dev.chat.server.ServerConfig;
import dev.chat.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The console client and a server password: given, typed without echo, wrong, missing, and again on reconnect. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsolePasswordTest {

    private static final String SECRET = "correct horse 7";

    @TempDir
    Path home;

    @RegisterExtension
    final TestServer server = TestServer.create().password(SECRET);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
    }

    private String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(server.port())));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private ClientRun script(String... args) {
        ClientRun run = ClientRun.script(home, args(args));
        closeables.add(run);
        return run;
    }

    @Test
    void aScriptWithThePassword_chats() throws Exception {
        ClientRun bot = script("--name", "bot", "--password", SECRET);
        bot.type("in with the password\n");
        bot.keyboard.close();

        assertThat(bot.awaitExit()).isZero();
        assertThat(bot.screen.text()).contains("*** Welcome, bot!", "bot: in with the password");
        assertThat(bot.errors.text()).isEmpty();
    }

    @Test
    void thePasswordFromAFile_works() throws Exception {
        ClientRun bot = script("--name", "bot", "--password-file", server.directory().resolve("password").toString());
        bot.keyboard.close();

        assertThat(bot.awaitExit()).isZero();
        assertThat(bot.screen.text()).contains("*** Welcome, bot!");
    }

    @Test
    void aWrongPassword_isOneLineAndFive_neverShowingThePassword() throws Exception {
        ClientRun bot = script("--name", "bot", "--password", "guess-" + SECRET);

        assertThat(bot.awaitExit()).isEqualTo(5);
        assertThat(bot.errors.text().lines()).singleElement().asString()
                .startsWith("The server 127.0.0.1:" + server.port() + " refused the password");
        assertThat(bot.errors.text() + bot.screen.text()).doesNotContain(SECRET);
        assertThat(server.userCount()).isZero();
    }

    @Test
    void aScriptWithoutThePassword_isOneLineAndFive() throws Exception {
        ClientRun bot = script("--name", "bot");

        assertThat(bot.awaitExit()).isEqualTo(5);
        assertThat(bot.errors.text().lines()).singleElement().asString()
                .isEqualTo("The server 127.0.0.1:" + server.port()
                        + " needs a password: give it with --password or --password-file.");
    }

    @Test
    void aPerson_isAskedForThePassword_andItIsNotEchoed() throws Exception {
        ClientRun alice = ClientRun.interactive(home, args("--name", "alice"));
        closeables.add(alice);
        alice.awaitScreen("Server password: ");
        alice.type(SECRET + "\n");
        alice.awaitScreen("Welcome, alice!");
        alice.type("/quit\n");

        assertThat(alice.awaitExit()).isZero();
        assertThat(alice.screen.text()).doesNotContain(SECRET).doesNotContain("send /pass");
        assertThat(Files.readString(home.resolve(".chat").resolve("console-history"))).doesNotContain(SECRET);
    }

    @Test
    void aPasswordForAServerThatHasNone_isNotSent() throws Exception {
        try (ChatServer open = ChatServer.start(ServerConfig.defaults().withBind("127.0.0.1").withPort(0))) {
            ClientRun bot = ClientRun.script(home, "--host", "127.0.0.1", "--port", String.valueOf(open.port()),
                    "--name", "bot", "--password", SECRET);
            closeables.add(bot);
            bot.keyboard.close();

            assertThat(bot.awaitExit()).isZero();
            assertThat(bot.screen.text()).contains("*** Welcome, bot!").doesNotContain("No password is needed");
        }
    }

    @Test
    void withReconnect_thePasswordIsGivenAgain() throws Exception {
        ClientRun bot = script("--name", "bot", "--reconnect", "--password", SECRET);
        bot.type("before\n");
        await().atMost(ClientRun.WAIT).until(() -> bot.screen.text().contains("bot: before"));
        int port = server.port();

        server.stop();
        await().atMost(ClientRun.WAIT).until(() -> bot.errors.text().contains("reconnecting."));
        bot.type("while away\n");
        server.start();

        await().atMost(ClientRun.WAIT).until(() -> bot.screen.text().contains("bot: while away"));
        assertThat(bot.errors.text()).contains("Back online as bot.");
        bot.keyboard.close();
        assertThat(bot.awaitExit()).isZero();
    }
}
