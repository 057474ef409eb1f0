package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.NatsServer;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several servers in this JVM, sharing one chat through a real {@code nats-server -js}:
 * every user, on whatever node, sees what one server would show. Each test has nodes of its
 * own names, so that no test sees another's.
 */
@Timeout(90)
class ClusterTest {

    @RegisterExtension
    static final NatsServer nats = new NatsServer();

    private static final AtomicInteger NODES = new AtomicInteger();

    @RegisterExtension
    final TestServer a = node();

    @RegisterExtension
    final TestServer b = node();

    @RegisterExtension
    final TestServer c = node().operator("root", "secret");

    private static TestServer node() {
        return TestServer.create().inCluster(nats, "node" + NODES.incrementAndGet());
    }

    @Test
    void usersOnDifferentNodesChatInTheDefaultRoom() throws IOException {
        WireClient alice = a.register("alice");
        WireClient bob = b.connect();
        bob.send("bob");
        bob.await(ServerLine.Welcome.class);
        assertThat(bob.await(ServerLine.Online.class).names()).containsExactly("alice", "bob");
        assertThat(alice.await(ServerLine.Joined.class).name()).isEqualTo("bob");

        alice.send("hello from node a");
        assertThat(bob.await(ServerLine.Chat.class)).extracting(ServerLine.Chat::from, ServerLine.Chat::text)
                .containsExactly("alice", "hello from node a");
        bob.send("/me waves back");
        assertThat(alice.await(ServerLine.Action.class).text()).isEqualTo("waves back");
    }

    @Test
    void aNameIsUniqueAcrossNodesIgnoringCase() throws IOException {
        a.register("alice");
        WireClient other = b.connect();
        other.send("ALICE");
        ServerLine.Error error = other.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.NAME_TAKEN);
        other.register("alicia");
    }

    @Test
    void ofManyAskingForOneNameOnThreeNodesAtOnceExactlyOneGetsIt() throws Exception {
        int clients = 200;
        List<WireClient> wires = new ArrayList<>();
        TestServer[] nodes = {a, b, c};
        for (int i = 0; i < clients; i++) {
            wires.add(nodes[i % 3].connect());
        }
        for (WireClient wire : wires) {
            wire.await(ServerLine.NamePrompt.class);
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<Boolean>> asks = new ArrayList<>();
        for (WireClient wire : wires) {
            asks.add(() -> {
                go.await();
                wire.send("Highlander");
                ServerLine answer = wire.await(line -> line instanceof ServerLine.Welcome
                        || line instanceof ServerLine.Error);
                return answer instanceof ServerLine.Welcome;
            });
        }
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> answers = asks.stream().map(threads::submit).toList();
            go.countDown();
            int winners = 0;
            for (Future<Boolean> answer : answers) {
                winners += answer.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        }
    }

    @Test
    void everyMemberSeesARoomsLinesInOneOrderWhateverNodeTheSendersAreOn() throws Exception {
        WireClient alice = a.register("alice");
        WireClient bob = b.register("bob");
        WireClient carol = c.register("carol");
        for (WireClient member : List.of(alice, bob, carol)) {
            member.join("#order");
        }
        int lines = 60;
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> fromA = threads.submit(() -> sendNumbered(alice, "a", lines));
            Future<?> fromB = threads.submit(() -> sendNumbered(bob, "b", lines));
            fromA.get();
            fromB.get();
        }
        List<String> seenByAlice = chatIn(alice, 2 * lines);
        assertThat(chatIn(bob, 2 * lines)).isEqualTo(seenByAlice);
        assertThat(chatIn(carol, 2 * lines)).isEqualTo(seenByAlice);
        assertThat(seenByAlice).contains("a-0", "b-0", "a-" + (lines - 1), "b-" + (lines - 1));
    }

    private static Void sendNumbered(WireClient sender, String prefix, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            sender.send("/in #order " + prefix + "-" + i);
        }
        return null;
    }

    /** The next {@code count} lines said in #order, as the member receives them. */
    private static List<String> chatIn(WireClient member, int count) throws IOException {
        List<String> texts = new ArrayList<>();
        while (texts.size() < count) {
            texts.add(member.awaitIn("#order", ServerLine.Chat.class).text());
        }
        return texts;
    }

    @Test
    void privateMessagesReachAUserOnAnotherNodeWithTheUsualAnswers() throws IOException {
        WireClient alice = a.register("alice");
        WireClient bob = b.register("bob");
        // Once alice hears bob join, her node knows him.
        alice.await(ServerLine.Joined.class);
        alice.send("/msg BOB psst");
        ServerLine.PrivateMessage received = bob.await(ServerLine.PrivateMessage.class);
        assertThat(received.from()).isEqualTo("alice");
        assertThat(received.text()).isEqualTo("psst");
        assertThat(alice.await(ServerLine.PrivateSent.class).to()).isEqualTo("bob");

        bob.send("/away lunch");
        bob.await(ServerLine.Info.class);
        alice.send("/msg bob still there?");
        alice.await(ServerLine.PrivateSent.class);
        assertThat(alice.await(ServerLine.Away.class).message()).isEqualTo("lunch");

        alice.send("/msg nobody hello");
        assertThat(alice.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NO_SUCH_USER);
    }

    @Test
    void newNamesAndTopicsReachEveryNodeAndTheOldNameIsFree() throws IOException {
        WireClient alice = a.register("alice");
        WireClient bob = b.register("bob");
        alice.join("#plans");
        bob.join("#plans");
        alice.awaitIn("#plans", ServerLine.Joined.class);

        bob.send("/nick robert");
        ServerLine.NickChanged changed = alice.await(ServerLine.NickChanged.class);
        assertThat(changed.from()).isEqualTo("bob");
        assertThat(changed.to()).isEqualTo("robert");
        c.registerWhenFree("bob");
        WireClient taken = c.connect();
        taken.send("Robert");
        assertThat(taken.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NAME_TAKEN);

        alice.send("/topic #plans ship on friday");
        ServerLine.TopicChanged topic = bob.awaitIn("#plans", ServerLine.TopicChanged.class);
        assertThat(topic.name()).isEqualTo("alice");
        assertThat(topic.text()).isEqualTo("ship on friday");
        bob.send("/topic #plans");
        assertThat(bob.awaitIn("#plans", ServerLine.Topic.class).text()).isEqualTo("ship on friday");

        alice.send("/part #plans");
        ServerLine.Left left = bob.awaitIn("#plans", ServerLine.Left.class);
        assertThat(left.name()).isEqualTo("alice");
        assertThat(left.reason()).isEqualTo("part");
    }

    @Test
    void whoAndRoomsListTheWholeCluster() throws IOException {
        WireClient alice = a.register("alice");
        WireClient bob = b.register("bob");
        c.register("carol");
        alice.join("#dev");
        bob.join("#dev");
        bob.send("/away coffee");
        bob.await(ServerLine.Info.class);
        // What bob says after going away reaches alice after node a has heard of it.
        bob.send("back soon");
        alice.awaitIn("#dev", ServerLine.Chat.class);

        alice.send("/who");
        assertThat(alice.await(ServerLine.Online.class).names()).containsExactly("alice", "bob", "carol");
        assertThat(alice.await(ServerLine.Away.class).name()).isEqualTo("bob");

        alice.send("/who #dev");
        assertThat(alice.awaitIn("#dev", ServerLine.Online.class).names()).containsExactly("alice", "bob");

        WireClient carol = c.connect();
        carol.send("dave");
        carol.await(ServerLine.Welcome.class);
        carol.send("/rooms");
        carol.await(ServerLine.RoomList.class);
        List<ServerLine.RoomEntry> rooms = List.of(carol.await(ServerLine.RoomEntry.class),
                carol.await(ServerLine.RoomEntry.class));
        assertThat(rooms).extracting(ServerLine.RoomEntry::room, ServerLine.RoomEntry::members)
                .contains(org.assertj.core.groups.Tuple.tuple("#dev", 2));
    }

    @Test
    void aNewcomerHearsTheRoomsHistoryWhicheverNodeItWasSaidOn() throws IOException {
        WireClient alice = a.register("alice");
        alice.join("#history");
        alice.send("/in #history first");
        alice.send("/in #history second");
        alice.awaitIn("#history", ServerLine.Chat.class);
        alice.awaitIn("#history", ServerLine.Chat.class);

        WireClient bob = b.register("bob");
        bob.send("/join #history");
        assertThat(bob.awaitIn("#history", ServerLine.Online.class).names()).containsExactly("alice", "bob");
        List<String> history = new ArrayList<>();
        while (history.size() < 2) {
            ServerLine line = bob.await(ServerLine.History.class).line();
            ServerLine said = line instanceof ServerLine.InRoom inRoom ? inRoom.line() : line;
            history.add(((ServerLine.Chat) said).text());
        }
        assertThat(history).containsExactly("first", "second");
    }

    @Test
    void aLeaveFreesTheNameAndIsAnnouncedOnEveryNode() throws IOException {
        WireClient alice = a.register("alice");
        WireClient bob = b.register("bob");
        alice.await(ServerLine.Joined.class);
        bob.send("/quit");
        ServerLine.Left left = alice.await(ServerLine.Left.class);
        assertThat(left.name()).isEqualTo("bob");
        assertThat(left.reason()).isEqualTo("quit");
        a.registerWhenFree("bob");
    }

    @Test
    void aNodeThatStopsTellsTheOthersItsUsersLeftAndFreesTheirNames() throws IOException {
        WireClient alice = a.register("alice");
        b.register("bob");
        alice.await(ServerLine.Joined.class);
        b.stop();
        ServerLine.Left left = alice.await(ServerLine.Left.class);
        assertThat(left.name()).isEqualTo("bob");
        assertThat(left.reason()).isEqualTo("server shutdown");
        a.registerWhenFree("bob");
    }

    @Test
    void aNodeStartedLaterKnowsWhoIsOnAndTheTopics() throws Exception {
        WireClient alice = a.register("alice");
        alice.join("#later");
        alice.send("/topic #later plans");
        alice.awaitIn("#later", ServerLine.TopicChanged.class);
        TestServer late = node();
        try {
            WireClient carol = late.register("carol");
            carol.send("/who");
            assertThat(carol.await(ServerLine.Online.class).names()).containsExactly("alice", "carol");
            carol.send("/join #later");
            assertThat(carol.awaitIn("#later", ServerLine.Topic.class).text()).isEqualTo("plans");
        } finally {
            late.afterEach(null);
        }
    }

    @Test
    void operatorsKickAndAnnounceAcrossNodes() throws IOException {
        WireClient root = c.register("root");
        WireClient bob = b.register("bob");
        root.await(ServerLine.Joined.class);
        root.send("/oper root secret");
        root.await(ServerLine.Info.class);
        root.send("/wall maintenance at noon");
        assertThat(bob.await(ServerLine.Wall.class).text()).isEqualTo("maintenance at noon");
        root.send("/kick bob enough");
        assertThat(bob.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.KICKED);
        ServerLine.Left left = root.await(ServerLine.Left.class);
        assertThat(left.name()).isEqualTo("bob");
        assertThat(left.reason()).startsWith("kicked by root");
    }

    @Test
    void aBanMadeOnOneNodeIsKeptAndEnforcedByEveryNode_andByANodeThatStartsLater() throws Exception {
        a.start();
        WireClient root = c.register("root");
        WireClient mallory = b.register("mallory");
        root.send("/oper root secret");
        root.await(ServerLine.Info.class);
        root.send("/ban mallory 1h spam");
        assertThat(root.await(ServerLine.Info.class).text()).startsWith("Banned mallory");
        assertThat(mallory.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.BANNED);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> assertThat(
                java.nio.file.Files.readString(a.directory().resolve("bans.tsv"))).contains("mallory"));
        WireClient again = a.connect();
        again.send("mallory");
        assertThat(again.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.BANNED);

        TestServer late = node();
        try {
            WireClient onLate = late.connect();
            onLate.send("mallory");
            assertThat(onLate.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.BANNED);
        } finally {
            late.afterEach(null);
        }
        root.send("/unban mallory");
        root.await(ServerLine.Info.class);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                java.nio.file.Files.readString(a.directory().resolve("bans.tsv"))).doesNotContain("mallory"));
    }

    @Test
    void aNameRegisteredOnOneNodeIsKeptForItsKeyOnEveryNode_andOnANodeThatStartsLater() throws Exception {
        TestKey key = new TestKey();
        WireClient regina = a.connect();
        String challenge = regina.await(ServerLine.Challenge.class).challenge();
        regina.register("regina");
        regina.send("/register " + key.token() + " " + key.sign(challenge, "regina"));
        regina.await(ServerLine.Registered.class);
        b.start();
        regina.send("/quit");
        regina.readToEnd();

        // Registrations outlive the nodes in NATS: this test's name is used by no other.
        WireClient impostor = b.connect();
        impostor.await(ServerLine.NamePrompt.class);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            impostor.send("regina");
            ServerLine.Error refused = impostor.await(ServerLine.Error.class);
            return refused.code() == ErrorCode.NAME_REGISTERED;
        });
        TestServer late = node();
        try {
            WireClient onLate = late.connect();
            String lateChallenge = onLate.await(ServerLine.Challenge.class).challenge();
            onLate.send("regina");
            assertThat(onLate.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.NAME_REGISTERED);
            onLate.send("/sign regina " + key.sign(lateChallenge, "regina"));
            assertThat(onLate.await(ServerLine.Welcome.class).name()).isEqualTo("regina");
        } finally {
            late.afterEach(null);
        }
    }

    @Test
    void eachNodesChatLogSaysWhichNodeAcceptedEachLine() throws IOException {
        WireClient alice = a.register("alice");
        WireClient bob = b.register("bob");
        bob.send("from b");
        alice.await(ServerLine.Chat.class);
        String nodeB = b.server().nodeName();
        String nodeA = a.server().nodeName();
        assertThat(nodeB).isNotEqualTo(nodeA);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(chatLogLines())
                .anyMatch(line -> line.contains("[" + nodeB + "] <bob> from b")));
        assertThat(chatLogLines()).anyMatch(line -> line.contains("[" + nodeA + "] *** alice joined from"));
    }

    /** chat.log of the whole JVM: every in-process node logs to the same file in tests. */
    private static List<String> chatLogLines() throws IOException {
        java.nio.file.Path log = java.nio.file.Path.of(System.getProperty("chat.log.file", "target/chat-test.log"));
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void aSecondNodeOfTheSameNameRefusesToStart() throws Exception {
        a.start();
        String taken = a.server().nodeName();
        TestServer twin = TestServer.create().configure(config -> config.cluster(
                new ServerConfig.Cluster(List.of(nats.url()), taken, null, null)));
        try {
            assertThatThrownBy(twin::start).isInstanceOf(ClusterLink.NodeNameTakenException.class)
                    .hasMessageContaining(taken);
        } finally {
            twin.afterEach(null);
        }
    }
}
