package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Operators: logging in, kicking, banning by name and by address, announcing; and it all in chat.log. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OperatorTest {

    private static final String OPERATOR_PASSWORD = "op-secret-42";

    @TempDir
    Path directory;

    private ServerConfig config;
    private ChatServer server;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        Path operators = directory.resolve("operators");
        Files.writeString(operators, Operators.entry("admin", OPERATOR_PASSWORD.toCharArray()) + "\n");
        config = ServerConfig.defaults().toBuilder().bind("127.0.0.1").port(0).floodRate(0).operatorsFile(operators)
                .bansFile(directory.resolve("bans.tsv")).build();
        server = ChatServer.start(config);
    }

    @AfterEach
    void stop() throws IOException {
        for (TestClient client : clients) {
            client.close();
        }
        server.close();
    }

    private TestClient register(String name) throws IOException {
        TestClient client = TestClient.register(server.port(), name);
        clients.add(client);
        return client;
    }

    private TestClient operator(String name) throws IOException {
        TestClient client = register(name);
        client.send("/oper admin " + OPERATOR_PASSWORD);
        assertThat(client.await(ServerLine.Info.class).text()).contains("operator now");
        return client;
    }

    private static String chatLog() throws IOException {
        return Files.readString(Path.of(System.getProperty("chat.log.file")));
    }

    @Test
    void oper_withAWrongPasswordFailsWithoutSayingWhy() throws IOException {
        TestClient alice = register("alice");
        alice.send("/oper admin wrong-one");
        ServerLine.Error error = alice.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.OPER_FAILED);
        assertThat(error.text()).doesNotContain("wrong-one");
        alice.send("/kick alice");
        assertThat(alice.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NOT_OPERATOR);
    }

    @Test
    void kick_disconnectsWithTheReasonForAll() throws IOException {
        TestClient op = operator("opal");
        TestClient bob = register("bob");
        TestClient carol = register("carol");
        op.send("/kick BOB enough spam");
        ServerLine.Error kicked = (ServerLine.Error) ServerLine.parse(bob.readToEnd().getLast());
        assertThat(kicked.code()).isEqualTo(ErrorCode.KICKED);
        assertThat(kicked.text()).contains("opal", "enough spam");
        assertThat(carol.await(ServerLine.Left.class).reason()).isEqualTo("kicked by opal: enough spam");
        assertThat(chatLog()).contains("*** opal is an operator now (account admin)", "*** opal kicked bob (enough spam)");
    }

    @Test
    void banByName_disconnectsAndKeepsTheNameOutUntilUnbanned() throws IOException {
        TestClient op = operator("opal");
        TestClient mallory = register("mallory");
        op.send("/ban mallory 1h flooding the lobby");
        assertThat(op.await(ServerLine.Info.class).text()).matches("Banned mallory until \\S+Z\\.");
        assertThat(((ServerLine.Error) ServerLine.parse(mallory.readToEnd().getLast())).code())
                .isEqualTo(ErrorCode.BANNED);
        try (TestClient again = TestClient.connect(server.port())) {
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
        register("mallory");
        assertThat(chatLog()).contains("*** opal banned mallory until", "*** opal lifted the ban on mallory");
    }

    @Test
    void banByAddress_refusesConnectionsFromItWithOneLine() throws IOException {
        TestClient op = operator("opal");
        InetAddress other = InetAddress.getByName("127.0.0.2");
        TestClient fromOther = TestClient.register(TestClient.connectFrom(other, server.port()), "visitor");
        clients.add(fromOther);
        op.send("/ban 127.0.0.2 bots from there");
        assertThat(((ServerLine.Error) ServerLine.parse(fromOther.readToEnd().getLast())).code())
                .isEqualTo(ErrorCode.BANNED);
        try (TestClient refused = TestClient.connectFrom(other, server.port())) {
            List<String> lines = refused.readToEnd();
            assertThat(lines).hasSize(1);
            assertThat(((ServerLine.Error) ServerLine.parse(lines.getFirst())).text()).contains("for good", "bots");
        }
        register("still-welcome");   // 127.0.0.1 is not banned
    }

    @Test
    void bans_surviveARestart() throws IOException {
        TestClient op = operator("opal");
        op.send("/ban 127.0.0.3 testing persistence");
        op.await(ServerLine.Info.class);
        server.close();
        server = ChatServer.start(config);
        try (TestClient refused = TestClient.connectFrom(InetAddress.getByName("127.0.0.3"), server.port())) {
            assertThat(((ServerLine.Error) ServerLine.parse(refused.readToEnd().getFirst())).code())
                    .isEqualTo(ErrorCode.BANNED);
        }
    }

    @Test
    void wall_reachesEveryoneInEveryRoom() throws IOException {
        TestClient op = operator("opal");
        TestClient elsewhere = register("elsewhere");
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
        TestClient other = register("guesser");
        other.send("/oper admin " + OPERATOR_PASSWORD + "-wrong");
        other.await(ServerLine.Error.class);
        for (String log : List.of("chat.log.file", "chat.diagnostic.file")) {
            assertThat(Files.readString(Path.of(System.getProperty(log)))).doesNotContain(OPERATOR_PASSWORD);
        }
    }
}
