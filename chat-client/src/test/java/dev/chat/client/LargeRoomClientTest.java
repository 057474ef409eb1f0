package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the client keeps a large room (more members than the server's large-room size, 3 here): a count, and names asked for. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LargeRoomClientTest {

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0).largeRoomSize(3));

    private Endpoint endpoint;
    private final Recorder events = new Recorder();
    private final ChatClient alice = new ChatClient(ChatClient.Settings.defaults(), events);

    @BeforeEach
    void start() {
        endpoint = Endpoint.plain("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        alice.close();
    }

    private void signOnAlice() throws InterruptedException {
        assertThat(alice.signOn(endpoint, "alice", null, Login.Prompts.NOBODY))
                .isEqualTo(new Login.Outcome.SignedOn("alice"));
    }

    @Test
    void signingOnToALargeRoom_entersItWithItsCountAndNoNames() throws Exception {
        for (String name : List.of("bob", "carol", "dave")) {
            server.register(name);
        }
        signOnAlice();

        ClientEvent.MembersChanged changed = events.await(ClientEvent.MembersChanged.class);
        assertThat(changed.room()).isEqualTo("#lobby");
        assertThat(changed.members()).isEqualTo(new Members(List.of(), 4));
        assertThat(changed.members().large()).isTrue();
        assertThat(events.indexOf(event -> event.equals(new ClientEvent.RoomEntered("#lobby", false))))
                .isNotNegative().isLessThan(events.indexOf(event -> event == changed));
        assertThat(alice.rooms().membersOf("#lobby").total()).isEqualTo(4);
    }

    @Test
    void aRoomThatBecomesLarge_turnsIntoACount_andBackIntoTheWholeListWhenItShrinks() throws Exception {
        signOnAlice();
        WireClient bob = server.register("bob");
        server.register("carol");
        events.await(ClientEvent.MembersChanged.class, changed -> changed.members().total() == 3);
        WireClient dave = server.register("dave");
        events.await(ClientEvent.MembersChanged.class, changed -> changed.members().large());
        assertThat(alice.rooms().membersOf("#lobby")).isEqualTo(new Members(List.of(), 4));

        dave.send("/quit");
        ClientEvent.MembersChanged back = events.await(ClientEvent.MembersChanged.class,
                changed -> !changed.members().large() && changed.members().total() == 3);
        assertThat(back.members().names()).containsExactly("alice", "bob", "carol");
        bob.send("/quit");
        events.await(ClientEvent.MembersChanged.class, changed -> changed.members().names().equals(
                List.of("alice", "carol")));
    }

    @Test
    void aLargeOtherRoom_isACountToo() throws Exception {
        signOnAlice();
        for (String name : List.of("bob", "carol", "dave")) {
            server.register(name).join("#big");
        }
        alice.send("/join #big");
        ClientEvent.MembersChanged changed = events.await(ClientEvent.MembersChanged.class,
                event -> event.room().equals("#big"));
        assertThat(changed.members()).isEqualTo(new Members(List.of(), 4));
        // So is the default room, which has the same four members.
        assertThat(alice.rooms().membersOf("#lobby").large()).isTrue();
    }

    @Test
    void searchNames_findsAnyNameOfTheRoom_withoutTellingTheAnswerAsALine() throws Exception {
        for (String name : List.of("Albert", "alan", "bob", "carol")) {
            server.register(name);
        }
        signOnAlice();
        events.await(ClientEvent.MembersChanged.class);

        assertThat(alice.searchNames("#lobby", "AL").get(10, TimeUnit.SECONDS))
                .containsExactly("alan", "Albert", "alice");
        assertThat(alice.searchNames("#lobby", "zq").get(10, TimeUnit.SECONDS)).isEmpty();
        alice.send("/who #lobby b*");
        // A page the user asked for is a line like any other.
        assertThat(events.awaitLine(ServerLine.NamePage.class, page -> true).names()).containsExactly("bob");
        assertThat(events.events).filteredOn(event -> event instanceof ClientEvent.LineReceived received
                && received.line() instanceof ServerLine.NamePage).hasSize(1);
    }

    @Test
    void searchNames_failsWhenNotSignedOn() {
        assertThatThrownBy(() -> alice.searchNames("#lobby", "al").get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
    }
}
