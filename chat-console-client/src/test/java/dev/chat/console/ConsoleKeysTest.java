package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.client.identity.IdentityFile;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The console client with keys, against a real server: a key made on first use, private messages
 * sealed between two console clients (the server's log holds no text of them) and plain to and
 * from nc, marked either way; a changed key held until /accept; /verify's safety number the same
 * on both sides; /register; and --no-keys.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ConsoleKeysTest {

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));
    @RegisterExtension
    final ConsoleClients clients = new ConsoleClients();

    /** A person at a terminal, with a home of their own (so a key of their own). */
    private ClientRun person(String home, String... args) throws Exception {
        Path folder = Files.createDirectories(clients.home().resolve(home));
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(server.port()),
                "--no-color"));
        all.addAll(List.of(args));
        return clients.closedAfterTheTest(ClientRun.interactive(folder, all.toArray(String[]::new)));
    }

    private ClientRun signedOn(String name) throws Exception {
        return signedOn(name, name);
    }

    private ClientRun signedOn(String name, String home) throws Exception {
        ClientRun run = person(home, "--name", name);
        run.awaitScreen("Published key ");
        return run;
    }

    @Test
    void twoConsoleClients_exchangeSealedPrivateMessages_thatTheServerCannotRead() throws Exception {
        ClientRun alice = signedOn("alice");
        ClientRun bob = signedOn("bob");
        assertThat(alice.screen.text()).contains("-!- Made your key in ")
                .contains(clients.home().resolve("alice").resolve(".chat").resolve("identity").toString());
        Path identity = clients.home().resolve("alice/.chat/identity");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity))).isEqualTo("rw-------");

        String secret = "meet at the old mill " + UUID.randomUUID();
        alice.type("/msg bob " + secret + "\n");

        bob.awaitScreen("[sealed] [PM] alice: " + secret);
        alice.awaitScreen("[sealed] [PM to bob] " + secret);
        bob.type("/msg alice got it\n");
        alice.awaitScreen("[sealed] [PM] bob: got it");

        String chatLog = Files.readString(Path.of(System.getProperty("chat.log.file")), StandardCharsets.UTF_8);
        assertThat(chatLog).contains("*** sealed private message from alice to bob").doesNotContain(secret);
        assertThat(Files.readString(clients.home().resolve("alice/.chat/known-keys"))).startsWith("bob chatkey1:");
    }

    @Test
    void toAndFromAUserOfNc_privateMessagesArePlain_andMarkedNotEncrypted() throws Exception {
        WireClient carol = server.register("carol");
        ClientRun alice = signedOn("alice");

        alice.type("/msg carol hello over nc\n");
        assertThat(carol.await(ServerLine.PrivateMessage.class).text()).isEqualTo("hello over nc");
        alice.awaitScreen("[not encrypted] [PM to carol] hello over nc");

        carol.send("/msg alice plain back");
        alice.awaitScreen("[not encrypted] [PM] carol: plain back");
    }

    @Test
    void aChangedKey_isShownLoudly_andTheMessageWaitsForAccept() throws Exception {
        ClientRun alice = signedOn("alice");
        ClientRun bob = signedOn("bob");
        alice.type("/msg bob first\n");
        bob.awaitScreen("[sealed] [PM] alice: first");
        bob.type("/quit\n");
        assertThat(bob.awaitExit()).isZero();

        ClientRun otherBob = signedOn("bob", "other-bob");
        alice.type("/msg bob is it you?\n");
        alice.awaitScreen("WARNING: THE KEY OF BOB HAS CHANGED!");
        alice.awaitScreen("1 message waits. Once you are sure, type /accept bob to send them.");
        assertThat(otherBob.screen.text()).doesNotContain("is it you?");

        alice.type("/accept bob\n");
        alice.awaitScreen("Accepted the new key of bob");
        otherBob.awaitScreen("[sealed] [PM] alice: is it you?");
    }

    @Test
    void verify_showsTheSameSafetyNumberOnBothSides_andMarksTheContactVerified() throws Exception {
        ClientRun alice = signedOn("alice");
        ClientRun bob = signedOn("bob");

        alice.type("/verify bob\n");
        alice.awaitScreen("Is it the same number that bob sees? (yes/no) ");
        bob.type("/verify alice\n");
        bob.awaitScreen("Is it the same number that alice sees? (yes/no) ");
        String aliceSees = safetyNumber(alice.screen.text());
        assertThat(aliceSees).matches("(\\d{5} ){11}\\d{5}");
        assertThat(safetyNumber(bob.screen.text())).isEqualTo(aliceSees);

        alice.type("yes\n");
        alice.awaitScreen("bob is verified");
        bob.type("no\n");
        bob.awaitScreen("Not verified.");
        alice.type("/msg bob now verified\n");
        alice.awaitScreen("[sealed, verified] [PM to bob] now verified");
        bob.awaitScreen("[sealed] [PM] alice: now verified");
        assertThat(Files.readString(clients.home().resolve("alice/.chat/known-keys"))).contains(" verified");
    }

    private static String safetyNumber(String screen) {
        Matcher matcher = Pattern.compile("-!- {5}((?:\\d{5} ){5}\\d{5})\\R-!- {5}((?:\\d{5} ){5}\\d{5})").matcher(screen);
        assertThat(matcher.find()).as("a safety number on " + screen).isTrue();
        return matcher.group(1) + " " + matcher.group(2);
    }

    @Test
    void register_bindsTheName_soThatAnotherKeyCannotTakeIt() throws Exception {
        ClientRun alice = signedOn("alice");
        alice.type("/help\n");
        alice.awaitScreen("-!-   /verify NAME \u2014 show the safety number to compare with NAME");
        alice.awaitScreen("-!-   /register \u2014 register your name to your key");
        alice.type("/register\n");
        alice.awaitScreen("Registered alice to key ");
        alice.type("/quit\n");
        assertThat(alice.awaitExit()).isZero();

        try (WireClient impostor = server.connect()) {
            impostor.send("alice");
            assertThat(impostor.await(ServerLine.Error.class).code()).isEqualTo(dev.chat.protocol.ErrorCode.NAME_REGISTERED);
        }
        ClientRun again = person("alice", "--name", "alice");
        again.awaitScreen("Welcome, alice!");
    }

    @Test
    void withoutKeys_nothingIsMade_andPrivateMessagesAreMarkedNotEncrypted() throws Exception {
        ClientRun bob = signedOn("bob");
        ClientRun dave = person("dave", "--name", "dave", "--no-keys");
        dave.awaitScreen("Welcome, dave!");
        assertThat(Files.exists(clients.home().resolve("dave/.chat/identity"))).isFalse();

        bob.type("/msg dave hi dave\n");
        dave.awaitScreen("[not encrypted] [PM] bob: hi dave");
        bob.awaitScreen("[not encrypted] [PM to dave] hi dave");
        dave.type("/register\n");
        dave.awaitScreen("This client runs without keys (--no-keys)");
    }

    @Test
    void aKeyWithAPassphrase_isAskedForAtTheTerminal_andAScriptIsToldItCannotGiveOne() throws Exception {
        Path home = Files.createDirectories(clients.home().resolve("erin"));
        new IdentityFile(home.resolve(".chat/identity")).create("correct horse".toCharArray());

        ClientRun erin = person("erin", "--name", "erin");
        erin.awaitScreen("Passphrase of your key (");
        erin.type("wrong battery\n");
        erin.awaitScreen("-!- Wrong passphrase.");
        erin.type("correct horse\n");
        erin.awaitScreen("Published key ");
        assertThat(erin.screen.text()).doesNotContain("Made your key").doesNotContain("correct horse");

        ClientRun script = clients.closedAfterTheTest(ClientRun.script(home, "--host", "127.0.0.1", "--port",
                String.valueOf(server.port()), "--name", "erin2"));
        assertThat(script.awaitExit()).isEqualTo(2);
        assertThat(script.errors.text()).contains("has a passphrase, which a script cannot give")
                .contains("--no-keys");
    }

    @Test
    void aRegisteredScriptsPrivateMessage_isSealed_sentBeforeItLeaves_andReadableAfter() throws Exception {
        ClientRun bob = signedOn("bob");
        Path botHome = Files.createDirectories(clients.home().resolve("bot"));
        String[] botArgs = {"--host", "127.0.0.1", "--port", String.valueOf(server.port()), "--name", "bot"};
        // Registered once, the bot's key is there for bob even after the bot has left.
        ClientRun register = clients.closedAfterTheTest(ClientRun.script(botHome, botArgs));
        register.type("/register\n");
        register.keyboard.close();
        assertThat(register.awaitExit()).isZero();
        assertThat(register.screen.text()).contains("*** Registered bot to key ");

        ClientRun bot = clients.closedAfterTheTest(ClientRun.script(botHome, botArgs));
        bot.type("/msg bob deploy done\n");
        bot.keyboard.close();

        assertThat(bot.awaitExit()).isZero();
        bob.awaitScreen("[sealed] [PM] bot: deploy done");
        await().atMost(ClientRun.WAIT).until(() -> bot.screen.text().contains("[PM to bob] deploy done"));
        assertThat(bot.errors.text()).isEmpty();
    }
}
