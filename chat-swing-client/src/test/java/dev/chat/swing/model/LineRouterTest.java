package dev.chat.swing.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where each server line goes, fed line by line as the client core tells them, without a server or a window. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LineRouterTest {

    private static final LocalTime NOON = LocalTime.NOON;
    private static final String DEV = ChatModel.roomKey("#dev");

    private final RecordingListener events = new RecordingListener();
    private final Conversations conversations = new Conversations(events);
    private final LineRouter router = new LineRouter(conversations, new RoomListing(events), events);

    @BeforeEach
    void signedOnAndInTheLobbyAndDev() {
        router.connecting();
        router.named("alice");
        router.route(new ServerLine.Welcome(NOON, "alice"), null);
        conversations.get(ChatModel.ROOM).joined = true;
        Conversations.Conversation dev = conversations.room(DEV, "#dev");
        dev.joined = true;
        dev.members = List.of("alice", "bob");
    }

    private List<String> texts(String key) {
        return events.in(key).stream().map(Entry::text).toList();
    }

    @Test
    void aRoomsLinesGoToItsConversation_andTheDefaultRoomsToTheFirst() {
        router.route(new ServerLine.InRoom("#dev", new ServerLine.Chat(NOON, "bob", "in dev")), "#dev");
        router.route(new ServerLine.Chat(NOON, "carol", "in the lobby"), "#lobby");

        assertThat(texts(DEV)).containsExactly("in dev");
        assertThat(texts(ChatModel.ROOM)).contains("in the lobby").doesNotContain("in dev");
    }

    @Test
    void aDefaultRoomNamedOtherwise_stillGoesToTheFirstConversation() {
        router.defaultRoomIs("#main");

        router.route(new ServerLine.Chat(NOON, "carol", "in main"), "#main");

        assertThat(texts(ChatModel.ROOM)).contains("in main");
        assertThat(router.keyOf("#MAIN")).isEqualTo(ChatModel.ROOM);
        assertThat(router.keyOf("#lobby")).isEqualTo(ChatModel.roomKey("#lobby"));
    }

    @Test
    void privateMessagesOpenTheirConversation_andAWhoAnswerGoesWhereItWasAskedFor() {
        router.route(new ServerLine.PrivateMessage(NOON, "bob", "psst"), null);
        router.sentFrom(DEV);
        router.route(new ServerLine.Online(NOON, List.of("alice", "bob", "zoe")), null);

        assertThat(events.opened).containsExactly(new RecordingListener.Opened("bob", "bob", false));
        assertThat(events.in("bob")).singleElement().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo(Entry.Kind.PRIVATE_IN);
            assertThat(entry.text()).isEqualTo("psst");
        });
        assertThat(texts(DEV)).containsExactly("Online (3): alice, bob, zoe");
    }

    @Test
    void aLargeServersWhoAnswer_goesWhereItWasAskedFor_andALargeRoomsCountToItsConversation() {
        router.sentFrom(DEV);
        router.route(new ServerLine.People(NOON, 20_000, null), null);
        router.route(new ServerLine.NamePage(NOON, 1, 200, 20_000, "", List.of("aaron", "abby")), null);
        router.route(new ServerLine.People(NOON, 19_500, "#lobby"), "#lobby");

        assertThat(texts(DEV)).containsExactly("Online: 20000 people on the server",
                "Names page 1 of 200, 20000 total: aaron, abby");
        assertThat(texts(ChatModel.ROOM)).contains("Online: 19500 people in #lobby");
    }

    @Test
    void aLineOfARoomTheUserIsNotIn_goesWhereTheUserAsked_namingTheRoom() {
        router.sentFrom(DEV);

        router.route(new ServerLine.InRoom("#ops", new ServerLine.Topic(NOON, "deploys")), "#ops");

        assertThat(texts(DEV)).containsExactly("#ops: Topic: deploys");
    }

    @Test
    void topicsAreTold_andMentionsMarked_butNotTheUsersOwnLines() {
        router.route(new ServerLine.InRoom("#dev", new ServerLine.TopicChanged(NOON, "bob", "ship it")), "#dev");
        router.route(new ServerLine.InRoom("#dev", new ServerLine.Chat(NOON, "bob", "alice: review?")), "#dev");
        router.route(new ServerLine.InRoom("#dev", new ServerLine.Chat(NOON, "alice", "alice here")), "#dev");
        router.route(new ServerLine.InRoom("#dev", new ServerLine.Chat(NOON, "bob", "malice")), "#dev");

        assertThat(events.topics).containsEntry(DEV, "ship it");
        assertThat(events.in(DEV).stream().filter(entry -> entry.kind() == Entry.Kind.CHAT).map(Entry::mention))
                .containsExactly(true, false, false);
    }

    @Test
    void historyAlreadyShownLive_isNotShownTwice() {
        router.route(new ServerLine.InRoom("#dev", new ServerLine.Chat(NOON, "bob", "said once")), "#dev");

        router.route(new ServerLine.History(NOON.atDate(LocalDate.EPOCH),
                new ServerLine.InRoom("#dev", new ServerLine.Chat(NOON, "bob", "said once"))), "#dev");
        router.route(new ServerLine.History(NOON.atDate(LocalDate.EPOCH),
                new ServerLine.InRoom("#dev", new ServerLine.Chat(NOON, "bob", "said before"))), "#dev");

        assertThat(texts(DEV)).containsExactly("said once", "said before");
        assertThat(events.in(DEV).getLast().isHistory()).isTrue();
    }

    @Test
    void aNickChange_showsInEveryRoomTheyAreIn_andMovesTheirPrivateConversation() {
        router.route(new ServerLine.PrivateMessage(NOON, "bob", "hi"), null);

        router.route(new ServerLine.NickChanged(NOON, "bob", "robert"), null);

        assertThat(texts(DEV)).containsExactly("bob is now known as robert");
        assertThat(texts(ChatModel.ROOM)).doesNotContain("bob is now known as robert");
        assertThat(events.renamed).containsExactly("bob->robert:robert");
        assertThat(conversations.lines("robert")).extracting(Entry::text).as("the conversation moved, with its lines")
                .containsExactly("hi", "bob is now known as robert");
    }

    @Test
    void errorsBeforeTheWelcome_answerTheName_andAreLeftToTheConnectRequest() {
        router.connecting();
        router.route(new ServerLine.Error(NOON, ErrorCode.NAME_TAKEN, "taken"), null);
        router.route(new ServerLine.Welcome(NOON, "alice2"), null);
        router.route(new ServerLine.Error(NOON, ErrorCode.USAGE, "usage: /msg NAME TEXT"), null);

        assertThat(events.entries).filteredOn(added -> added.entry().kind() == Entry.Kind.ERROR)
                .extracting(added -> added.entry().text()).containsExactly("usage: /msg NAME TEXT");
    }
}
