package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Signing on through the client core against a real server: names, the server's password, an unreachable server. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SignOnTest {

    private static final String SECRET = "correct horse 7";

    @RegisterExtension
    final TestServer server = TestServer.create();

    private final Recorder events = new Recorder();
    private final ChatClient client = new ChatClient(ChatClient.Settings.defaults(), events);
    private final ChatClient other = new ChatClient(ChatClient.Settings.defaults(), event -> {
    });

    @AfterEach
    void stop() {
        client.close();
        other.close();
    }

    private Endpoint open() {
        return Endpoint.plain("127.0.0.1", server.port());
    }

    private Endpoint withPassword() {
        server.password(SECRET);
        return open();
    }

    /** Prompts that answer the password question with {@code password} and note every question. */
    private static Login.Prompts answering(String password, List<String> asked) {
        return new Login.Prompts() {
            @Override
            public String password(String where) {
                asked.add(where);
                return password;
            }
        };
    }

    @Test
    void signOn_givesTheNameAsTheServerSpellsIt_andTheStateSaysSo() throws Exception {
        Endpoint endpoint = open();

        Login.Outcome outcome = client.signOn(endpoint, "Alice", null, Login.Prompts.NOBODY);

        assertThat(outcome).isEqualTo(new Login.Outcome.SignedOn("Alice"));
        assertThat(client.name()).isEqualTo("Alice");
        assertThat(client.state()).isEqualTo(new ConnectionState.SignedOn(endpoint, "Alice", null));
        assertThat(events.await(ClientEvent.ConnectionChanged.class,
                changed -> changed.state() instanceof ConnectionState.SignedOn)).isNotNull();
        assertThat(events.threads).as("every event comes on the client's events thread").containsOnly("chat-events");
    }

    @Test
    void theDefaultRoom_isTheOneTheServerNames() throws Exception {
        server.configure(config -> config.defaultRoom("#main"));

        client.signOn(open(), "alice", null, Login.Prompts.NOBODY);

        events.await(ClientEvent.RoomEntered.class, entered -> entered.room().equals("#main"));
        assertThat(client.rooms().defaultRoom()).isEqualTo("#main");
        assertThat(client.rooms().joined()).containsExactly("#main");
        assertThat(events.all(ClientEvent.RoomEntered.class)).as("entered once, by its real name")
                .containsExactly(new ClientEvent.RoomEntered("#main", false));
    }

    @Test
    void aTakenName_leavesTheConnectionOpenForAnother() throws Exception {
        Endpoint endpoint = open();
        other.signOn(endpoint, "alice", null, Login.Prompts.NOBODY);

        Login.Outcome taken = client.signOn(endpoint, "ALICE", null, Login.Prompts.NOBODY);

        assertThat(taken).isInstanceOfSatisfying(Login.Outcome.NameTaken.class, t -> {
            assertThat(t.name()).isEqualTo("ALICE");
            assertThat(t.message()).contains("taken");
        });
        assertThat(taken.canTryAnotherName()).isTrue();
        assertThat(client.state()).isInstanceOf(ConnectionState.Connecting.class);
        assertThat(client.tryName("bob")).isEqualTo(new Login.Outcome.SignedOn("bob"));
        assertThat(server.userCount()).isEqualTo(2);
    }

    @Test
    void anInvalidName_isRefusedWithItsCode_andAnotherMayBeTried() throws Exception {
        Endpoint endpoint = open();

        Login.Outcome refused = client.signOn(endpoint, "no blanks", null, Login.Prompts.NOBODY);

        assertThat(refused).isInstanceOfSatisfying(Login.Outcome.Refused.class,
                r -> assertThat(r.code()).isEqualTo(ErrorCode.NAME_INVALID));
        assertThat(refused.canTryAnotherName()).isTrue();
        assertThat(client.tryName("carol")).isEqualTo(new Login.Outcome.SignedOn("carol"));
    }

    @Test
    void theServersPassword_isGivenWhenItAsks() throws Exception {
        Endpoint endpoint = withPassword();

        assertThat(client.signOn(endpoint, "alice", SECRET, Login.Prompts.NOBODY))
                .isEqualTo(new Login.Outcome.SignedOn("alice"));
    }

    @Test
    void noPassword_asksThePrompt_onceWithWhereTo() throws Exception {
        Endpoint endpoint = withPassword();
        List<String> asked = new CopyOnWriteArrayList<>();

        assertThat(client.signOn(endpoint, "alice", null, answering(SECRET, asked)))
                .isEqualTo(new Login.Outcome.SignedOn("alice"));
        assertThat(asked).containsExactly("127.0.0.1:" + server.port());
    }

    @Test
    void noPasswordAndNobodyToAsk_isPasswordWanted_andTheConnectionCloses() throws Exception {
        Endpoint endpoint = withPassword();

        Login.Outcome outcome = client.signOn(endpoint, "alice", null, Login.Prompts.NOBODY);

        assertThat(outcome).isEqualTo(new Login.Outcome.PasswordWanted(false,
                "the server 127.0.0.1:" + server.port() + " needs a password"));
        events.await(ClientEvent.ConnectionChanged.class, c -> c.state() instanceof ConnectionState.Offline);
        assertThat(server.userCount()).isZero();
    }

    @Test
    void aWrongPassword_isPasswordWanted_withoutRepeatingIt() throws Exception {
        Endpoint endpoint = withPassword();

        Login.Outcome outcome = client.signOn(endpoint, "alice", "not it", Login.Prompts.NOBODY);

        assertThat(outcome).isInstanceOfSatisfying(Login.Outcome.PasswordWanted.class, wanted -> {
            assertThat(wanted.wrong()).isTrue();
            assertThat(wanted.message()).doesNotContain("not it");
        });
        events.await(ClientEvent.ConnectionChanged.class, c -> c.state() instanceof ConnectionState.Offline);
    }

    @Test
    void aServerWithoutPassword_isNotSentOne() throws Exception {
        Endpoint endpoint = open();
        List<String> asked = new CopyOnWriteArrayList<>();

        assertThat(client.signOn(endpoint, "bob", SECRET, answering(SECRET, asked)))
                .isEqualTo(new Login.Outcome.SignedOn("bob"));
        client.send("/who");
        events.awaitLine(ServerLine.Online.class, online -> true);
        assertThat(asked).isEmpty();
        assertThat(events.all(ClientEvent.LineReceived.class)).as("the server never had to say no password is needed")
                .noneMatch(received -> received.line().body().contains("password"));
    }

    @Test
    void nothingListening_isUnreachable_sayingWhy() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }

        Login.Outcome outcome = client.signOn(Endpoint.plain("127.0.0.1", port), "alice", null, Login.Prompts.NOBODY);

        assertThat(outcome).isInstanceOfSatisfying(Login.Outcome.Unreachable.class, unreachable -> {
            assertThat(unreachable.message()).isEqualTo("Cannot connect to 127.0.0.1:" + port
                    + ": connection refused (is the server running?)");
            assertThat(unreachable.failure().reason()).isEqualTo(ConnectFailedException.Reason.REFUSED);
        });
        assertThat(client.state()).isInstanceOf(ConnectionState.Offline.class);
    }

    @Test
    void sendingBeforeSigningOn_failsClearly() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.send("hello"))
                .isInstanceOf(IOException.class).hasMessage("not connected");
    }
}
