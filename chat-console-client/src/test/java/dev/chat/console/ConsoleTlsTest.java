package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.server.ChatServer;
import dev.chat.server.ServerConfig;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The console client with TLS: trust on first use in a terminal and in scripts, a changed certificate, the wrong port. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConsoleTlsTest {

    private static final String OTHER_FINGERPRINT =
            "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF";

    /** The server's data directory, shared so that its certificate is made once for all tests. */
    @TempDir
    static Path data;

    private Path knownServers;
    @RegisterExtension
    final TestServer server = TestServer.create()
            .configure(config -> config.tls(new ServerConfig.Tls(0, null, null, data)));
    @RegisterExtension
    final ConsoleClients clients = new ConsoleClients();

    @BeforeEach
    void chooseKnownServers() {
        knownServers = clients.home().resolve("trusted").resolve("known-servers");
    }

    private String[] tlsArgs(String... more) {
        return tlsArgs(server.tlsPort(), more);
    }

    private String[] tlsArgs(int port, String... more) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--tls", "--port",
                String.valueOf(port), "--known-servers", knownServers.toString()));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    private ClientRun script(String... args) {
        return clients.script(args);
    }

    private ClientRun interactive(String... args) {
        return clients.interactive(args);
    }

    private String knownLine() {
        return "127.0.0.1:" + server.tlsPort() + " " + server.server().tlsFingerprint();
    }

    @Test
    void aPerson_isShownTheFingerprint_andAYesIsRemembered_soTheNextRunAsksNothing() throws Exception {
        WireClient bob = server.register("bob");
        ClientRun alice = interactive(tlsArgs("--name", "alice"));
        alice.awaitScreen("Trust this server and remember it? (yes/no)");
        assertThat(alice.screen.text()).contains("127.0.0.1:" + server.tlsPort(), server.server().tlsFingerprint());
        alice.type("maybe\n");
        alice.awaitScreen("Please answer yes or no.");
        alice.type("yes\n");
        alice.awaitScreen("Welcome, alice!");
        alice.type("hello over tls\n");
        bob.awaitBody("alice: hello over tls");
        alice.type("/quit\n");
        assertThat(alice.awaitExit()).isZero();
        assertThat(Files.readAllLines(knownServers)).containsExactly(knownLine());

        ClientRun again = interactive(tlsArgs("--name", "alice2"));
        again.awaitScreen("Welcome, alice2!");
        assertThat(again.screen.text()).doesNotContain("Trust this server");
        again.type("/quit\n");
        assertThat(again.awaitExit()).isZero();
    }

    @Test
    void aPersonSayingNo_endsWithSix_andNothingIsRemembered() throws Exception {
        ClientRun alice = interactive(tlsArgs("--name", "alice"));
        alice.awaitScreen("Trust this server and remember it? (yes/no)");
        alice.type("no\n");

        assertThat(alice.awaitExit()).isEqualTo(6);
        assertThat(alice.errors.text()).contains("the server's certificate is not trusted");
        assertThat(Files.exists(knownServers)).isFalse();
        assertThat(server.userCount()).isZero();
    }

    @Test
    void aScript_refusesAServerNotKnownYet_withSix_sayingHowToTrustIt() throws Exception {
        ClientRun bot = script(tlsArgs("--name", "bot"));

        assertThat(bot.awaitExit()).isEqualTo(6);
        assertThat(bot.errors.text().lines()).hasSize(2);
        assertThat(bot.errors.text()).contains("not trusted", "--trust-fingerprint " + server.server().tlsFingerprint());
        assertThat(Files.exists(knownServers)).isFalse();
    }

    @Test
    void aScriptWithTheRightFingerprint_chatsOverTls_andRemembersIt() throws Exception {
        WireClient bob = server.register("bob");
        String typed = server.server().tlsFingerprint().replace(":", "").toLowerCase();
        ClientRun bot = script(tlsArgs("--name", "bot", "--trust-fingerprint", typed));
        bot.type("build 42 passed\n");
        bot.keyboard.close();

        assertThat(bot.awaitExit()).isZero();
        bob.awaitBody("bot: build 42 passed");
        assertThat(bot.errors.text()).isEmpty();
        assertThat(Files.readAllLines(knownServers)).containsExactly(knownLine());
    }

    @Test
    void aScriptWithAnotherFingerprint_isRefused() throws Exception {
        ClientRun bot = script(tlsArgs("--name", "bot", "--trust-fingerprint", OTHER_FINGERPRINT));

        assertThat(bot.awaitExit()).isEqualTo(6);
        assertThat(bot.errors.text()).contains(server.server().tlsFingerprint() + ", not the one given with --trust-fingerprint");
        assertThat(Files.exists(knownServers)).isFalse();
    }

    @Test
    void aChangedCertificate_isRefusedLoudlyWithSeven_evenInATerminal_andTheFileIsKept() throws Exception {
        Files.createDirectories(knownServers.getParent());
        String remembered = "127.0.0.1:" + server.tlsPort() + " " + OTHER_FINGERPRINT + "\n";
        Files.writeString(knownServers, remembered);

        ClientRun alice = interactive(tlsArgs("--name", "alice", "--trust-fingerprint", server.server().tlsFingerprint()));

        assertThat(alice.awaitExit()).isEqualTo(7);
        assertThat(alice.screen.text()).doesNotContain("Trust this server");
        assertThat(alice.errors.text())
                .contains("WARNING: THE CERTIFICATE OF 127.0.0.1:" + server.tlsPort() + " HAS CHANGED",
                        "Trusted before: " + OTHER_FINGERPRINT, "Shown now: " + server.server().tlsFingerprint(),
                        "man-in-the-middle", "delete the line", knownServers.toString());
        assertThat(Files.readString(knownServers)).isEqualTo(remembered);
        assertThat(server.userCount()).isZero();
    }

    @Test
    void aServerWithANewCertificateOnTheSamePort_isRefused() throws Exception {
        ClientRun first = script(tlsArgs("--name", "bot", "--trust-fingerprint", server.server().tlsFingerprint()));
        first.keyboard.close();
        assertThat(first.awaitExit()).isZero();
        int port = server.tlsPort();
        String before = server.server().tlsFingerprint();
        server.stop();
        // Another data directory: another self-signed certificate on the same host and port.
        ChatServer other = server.closeAfter(ChatServer.start(ServerConfig.defaults().toBuilder().bind("127.0.0.1")
                .port(0).tls(new ServerConfig.Tls(port, null, null, clients.home().resolve("other-data"))).build()));
        assertThat(other.tlsFingerprint()).isNotEqualTo(before);

        ClientRun second = script(tlsArgs(port, "--name", "bot"));

        assertThat(second.awaitExit()).isEqualTo(7);
        assertThat(second.errors.text()).contains("HAS CHANGED", before, other.tlsFingerprint());
    }

    @Test
    void tlsOnThePlainPort_isOneClearLineAndTwo() throws Exception {
        ClientRun bot = script("--host", "127.0.0.1", "--tls", "--port", String.valueOf(server.port()),
                "--known-servers", knownServers.toString(), "--name", "bot");

        assertThat(bot.awaitExit()).isEqualTo(2);
        assertThat(bot.errors.text().lines()).singleElement().asString().isEqualTo("Cannot connect to 127.0.0.1:"
                + server.port() + ": the server did not answer with TLS (is this the plain port?)");
    }

    @Test
    void withTls_thePortDefaultsTo5556() throws Exception {
        // Nothing needs to listen there: the message names the port that was tried.
        ClientRun bot = script("--host", "127.0.0.1", "--tls", "--known-servers", knownServers.toString(),
                "--name", "bot", "--connect-timeout", "2s");

        assertThat(bot.awaitExit()).isIn(2, 6, 7);
        assertThat(bot.errors.text()).contains("127.0.0.1:5556");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void withReconnect_aTlsSessionComesBackWithoutAsking() throws Exception {
        ClientRun bot = script(tlsArgs("--name", "bot", "--reconnect", "--trust-fingerprint", server.server().tlsFingerprint()));
        ConsoleClients.sayAcrossARestart(bot, server);
        bot.keyboard.close();
        assertThat(bot.awaitExit()).isZero();
    }
}
