package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Large rooms: above the large-room size (3 here, 1,000 by default) joins and leaves go
 * unannounced, newcomers are told a count, and names are asked for in pages or by prefix.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LargeRoomTest {

    private static final int LARGE = 3;

    @RegisterExtension
    final TestServer server = TestServer.create().configure(config -> config.floodRate(0).largeRoomSize(LARGE));

    /** Says {@code marker} in the default room and reads up to its echo: whatever came before is in {@code seen()}. */
    private static void sync(WireClient client, String marker) throws IOException {
        client.send("/in #lobby " + marker);
        while (!(client.next() instanceof ServerLine.Chat chat && chat.text().equals(marker))) {
            // Reading on.
        }
    }

    private List<WireClient> register(String... names) throws IOException {
        List<WireClient> clients = new ArrayList<>();
        for (String name : names) {
            clients.add(server.register(name));
        }
        return clients;
    }

    @Test
    void atTheLargeSize_joinsAndLeavesAreAnnouncedAndTheWelcomeNamesEveryone() throws IOException {
        WireClient alice = server.register("alice");
        server.register("bob");
        WireClient carol = server.register("carol");
        assertThat(carol.seen()).anyMatch(line -> line.endsWith("*** Online (3): alice, bob, carol"));
        assertThat(alice.await(ServerLine.Joined.class).name()).isEqualTo("bob");
        assertThat(alice.await(ServerLine.Joined.class).name()).isEqualTo("carol");
        carol.send("/quit");
        assertThat(alice.await(ServerLine.Left.class).name()).isEqualTo("carol");
    }

    @Test
    void aboveTheLargeSize_theRoomSaysSoOnceAndJoinsAndLeavesGoUnannounced() throws IOException {
        WireClient alice = server.register("alice");
        register("bob", "carol");
        WireClient dave = server.register("dave");
        // Everyone already there hears once that the room became large, instead of dave's join.
        assertThat(alice.await(line -> line instanceof ServerLine.People || line instanceof ServerLine.Joined j
                && j.name().equals("dave"))).isInstanceOfSatisfying(ServerLine.People.class, people -> {
                    assertThat(people.count()).isEqualTo(4);
                    assertThat(people.room()).isEqualTo("#lobby");
                });
        // The newcomer is told how many are in the room, and no names.
        assertThat(dave.seen()).anyMatch(line -> line.endsWith("*** Online: 4 people in #lobby"));
        assertThat(dave.seen()).noneMatch(line -> line.contains("Online ("));

        WireClient erin = server.register("erin");
        assertThat(erin.seen()).anyMatch(line -> line.endsWith("*** Online: 5 people in #lobby"));
        erin.send("/quit");
        erin.readToEnd();
        sync(alice, "marker");
        assertThat(alice.seen()).noneMatch(line -> line.contains("erin"));
    }

    @Test
    void aLargeRoomThatShrinks_givesEveryoneTheWholeListAndAnnouncesAgain() throws IOException {
        WireClient alice = server.register("alice");
        List<WireClient> others = register("bob", "carol", "dave");
        alice.await(ServerLine.People.class);
        others.getLast().send("/quit");
        // Down to the large size: the room is not large any more, and everyone has the whole list.
        assertThat(alice.await(ServerLine.Online.class).names()).containsExactly("alice", "bob", "carol");
        others.get(1).send("/quit");
        assertThat(alice.await(ServerLine.Left.class).name()).isEqualTo("carol");
    }

    @Test
    void nickInALargeRoom_isToldToTheUserOnly() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        register("carol", "dave");
        bob.send("/nick robert");
        assertThat(bob.await(ServerLine.NickChanged.class).to()).isEqualTo("robert");
        sync(alice, "after the nick");
        assertThat(alice.seen()).noneMatch(line -> line.contains("known as"));
    }

    @Test
    void otherRooms_becomeLargeTooAndTagTheirCount() throws IOException {
        List<WireClient> clients = register("alice", "bob", "carol", "dave");
        for (WireClient client : clients.subList(0, 3)) {
            client.join("#big");
        }
        WireClient dave = clients.getLast();
        dave.send("/join #big");
        assertThat(dave.awaitIn("#big", ServerLine.People.class)).satisfies(people -> {
            assertThat(people.count()).isEqualTo(4);
            assertThat(people.room()).isEqualTo("#big");
        });
        assertThat(clients.getFirst().awaitIn("#big", ServerLine.People.class).count()).isEqualTo(4);

        dave.send("/who #big d*");
        assertThat(dave.awaitIn("#big", ServerLine.NamePage.class).names()).containsExactly("dave");
    }

    @Test
    void whoOfALargeRoom_givesTheCountAndPagesOfNamesInOrder() throws IOException {
        int count = Protocol.NAMES_PER_PAGE + 5;
        List<String> names = IntStream.range(0, count).mapToObj(i -> String.format("u%03d", i)).toList();
        register(names.toArray(String[]::new));
        WireClient asker = server.register("zed");
        asker.send("/away gone fishing");
        asker.await(ServerLine.Info.class);
        server.register("aaron").send("/away lunch");

        asker.send("/who #lobby");
        assertThat(asker.await(ServerLine.People.class).count()).isEqualTo(count + 2);
        ServerLine.NamePage first = asker.await(ServerLine.NamePage.class);
        assertThat(first).extracting(ServerLine.NamePage::page, ServerLine.NamePage::pages, ServerLine.NamePage::total)
                .containsExactly(1, 2, count + 2);
        assertThat(first.names()).hasSize(Protocol.NAMES_PER_PAGE).startsWith("aaron", "u000", "u001");
        // Who is away, of the names on the page only.
        assertThat(asker.await(ServerLine.Away.class).name()).isEqualTo("aaron");

        asker.send("/who #lobby 2");
        ServerLine.NamePage second = asker.await(ServerLine.NamePage.class);
        assertThat(second.page()).isEqualTo(2);
        assertThat(second.names()).containsExactly("u099", "u100", "u101", "u102", "u103", "u104", "zed");
    }

    @Test
    void whoWithAPrefix_findsAnyNameIgnoringCase() throws IOException {
        register("Albert", "alice", "bob", "carol", "Alan");
        WireClient asker = server.register("zed");
        asker.send("/who #lobby AL*");
        assertThat(asker.await(ServerLine.NamePage.class)).satisfies(page -> {
            assertThat(page.names()).containsExactly("Alan", "Albert", "alice");
            assertThat(page.total()).isEqualTo(3);
            assertThat(page.prefix()).isEqualTo("AL");
        });
        asker.send("/who #lobby zq*");
        assertThat(asker.await(ServerLine.NamePage.class)).satisfies(page -> {
            assertThat(page.names()).isEmpty();
            assertThat(page.total()).isZero();
        });
        asker.send("/who #lobby a* 2");
        assertThat(asker.await(ServerLine.NamePage.class)).satisfies(page -> {
            assertThat(page.page()).isEqualTo(2);
            assertThat(page.names()).isEmpty();
        });
    }

    @Test
    void whoWithAPageOrPrefix_answersWithAPageInASmallRoomToo() throws IOException {
        WireClient alice = server.register("alice");
        server.register("bob");
        alice.send("/who #lobby b*");
        assertThat(alice.await(ServerLine.NamePage.class).names()).containsExactly("bob");
        alice.send("/who #lobby");
        assertThat(alice.await(ServerLine.Online.class).names()).containsExactly("alice", "bob");
    }

    @Test
    void whoOfEveryone_onAServerWithMoreUsersThanTheLargeSize_givesTheCountAndAPage() throws IOException {
        register("alice", "bob", "carol");
        WireClient dave = server.register("dave");
        dave.send("/who");
        assertThat(dave.await(line -> line instanceof ServerLine.People || line instanceof ServerLine.Online))
                .isInstanceOfSatisfying(ServerLine.People.class, people -> {
                    assertThat(people.count()).isEqualTo(4);
                    assertThat(people.room()).isNull();
                });
        assertThat(dave.await(ServerLine.NamePage.class).names()).containsExactly("alice", "bob", "carol", "dave");
        dave.send("/who c*");
        assertThat(dave.await(ServerLine.NamePage.class).names()).containsExactly("carol");
    }

    @Test
    void whoWithWordsThatAreNoPrefixOrPage_isAnsweredWithUsage() throws IOException {
        WireClient alice = server.register("alice");
        for (String bad : List.of("/who #lobby a b", "/who #lobby 0", "/who #lobby 2 a*", "/who a:b*")) {
            alice.send(bad);
            assertThat(alice.await(ServerLine.Error.class).code()).as(bad).isEqualTo(ErrorCode.USAGE);
        }
    }

    @Test
    void aReloadedLargeSize_countsFromTheNextJoin() throws IOException {
        WireClient alice = server.register("alice");
        register("bob", "carol", "dave");
        alice.await(ServerLine.People.class);
        server.server().reload(server.server().config().toBuilder().largeRoomSize(0).build());
        // Until a join or leave tells everyone the whole list, the default room is still large,
        // and /who gives no untagged list that a client could take for the room's.
        alice.send("/who");
        assertThat(alice.await(line -> line instanceof ServerLine.People || line instanceof ServerLine.Online))
                .isInstanceOf(ServerLine.People.class);
        WireClient erin = server.register("erin");
        assertThat(erin.seen()).anyMatch(line -> line.endsWith("*** Online (5): alice, bob, carol, dave, erin"));
        // The others get the whole list once, the newcomer in it; then joins are announced again.
        assertThat(alice.await(ServerLine.Online.class).names()).hasSize(5).contains("erin");
        server.register("fred");
        assertThat(alice.await(ServerLine.Joined.class).name()).isEqualTo("fred");
    }
}
