package dev.chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ServerLineTest {

    private static final LocalTime T = LocalTime.of(9, 5, 7);
    private static final String CHALLENGE = "Ex4HD_4IQ-EPaJJpUmvZ8VDY_TdlvsXt0wXJD_ptm6w";
    private static final String KEY = "chatkey1:" + "A".repeat(43) + "_-" + "z".repeat(41);
    private static final String FINGERPRINT = String.join(":", java.util.Collections.nCopies(32, "9E"));

    static Stream<ServerLine> everyKind() {
        return Stream.of(
                new ServerLine.Chat(T, "alice", "hello: world [PM] *** ---"),
                new ServerLine.Chat(T, "bob", ""),
                new ServerLine.PrivateMessage(T, "alice", "psst: a secret"),
                new ServerLine.PrivateSent(T, "bob", "psst"),
                new ServerLine.NamePrompt(T),
                new ServerLine.PasswordPrompt(T),
                new ServerLine.Wall(T, "admin", "restart at 18:00: save your work"),
                new ServerLine.Welcome(T, "carol"),
                new ServerLine.DefaultRoom(T, "#lobby"),
                new ServerLine.DefaultRoom(T, "#Main.hall-2"),
                new ServerLine.Joined(T, "dave"),
                new ServerLine.Left(T, "dave", "connection closed"),
                new ServerLine.Online(T, List.of("alice", "bob", "x.y-z")),
                new ServerLine.Online(T, List.of()),
                new ServerLine.People(T, 19_500, "#lobby"),
                new ServerLine.People(T, 100_000, null),
                new ServerLine.InRoom("#dev", new ServerLine.People(T, 1001, "#dev")),
                new ServerLine.NamePage(T, 2, 195, 19_500, "", List.of("aaron", "abby")),
                new ServerLine.NamePage(T, 1, 1, 3, "al", List.of("alan", "Albert", "alice")),
                new ServerLine.NamePage(T, 1, 1, 0, "zq", List.of()),
                new ServerLine.InRoom("#dev", new ServerLine.NamePage(T, 7, 5, 437, "", List.of())),
                new ServerLine.Goodbye(T),
                new ServerLine.ShuttingDown(T),
                new ServerLine.Info(T, "/msg NAME TEXT  send a private message"),
                new ServerLine.Error(T, ErrorCode.NAME_TAKEN, "the name \"bob\" is taken"),
                new ServerLine.Action(T, "alice", "waves at #dev: hi"),
                new ServerLine.InRoom("#dev", new ServerLine.Chat(T, "alice", "in a room")),
                new ServerLine.InRoom("#dev.ops-2", new ServerLine.Joined(T, "bob")),
                new ServerLine.InRoom("#dev", new ServerLine.Online(T, List.of("alice", "bob"))),
                new ServerLine.InRoom("#dev", new ServerLine.Action(T, "bob", "laughs")),
                new ServerLine.InRoom("#dev", new ServerLine.Topic(T, "release on Friday")),
                new ServerLine.Topic(T, ""),
                new ServerLine.TopicChanged(T, "alice", "new topic: yes"),
                new ServerLine.TopicChanged(T, "alice", ""),
                new ServerLine.NickChanged(T, "alice", "alicia"),
                new ServerLine.Away(T, "bob", "lunch, back at 2"),
                new ServerLine.RoomList(T, 2),
                new ServerLine.RoomEntry(T, "#dev", 3, "release: Friday"),
                new ServerLine.RoomEntry(T, "#empty-topic", 1, ""),
                new ServerLine.Challenge(T, CHALLENGE),
                new ServerLine.Registered(T, "alice", FINGERPRINT),
                new ServerLine.Published(T, FINGERPRINT, "bob.2"),
                new ServerLine.Unregistered(T, "alice"),
                new ServerLine.KeyOf(T, "alice", KEY),
                new ServerLine.NoKey(T, "bob"),
                new ServerLine.DirectOffer(T, "alice"),
                new ServerLine.DirectOffered(T, "bob"),
                new ServerLine.DirectDeclined(T, "bob"),
                new ServerLine.DirectConnect(T, "bob", "192.0.2.7", 40123),
                new ServerLine.DirectConnect(T, "bob", "2001:db8:0:0:0:0:0:1", 1),
                new ServerLine.DirectListen(T, "alice", "fe80:0:0:0:0:0:0:1%eth0", 65535),
                // A user named Direct is still a user.
                new ServerLine.Joined(T, "Direct"),
                new ServerLine.NickChanged(T, "Direct", "connection"),
                // Names that are the first words of key events are still names.
                new ServerLine.Joined(T, "Registered"),
                new ServerLine.NoKey(T, "Key"),
                new ServerLine.Unregistered(T, "Published"),
                new ServerLine.InRoom("#dev", new ServerLine.Chat(T, "Key", "of mine: chatkey1:")),
                // So are the first words of the other events: "Room joined" is no room entry.
                new ServerLine.Joined(T, "Room"),
                new ServerLine.Left(T, "Room", "quit"),
                new ServerLine.NickChanged(T, "Room", "Rooms"),
                new ServerLine.Joined(T, "Rooms"),
                new ServerLine.Joined(T, "Online"),
                new ServerLine.Joined(T, "Names"),
                new ServerLine.Joined(T, "Default"),
                new ServerLine.Joined(T, "Announcement"),
                // A history line's inner line carries the same time as the line.
                new ServerLine.History(LocalDateTime.of(2026, 11, 21, 14, 3, 7),
                        new ServerLine.Chat(LocalTime.of(14, 3, 7), "alice", "earlier")),
                new ServerLine.History(LocalDateTime.of(2026, 1, 2, 3, 4, 5),
                        new ServerLine.InRoom("#dev", new ServerLine.Action(LocalTime.of(3, 4, 5), "bob", "was here"))));
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void parse_readsBackWhatFormatWrote(ServerLine line) {
        assertThat(ServerLine.parse(line.format())).isEqualTo(line);
    }

    @Test
    void format_writesTheDocumentedLines() {
        assertThat(new ServerLine.Chat(T, "alice", "hi").format()).isEqualTo("[09:05:07] alice: hi");
        assertThat(new ServerLine.PrivateMessage(T, "alice", "hi").format()).isEqualTo("[09:05:07] [PM] alice: hi");
        assertThat(new ServerLine.Online(T, List.of("a", "b")).format()).isEqualTo("[09:05:07] *** Online (2): a, b");
        assertThat(new ServerLine.Error(T, ErrorCode.UNKNOWN_COMMAND, "try /help").format())
                .isEqualTo("[09:05:07] !!! unknown-command: try /help");
    }

    @Test
    void format_writesTheLargeRoomLinesAsDocumented() {
        assertThat(new ServerLine.People(T, 19_500, "#lobby").format())
                .isEqualTo("[09:05:07] *** Online: 19500 people in #lobby");
        assertThat(new ServerLine.People(T, 20_000, null).format())
                .isEqualTo("[09:05:07] *** Online: 20000 people on the server");
        assertThat(new ServerLine.NamePage(T, 2, 195, 19_500, "", List.of("aaron", "abby")).format())
                .isEqualTo("[09:05:07] *** Names page 2 of 195, 19500 total: aaron, abby");
        assertThat(new ServerLine.InRoom("#dev", new ServerLine.NamePage(T, 1, 1, 2, "al", List.of("alan", "alice")))
                .format()).isEqualTo("[09:05:07] #dev *** Names page 1 of 1, 2 total starting with al: alan, alice");
    }

    @Test
    void format_writesTheKeyLinesAsDocumented() {
        assertThat(new ServerLine.Challenge(T, CHALLENGE).format()).isEqualTo("[09:05:07] *** Key challenge: " + CHALLENGE);
        assertThat(new ServerLine.Registered(T, "alice", FINGERPRINT).format())
                .isEqualTo("[09:05:07] *** Registered alice to key " + FINGERPRINT);
        assertThat(new ServerLine.Published(T, FINGERPRINT, "alice").format())
                .isEqualTo("[09:05:07] *** Published key " + FINGERPRINT + " for alice");
        assertThat(new ServerLine.Unregistered(T, "alice").format()).isEqualTo("[09:05:07] *** alice is no longer registered");
        assertThat(new ServerLine.KeyOf(T, "alice", KEY).format()).isEqualTo("[09:05:07] *** Key of alice: " + KEY);
        assertThat(new ServerLine.NoKey(T, "bob").format()).isEqualTo("[09:05:07] *** bob has no key");
    }

    @Test
    void format_writesTheDirectConnectionLinesAsDocumented() {
        assertThat(new ServerLine.DirectOffer(T, "alice").format())
                .isEqualTo("[09:05:07] *** alice offers a direct connection");
        assertThat(new ServerLine.DirectConnect(T, "bob", "192.0.2.7", 40123).format())
                .isEqualTo("[09:05:07] *** Direct connection with bob: connect to 192.0.2.7 port 40123");
        assertThat(new ServerLine.DirectListen(T, "alice", "192.0.2.8", 40123).format())
                .isEqualTo("[09:05:07] *** Direct connection with alice from 192.0.2.8: listen on port 40123");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[09:05:07] *** Direct connection with bob: connect to 192.0.2.7 port 0",
        "[09:05:07] *** Direct connection with bob: connect to 192.0.2.7 port 65536",
        "[09:05:07] *** Direct connection with bob: connect to evil host port 80",
        "[09:05:07] *** Direct connection with bob from : listen on port 80",
        "[09:05:07] *** Direct connection offered to not a name"
    })
    void parse_readsMalformedDirectLinesAsUnknown(String line) {
        assertThat(ServerLine.parse(line)).isInstanceOf(ServerLine.Unknown.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[09:05:07] *** Key challenge: tooShort",
        "[09:05:07] *** Key challenge: Ex4HD_4IQ-EPaJJpUmvZ8VDY_TdlvsXt0wXJD_ptm6=",
        "[09:05:07] *** Registered alice to key 9E:1E",
        "[09:05:07] *** Registered al ice to key 9E:9E",
        "[09:05:07] *** Published key 9e:9e for alice",
        "[09:05:07] *** Key of alice: chatkey2:AAAA",
        "[09:05:07] *** Key of alice: chatkey1:AAAA",
    })
    void parse_refusesKeyLinesOfTheWrongForm(String raw) {
        assertThat(ServerLine.parse(raw)).isInstanceOf(ServerLine.Unknown.class);
    }

    @Test
    void format_writesRoomAndHistoryLinesAsDocumented() {
        assertThat(new ServerLine.InRoom("#dev", new ServerLine.Chat(T, "alice", "hi")).format())
                .isEqualTo("[09:05:07] #dev alice: hi");
        assertThat(new ServerLine.History(LocalDateTime.of(2026, 11, 21, 14, 3, 7),
                new ServerLine.InRoom("#dev", new ServerLine.Chat(LocalTime.of(14, 3, 7), "alice", "hi"))).format())
                .isEqualTo("[2026-11-21 14:03:07] [history] #dev alice: hi");
        assertThat(new ServerLine.Action(T, "bob", "waves").format()).isEqualTo("[09:05:07] * bob waves");
    }

    @Test
    void format_writesTheDefaultRoomAsDocumented() {
        assertThat(new ServerLine.DefaultRoom(T, "#lobby").format()).isEqualTo("[09:05:07] *** Default room: #lobby");
    }

    @Test
    void parse_refusesHistoryOfAnythingButSpeech() {
        assertThat(ServerLine.parse("[2026-11-21 14:03:07] [history] *** alice joined"))
                .isInstanceOf(ServerLine.Unknown.class);
    }

    @Test
    void toWire_endsWithLf() {
        assertThat(new String(new ServerLine.Goodbye(T).toWire(), Protocol.CHARSET)).isEqualTo("[09:05:07] *** Goodbye!\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "[25:00:00] a: b", "[09:05:07]", "[09:05:07] ", "[09:05:07] *** nonsense",
        "[09:05:07] *** Online (3): a, b", "[09:05:07] no colon here", "[09:05:07] !!! no separator",
        "[09:05:07] # alice: hi", "[09:05:07] #dev #ops alice: hi", "[09:05:07] *** Room dev (1)",
        "[09:05:07] *** Rooms (x):", "[09:05:07] *** Default room: lobby", "[09:05:07] *** Default room: #a b",
        "[2026-13-01 00:00:00] [history] a: b", "[09:05:07] *** Online: many people in #lobby",
        "[09:05:07] *** Online: 12 people in lobby", "[09:05:07] *** Online: 12 people somewhere",
        "[09:05:07] *** Names page 1 of 2, 3 total: a b", "[09:05:07] *** Names page x of 2, 3 total: a",
        "[09:05:07] *** Names page 1 of 1, 3 total starting with a*b: ab", "[09:05:07] *** Names page 1 of 1: a"})
    void parse_returnsUnknownForLinesOutsideTheGrammar(String raw) {
        ServerLine line = ServerLine.parse(raw);
        assertThat(line).isInstanceOf(ServerLine.Unknown.class);
        assertThat(line.format()).isEqualTo(raw);
    }

    @Test
    void parse_mapsUnknownErrorTokenToOther() {
        assertThat(ServerLine.parse("[09:05:07] !!! future-thing: nope"))
                .isEqualTo(new ServerLine.Error(T, ErrorCode.OTHER, "nope"));
    }
}
