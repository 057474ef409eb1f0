package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.server.ChatServer;
import dev.chat.server.ServerConfig;
import dev.chat.testkit.TestServer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console client and a server password: given, typed without echo, wrong, missing, and again on reconnect. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsolePasswordTest {

    private static final String SECRET = "correct horse 7";

    @RegisterExtension
    final TestServer server = TestServer.create().password(SECRET);
    @RegisterExtension
    final ConsoleClients clients = new ConsoleClients();

    private String[] args(String... more) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(server.port())));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private ClientRun script(String... args) {
        return clients.script(args(args));
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
        ClientRun alice = clients.interactive(args("--name", "alice"));
        alice.awaitScreen("Server password: ");
        alice.type(SECRET + "\n");
        alice.awaitScreen("Welcome, alice!");
        alice.type("/quit\n");

        assertThat(alice.awaitExit()).isZero();
        assertThat(alice.screen.text()).doesNotContain(SECRET).doesNotContain("send /pass");
        assertThat(Files.readString(clients.home().resolve(".chat").resolve("console-history"))).doesNotContain(SECRET);
    }

    @Test
    void aPasswordForAServerThatHasNone_isNotSent() throws Exception {
        try (ChatServer open = ChatServer.start(ServerConfig.defaults().withBind("127.0.0.1").withPort(0))) {
            ClientRun bot = clients.script("--host", "127.0.0.1", "--port", String.valueOf(open.port()),
                    "--name", "bot", "--password", SECRET);
            bot.keyboard.close();

            assertThat(bot.awaitExit()).isZero();
            assertThat(bot.screen.text()).contains("*** Welcome, bot!").doesNotContain("No password is needed");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void withReconnect_thePasswordIsGivenAgain() throws Exception {
        ClientRun bot = script("--name", "bot", "--reconnect", "--password", SECRET);
        ConsoleClients.sayAcrossARestart(bot, server);
        bot.keyboard.close();
        assertThat(bot.awaitExit()).isZero();
    }
}
