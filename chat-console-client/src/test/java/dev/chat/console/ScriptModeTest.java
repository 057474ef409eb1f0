package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The client when input is not a terminal: lines in, plain lines out, statuses for scripts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScriptModeTest {

    @RegisterExtension
    final TestServer server = TestServer.create();
    @RegisterExtension
    final ConsoleClients clients = new ConsoleClients();

    private ClientRun script(String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(server.port())));
        all.addAll(List.of(args));
        return clients.script(all.toArray(String[]::new));
    }

    @Test
    void sendsEveryLineThenQuitsAtEndOfInput() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun bot = script("--name", "bot");
        bot.type("build 42 passed\n/msg bob details in the log\n");
        bot.keyboard.close();

        assertThat(bot.awaitExit()).isZero();
        bob.awaitBody("bot: build 42 passed");
        bob.awaitBody("[PM] bot: details in the log");
        assertThat(((ServerLine.Left) bob.await(line -> line instanceof ServerLine.Left)).reason()).isEqualTo("quit");

        List<String> out = bot.screen.text().lines().toList();
        assertThat(out).allSatisfy(line -> assertThat(ServerLine.parse(line)).isNotInstanceOf(ServerLine.Unknown.class));
        assertThat(out).extracting(line -> ServerLine.parse(line).body())
                .contains("*** Enter your name:", "*** Welcome, bot!", "bot: build 42 passed", "[PM to bob] details in the log", "*** Goodbye!");
        assertThat(bot.screen.text()).doesNotContain("\u001b");
        assertThat(bot.errors.text()).isEmpty();
    }

    @Test
    void aRefusedNameIsOneLineAndExitsThree() throws Exception {
        server.register("bob");
        ClientRun bot = script("--name", "bob");

        assertThat(bot.awaitExit()).isEqualTo(3);
        assertThat(bot.errors.text().lines()).singleElement().asString()
                .startsWith("The name \"bob\" was refused (name-taken): ");
    }

    @Test
    void withoutANameItSaysSoAndExitsTwo() throws Exception {
        ClientRun bot = script();

        assertThat(bot.awaitExit()).isEqualTo(2);
        assertThat(bot.errors.text().lines()).singleElement().asString().contains("--name");
    }

    @Test
    void theServerGoingAwayEndsTheScriptWithOne() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun bot = script("--name", "bot");
        bot.type("still here\n");
        bob.awaitBody("bot: still here");
        // Input stays open: the script ends because the server went away.
        server.stop();

        assertThat(bot.awaitExit()).isEqualTo(1);
        assertThat(bot.screen.text()).contains("*** Server is shutting down.");
        assertThat(bot.errors.text().lines()).singleElement().asString().startsWith("Disconnected from 127.0.0.1:");
    }

    @Test
    void waitForLeavesOnceAMatchingLineArrives() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun bot = script("--name", "bot", "--wait-for", "^\\S+ \\[PM\\] bob: ", "--timeout", "20s");
        bot.type("/msg bob deploy now?\n");
        bot.keyboard.close();

        bob.awaitBody("[PM] bot: deploy now?");
        assertThat(bot.exited()).isFalse();
        bob.send("/msg bot yes, go");

        assertThat(bot.awaitExit()).isZero();
        assertThat(bot.screen.text()).contains("[PM] bob: yes, go");
    }

    @Test
    void waitForGivesUpAfterTheTimeoutWithFour() throws Exception {
        ClientRun bot = script("--name", "bot", "--wait-for", "never said", "--timeout", "1s");
        bot.type("anyone?\n");
        bot.keyboard.close();

        assertThat(bot.awaitExit()).isEqualTo(4);
        assertThat(bot.errors.text().lines()).singleElement().asString()
                .isEqualTo("No line matched never said within 1 s.");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void withReconnectALineTypedWhileTheServerIsAwayIsSentWhenItIsBack() throws Exception {
        ClientRun bot = script("--name", "bot", "--reconnect");
        ConsoleClients.sayAcrossARestart(bot, server);
        assertThat(bot.errors.text()).doesNotContain("not sent");
        bot.keyboard.close();
        assertThat(bot.awaitExit()).isZero();
    }
}
