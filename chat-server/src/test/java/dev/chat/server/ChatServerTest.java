package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core protocol: names, chat, private messages, commands, and bad input, over the wire. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChatServerTest {

    @RegisterExtension
    final TestServer server = TestServer.create();


    @Test
    void handshake_greetsAndPromptsForName() throws IOException {
        WireClient client = server.connect();
        assertThat(client.next()).isInstanceOf(ServerLine.Info.class);
        assertThat(client.await(ServerLine.NamePrompt.class)).isNotNull();
        client.send("alice");
        ServerLine welcome = client.next();
        assertThat(welcome).isEqualTo(new ServerLine.Welcome(welcome.time(), "alice"));
        // The stamps may cross a second: the bodies say what the welcome is.
        assertThat(List.of(client.next(), client.next(), client.next())).extracting(ServerLine::body)
                .containsExactly("*** Default room: #lobby", "*** Online (1): alice", "--- Type /help for the commands.");
    }

    @Test
    void handshake_acceptsNameSentBeforeTheGreetingWasRead() throws IOException {
        WireClient client = server.connect();
        client.send("eager");
        assertThat(client.await(ServerLine.Welcome.class).name()).isEqualTo("eager");
        assertThat(client.await(ServerLine.Online.class).names()).containsExactly("eager");
    }

    @Test
    void handshake_refusesTakenNameIgnoringCaseAndAcceptsAnotherOnTheSameConnection() throws IOException {
        server.register("Alice");
        WireClient second = server.connect();
        second.send("aLiCe");
        ServerLine.Error error = second.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.NAME_TAKEN);
        assertThat(error.text()).contains("aLiCe", "taken");
        second.send("bob");
        assertThat(second.await(ServerLine.Welcome.class).name()).isEqualTo("bob");
        assertThat(second.await(ServerLine.Online.class).names()).containsExactly("Alice", "bob");
    }

    @Test
    void handshake_refusesInvalidNamesSayingWhy() throws IOException {
        WireClient client = server.connect();
        client.send("no spaces");
        ServerLine.Error error = client.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.NAME_INVALID);
        assertThat(error.text()).contains("letters, digits");
        client.send("x".repeat(21));
        assertThat(client.await(ServerLine.Error.class).text()).contains("at most 20");
        client.send("ok_name-1.2");
        assertThat(client.await(ServerLine.Welcome.class).name()).isEqualTo("ok_name-1.2");
    }

    @Test
    void commandsBeforeAName_areRefusedAsNeedingANameExceptThoseForAnyone() throws IOException {
        WireClient client = server.connect();
        for (String command : List.of("/who", "/msg bob hi", "/kick bob")) {
            client.send(command);
            ServerLine.Error error = client.await(ServerLine.Error.class);
            assertThat(error.code()).as(command).isEqualTo(ErrorCode.NAME_REQUIRED);
            assertThat(error.text()).contains("name first");
        }
        client.send("/dance");
        assertThat(client.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.UNKNOWN_COMMAND);
        client.send("/help");
        assertThat(client.await(ServerLine.Info.class).text()).contains("Commands");
        client.send("alice");
        assertThat(client.await(ServerLine.Welcome.class).name()).isEqualTo("alice");
    }

    @Test
    void join_isAnnouncedToOthers() throws IOException {
        WireClient alice = server.register("alice");
        server.register("bob");
        assertThat(alice.await(ServerLine.Joined.class).name()).isEqualTo("bob");
    }

    @Test
    void plainLine_isBroadcastToEveryoneIncludingTheSender() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        alice.send("hello, world: 😀");
        ServerLine.Chat expected = alice.await(ServerLine.Chat.class);
        assertThat(expected.from()).isEqualTo("alice");
        assertThat(expected.text()).isEqualTo("hello, world: 😀");
        assertThat(bob.await(ServerLine.Chat.class)).isEqualTo(expected);
    }

    @Test
    void doubleSlash_sendsTextThatStartsWithASlash() throws IOException {
        WireClient alice = server.register("alice");
        alice.send("//shrug");
        assertThat(alice.await(ServerLine.Chat.class).text()).isEqualTo("/shrug");
    }

    @Test
    void privateMessage_reachesOnlyItsTargetAndIsConfirmedToTheSender() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        WireClient carol = server.register("carol");
        alice.send("/msg BOB meet me at 5");
        assertThat(bob.await(ServerLine.PrivateMessage.class))
                .extracting(ServerLine.PrivateMessage::from, ServerLine.PrivateMessage::text)
                .containsExactly("alice", "meet me at 5");
        assertThat(alice.await(ServerLine.PrivateSent.class))
                .extracting(ServerLine.PrivateSent::to, ServerLine.PrivateSent::text)
                .containsExactly("bob", "meet me at 5");
        // Carol's next chat line comes after the private message was queued; she must not have seen it.
        alice.send("public");
        carol.await(ServerLine.Chat.class);
        assertThat(carol.seen()).noneMatch(line -> line.contains("meet me"));
    }

    @Test
    void privateMessage_toSomeoneOfflineOrWithoutTextIsAnError() throws IOException {
        WireClient alice = server.register("alice");
        alice.send("/msg ghost boo");
        ServerLine.Error unknown = alice.await(ServerLine.Error.class);
        assertThat(unknown.code()).isEqualTo(ErrorCode.NO_SUCH_USER);
        assertThat(unknown.text()).contains("ghost");
        alice.send("/msg alice");
        ServerLine.Error usage = alice.await(ServerLine.Error.class);
        assertThat(usage.code()).isEqualTo(ErrorCode.USAGE);
        assertThat(usage.text()).contains("/msg NAME TEXT");
    }

    @Test
    void who_listsEveryoneOnOneLine() throws IOException {
        server.register("zed");
        WireClient alice = server.register("alice");
        alice.send("/who");
        ServerLine.Online online = alice.await(ServerLine.Online.class);
        assertThat(online.names()).containsExactly("alice", "zed");
        assertThat(alice.seen().getLast()).endsWith("*** Online (2): alice, zed");
    }

    @Test
    void help_listsEveryCommand() throws IOException {
        WireClient alice = server.register("alice");
        alice.send("/help");
        List<String> help = new ArrayList<>();
        for (int i = 0; i < Command.values().length + 2; i++) {
            help.add(alice.await(ServerLine.Info.class).text());
        }
        assertThat(String.join("\n", help)).contains("/msg NAME TEXT", "/who", "/help", "/quit", "//text",
                "/join #ROOM", "/in #ROOM LINE", "/nick NAME", "/me ACTION", "/away [MESSAGE]");
    }

    @Test
    void unknownCommand_isAnErrorThatNamesHelp() throws IOException {
        WireClient alice = server.register("alice");
        alice.send("/dance wildly");
        ServerLine.Error error = alice.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.UNKNOWN_COMMAND);
        assertThat(error.text()).contains("/dance", "/help");
    }

    @Test
    void quit_saysGoodbyeClosesAndIsAnnounced() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        bob.send("/quit");
        List<String> rest = bob.readToEnd();
        assertThat(ServerLine.parse(rest.getLast())).isInstanceOf(ServerLine.Goodbye.class);
        ServerLine.Left left = alice.await(ServerLine.Left.class);
        assertThat(left.name()).isEqualTo("bob");
        assertThat(left.reason()).isEqualTo("quit");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.userCount() == 1);
    }

    @Test
    void quit_worksBeforeRegistering() throws IOException {
        WireClient client = server.connect();
        client.send("/quit");
        assertThat(client.readToEnd()).last().asString().endsWith("*** Goodbye!");
    }

    @Test
    void abruptDisconnect_isAnnouncedAndFreesTheName() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        bob.close();
        ServerLine.Left left = alice.await(ServerLine.Left.class);
        assertThat(left.name()).isEqualTo("bob");
        assertThat(left.reason()).isEqualTo("connection closed");
        // The name is freed just after the leave is announced, never before.
        await().atMost(Duration.ofSeconds(5)).until(() -> server.userCount() == 1);
        server.register("bob");
    }

    @Test
    void overlongLine_isRefusedAndTheConnectionGoesOn() throws IOException {
        WireClient alice = server.register("alice");
        alice.send("x".repeat(Protocol.DEFAULT_MAX_LINE_BYTES + 1));
        ServerLine.Error error = alice.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.LINE_TOO_LONG);
        alice.send("y".repeat(Protocol.DEFAULT_MAX_LINE_BYTES));
        assertThat(alice.await(ServerLine.Chat.class).text()).hasSize(Protocol.DEFAULT_MAX_LINE_BYTES);
    }

    @Test
    void invalidUtf8_becomesReplacementCharacters() throws IOException {
        WireClient alice = server.register("alice");
        alice.sendRaw(new byte[] {'o', 'k', ' ', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0x80, '\n'});
        assertThat(alice.await(ServerLine.Chat.class).text()).isEqualTo("ok \uFFFD( \uFFFD");
    }

    @Test
    void controlCharacters_neverReachOtherUsers() throws IOException {
        WireClient alice = server.register("alice");
        WireClient bob = server.register("bob");
        alice.send("red\u001b[31m alert\u0007\u0000 done\tok\u009b");
        assertThat(bob.await(ServerLine.Chat.class).text()).isEqualTo("red[31m alert done\tok");
        assertThat(bob.seen()).allSatisfy(line -> assertThat(line).doesNotContainPattern("[\\x00-\\x08\\x0a-\\x1f\\x7f]"));
    }

    @Test
    void blankLines_areIgnored() throws IOException {
        WireClient alice = server.register("alice");
        alice.send("   ");
        alice.send("");
        alice.send("after");
        assertThat(alice.next()).isInstanceOf(ServerLine.Chat.class);
        assertThat(alice.seen().getLast()).endsWith("alice: after");
    }

    @Test
    void telnetClient_withCrlfAndNegotiationIsUnderstood() throws IOException {
        WireClient telnet = server.connect();
        telnet.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFB, 0x18, (byte) 0xFF, (byte) 0xFD, 0x03});
        telnet.sendRaw("carol\r\n".getBytes(Protocol.CHARSET));
        assertThat(telnet.await(ServerLine.Welcome.class).name()).isEqualTo("carol");
        telnet.sendRaw("hi there\r\n".getBytes(Protocol.CHARSET));
        assertThat(telnet.await(ServerLine.Chat.class).text()).isEqualTo("hi there");
    }

    @Test
    void telnetTimingMark_isAnsweredSoTelnetShowsOutputAgain() throws IOException {
        WireClient telnet = server.register("tina");
        // What telnet sends for "a ✓": it takes the 0x9C of ✓ for its quit key.
        telnet.sendRaw(new byte[] {'a', ' ', (byte) 0xE2, (byte) 0xFF, (byte) 0xF3, (byte) 0xFF, (byte) 0xFD, 0x06,
            (byte) 0x93, '\r', '\n'});
        String answered = telnet.readLine();
        assertThat(answered).startsWith("\uFFFD\uFFFD\u0006"); // IAC WILL TIMING-MARK, as UTF-8 decodes it
        assertThat(ServerLine.parse(answered.substring(3))).isInstanceOf(ServerLine.Chat.class);
    }

    @Test
    void close_tellsEveryClientBeforeClosing() throws IOException {
        WireClient alice = server.register("alice");
        WireClient unnamed = server.connect();
        unnamed.await(ServerLine.NamePrompt.class);
        server.server().close();
        assertThat(ServerLine.parse(alice.readToEnd().getLast())).isInstanceOf(ServerLine.ShuttingDown.class);
        assertThat(ServerLine.parse(unnamed.readToEnd().getLast())).isInstanceOf(ServerLine.ShuttingDown.class);
        assertThat(server.connectionCount()).isZero();
    }
}
