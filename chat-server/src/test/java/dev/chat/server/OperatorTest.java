package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Operators: logging in, kicking, banning by name and by address, announcing; and it all in chat.log. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorTest {

    private static final String OPERATOR_PASSWORD = "op-secret-42";

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0));

    @BeforeEach
    void operatorAccount() {
        Path operators = server.file("operators", Operators.entry("admin", OPERATOR_PASSWORD.toCharArray()) + "\n");
        server.configure(config -> config.operatorsFile(operators));
    }

    private WireClient operator(String name) throws IOException {
        WireClient client = server.register(name);
        client.send("/oper admin " + OPERATOR_PASSWORD);
        assertThat(client.await(ServerLine.Info.class).text()).contains("operator now");
        return client;
    }

    private static String chatLog() throws IOException {
        return Files.readString(Path.of(System.getProperty("chat.log.file")));
    }

    @Test
    void oper_withAWrongPasswordFailsWithoutSayingWhy() throws IOException {
        WireClient alice = server.register("alice");
        alice.send("/oper admin wrong-one");
        ServerLine.Error error = alice.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.OPER_FAILED);
        assertThat(error.text()).doesNotContain("wrong-one");
        alice.send("/kick alice");
        assertThat(alice.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NOT_OPERATOR);
    }

    @Test
    void kick_disconnectsWithTheReasonForAll() throws IOException {
        WireClient op = operator("opal");
        WireClient bob = server.register("bob");
        WireClient carol = server.register("carol");
        op.send("/kick BOB enough spam");
        ServerLine.Error kicked = (ServerLine.Error) ServerLine.parse(bob.readToEnd().getLast());
        assertThat(kicked.code()).isEqualTo(ErrorCode.KICKED);
        assertThat(kicked.text()).contains("opal", "enough spam");
        assertThat(carol.await(ServerLine.Left.class).reason()).isEqualTo("kicked by opal: enough spam");
        assertThat(chatLog()).contains("*** opal is an operator now (account admin)", "*** opal kicked bob (enough spam)");
    }

    @Test
    void banByName_disconnectsAndKeepsTheNameOutUntilUnbanned() throws IOException {
        WireClient op = operator("opal");
        WireClient mallory = server.register("mallory");
        op.send("/ban mallory 1h flooding the lobby");
        assertThat(op.await(ServerLine.Info.class).text()).matches("Banned mallory until \\S+Z\\.");
        assertThat(((ServerLine.Error) ServerLine.parse(mallory.readToEnd().getLast())).code())
                .isEqualTo(ErrorCode.BANNED);
        try (WireClient again = WireClient.connect(server.port())) {
            again.send("Mallory");
            ServerLine.Error banned = (ServerLine.Error) ServerLine.parse(again.readToEnd().getLast());
            assertThat(banned.code()).isEqualTo(ErrorCode.BANNED);
            assertThat(banned.text()).contains("until", "flooding the lobby");
        }
        op.send("/bans");
        assertThat(op.await(ServerLine.Info.class).text()).isEqualTo("1 ban:");
        assertThat(op.await(ServerLine.Info.class).text()).contains("mallory", "by opal", "flooding the lobby");
        op.send("/unban mallory");
        op.await(ServerLine.Info.class);
        // The banned session gives its name up on its way out, which may end just after its client saw the end.
        await().atMost(Duration.ofSeconds(10)).until(() -> server.server().registry().find("mallory") == null);
        server.register("mallory");
        assertThat(chatLog()).contains("*** opal banned mallory until", "*** opal lifted the ban on mallory");
    }

    @Test
    void banByAddress_refusesConnectionsFromItWithOneLine() throws IOException {
        WireClient op = operator("opal");
        InetAddress other = InetAddress.getByName("127.0.0.2");
        WireClient fromOther = server.connectFrom(other).register("visitor");
        op.send("/ban 127.0.0.2 bots from there");
        assertThat(((ServerLine.Error) ServerLine.parse(fromOther.readToEnd().getLast())).code())
                .isEqualTo(ErrorCode.BANNED);
        try (WireClient refused = WireClient.connectFrom(other, server.port())) {
            List<String> lines = refused.readToEnd();
            assertThat(lines).hasSize(1);
            assertThat(((ServerLine.Error) ServerLine.parse(lines.getFirst())).text()).contains("for good", "bots");
        }
        server.register("still-welcome");   // 127.0.0.1 is not banned
    }

    @Test
    void bans_surviveARestart() throws IOException {
        WireClient op = operator("opal");
        op.send("/ban 127.0.0.3 testing persistence");
        op.await(ServerLine.Info.class);
        server.stop();
        server.start();
        try (WireClient refused = WireClient.connectFrom(InetAddress.getByName("127.0.0.3"), server.port())) {
            assertThat(((ServerLine.Error) ServerLine.parse(refused.readToEnd().getFirst())).code())
                    .isEqualTo(ErrorCode.BANNED);
        }
    }

    @Test
    void wall_reachesEveryoneInEveryRoom() throws IOException {
        WireClient op = operator("opal");
        WireClient elsewhere = server.register("elsewhere");
        elsewhere.send("/part");
        elsewhere.await(ServerLine.Left.class);
        op.send("/wall restart at 18:00");
        assertThat(elsewhere.await(ServerLine.Wall.class))
                .extracting(ServerLine.Wall::from, ServerLine.Wall::text).containsExactly("opal", "restart at 18:00");
        assertThat(chatLog()).contains("*** opal announced: restart at 18:00");
    }

    @Test
    void operatorPassword_neverReachesALog() throws IOException {
        operator("opal");
        WireClient other = server.register("guesser");
        other.send("/oper admin " + OPERATOR_PASSWORD + "-wrong");
        other.await(ServerLine.Error.class);
        for (String log : List.of("chat.log.file", "chat.diagnostic.file")) {
            assertThat(Files.readString(Path.of(System.getProperty(log)))).doesNotContain(OPERATOR_PASSWORD);
        }
    }
}
