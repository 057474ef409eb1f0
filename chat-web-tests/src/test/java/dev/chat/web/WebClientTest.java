package dev.chat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Keys;

/**
 * The web client's page in real headless Chromium browsers, against a real server that TCP
 * users share: what its users see and do.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebClientTest {

    @RegisterExtension
    final TestServer server = TestServer.create()
            .web();

    @BeforeAll
    static void browserInstalled() {
        Browser.assumeInstalled();
    }

    private String page() {
        return "http://127.0.0.1:" + server.server().webPort() + "/";
    }

    private Browser browser() throws Exception {
        return server.closeAfter(Browser.open(page(), 1100, 700));
    }

    @Test
    void twoBrowsersAndATcpUser_chatInTheRoomsAndPrivately() throws Exception {
        WireClient carol = server.register("carol");
        Browser alice = browser().signOn("alice");
        Browser bob = browser().signOn("bob");
        alice.awaitSelected("#lobby");
        alice.awaitMembers("alice", "bob", "carol");

        alice.say("hello everyone");
        carol.awaitBody("alice: hello everyone");
        bob.awaitLine("alice: hello everyone");
        carol.send("hi browsers");
        alice.awaitLine("carol: hi browsers");
        bob.awaitLine("carol: hi browsers");

        bob.say("/me waves");
        carol.awaitBody("* bob waves");
        alice.awaitLine("* bob waves");

        bob.clickMember("alice");
        bob.awaitSelected("@alice");
        bob.say("psst, alice");
        alice.awaitTab("@bob");
        assertThat(alice.tabLabel("@bob")).contains("1 unread");
        alice.clickTab("@bob");
        alice.awaitSelected("@bob");
        alice.awaitLine("bob: psst, alice");
        alice.say("yes?");
        bob.awaitLine("alice: yes?");

        carol.send("/join #dev");
        carol.send("/in #dev /topic release on Friday");
        carol.awaitBody("#dev *** carol set the topic: release on Friday");
        alice.say("/join #dev");
        alice.awaitSelected("#dev");
        alice.awaitTopic("release on Friday");
        alice.awaitMembers("alice", "carol");
        carol.awaitBody("#dev *** alice joined");
        alice.say("the build is green");
        carol.awaitBody("#dev alice: the build is green");
    }

    @Test
    void tabCompletesNamesAndCommands_andUpBringsBackWhatWasSent() throws Exception {
        WireClient carol = server.register("caroline");
        Browser alice = browser().signOn("alice");
        alice.awaitMembers("caroline");
        alice.input().sendKeys("car", Keys.TAB);
        assertThat(alice.input().getAttribute("value")).isEqualTo("caroline: ");
        alice.input().sendKeys("hi\n");
        carol.awaitBody("alice: caroline: hi");
        alice.input().sendKeys("/aw", Keys.TAB, "lunch\n");
        alice.input().sendKeys(Keys.ARROW_UP);
        assertThat(alice.input().getAttribute("value")).isEqualTo("/away lunch");
        alice.input().sendKeys(Keys.ARROW_UP);
        assertThat(alice.input().getAttribute("value")).isEqualTo("caroline: hi");
    }

    @Test
    void serverPasswordIsAskedFor_andNickAndAwayWork() throws Exception {
        server.password("open sesame");
        WireClient carol = server.connect().pass("open sesame").register("carol");
        Browser alice = browser();
        alice.submitConnectForm("alice", "");
        assertThat(alice.awaitConnectError()).contains("password");
        alice.signOn("alice", "open sesame");
        carol.awaitBody("*** alice joined");

        alice.say("/nick alicia");
        alice.awaitStatus("Online as alicia");
        carol.awaitBody("*** alice is now known as alicia");
        alice.awaitMembers("alicia", "carol");
        alice.say("/away at lunch");
        carol.send("/msg alicia are you there?");
        carol.awaitBody("*** alicia is away: at lunch");
        alice.awaitTab("@carol");
    }

    @Test
    void notifications_forAPrivateMessageAndAMention_whileThePageIsBehindAnotherTab() throws Exception {
        WireClient carol = server.register("carol");
        Browser alice = server.closeAfter(Browser.openAllowingNotifications(page(), 1100, 700));
        assertThat(alice.offersNotifications()).as("no question once the browser has an answer").isFalse();
        alice.signOn("alice");
        alice.recordNotifications();
        carol.send("alice: seen as it comes");
        alice.awaitLine("carol: alice: seen as it comes");
        assertThat(alice.notifications()).as("a mention in the conversation in view").isEmpty();

        alice.lookAtAnotherTab();
        assertThat(alice.hidden()).isTrue();
        carol.send("just chatting");
        carol.send("/msg alice psst, alice");
        carol.send("alice: are you there?");
        carol.send("the last line");
        alice.awaitLine("carol: the last line");
        assertThat(alice.hidden()).as("still behind the other tab").isTrue();
        assertThat(alice.notifications())
                .containsExactly("carol (private): psst, alice", "carol in #lobby: alice: are you there?");
    }

    @Test
    void leave_endsTheSessionForGood_untilConnectAgain() throws Exception {
        WireClient carol = server.register("carol");
        Browser alice = browser().signOn("alice");
        alice.clickButton("leave");
        carol.awaitBody("*** alice left (quit)");
        alice.awaitStatus("Disconnected");
        alice.awaitLine("You left the chat.");
        assertThat(server.userCount()).isEqualTo(1);
        alice.clickButton("connect-again");
        alice.awaitStatus("Online as alice");
        carol.awaitBody("*** alice joined");
    }

    @Test
    void kickAndBan_areShownWithTheirReason_andThePageDoesNotComeBackByItself() throws Exception {
        server.operator("admin", "op-secret-42");
        WireClient op = server.register("opal");
        op.send("/oper admin op-secret-42");
        assertThat(op.await(ServerLine.Info.class).text()).contains("operator now");
        Browser alice = browser().signOn("alice");
        Browser bob = browser().signOn("bob");

        op.send("/kick alice enough spam");
        alice.awaitLine("kicked: ");
        alice.awaitLine("enough spam");
        alice.awaitLine("Disconnected by the server (kicked).");
        alice.awaitStatus("Disconnected");
        bob.awaitLine("alice left (kicked by opal: enough spam)");
        staysAt(2);

        op.send("/ban bob 1h flooding the lobby");
        bob.awaitLine("banned: ");
        bob.awaitLine("flooding the lobby");
        bob.awaitLine("Disconnected by the server (banned).");
        bob.awaitStatus("Disconnected");
        staysAt(1);
        bob.clickButton("connect-again");
        bob.awaitLine("Could not sign on again: ");
        assertThat(bob.lines()).anyMatch(line -> line.contains("Could not sign on again") && line.contains("flooding"));
        staysAt(1);

        alice.clickButton("connect-again");
        alice.awaitStatus("Online as alice");
    }

    /**
     * Asserts that the server keeps {@code connections} open for longer than the page's first
     * reconnect wait (1 s): a page that came back by itself would open one more.
     */
    private void staysAt(int connections) {
        await().during(Duration.ofMillis(2_500)).atMost(Duration.ofSeconds(10)).until(() -> server.connectionCount() == connections);
    }

    @Test
    void withTls_thePageAndItsWebSocketAreHttpsAndWss() throws Exception {
        server.tls();
        WireClient carol = server.register("carol");
        String page = "https://127.0.0.1:" + server.server().webPort() + "/";
        // The self-signed certificate accepted once, as a user does on the browser's warning page.
        Browser alice = server.closeAfter(Browser.open(page, 1100, 700, List.of("--ignore-certificate-errors")))
                .signOn("alice");
        alice.say("over https");
        carol.awaitBody("alice: over https");
        carol.send("and back");
        alice.awaitLine("carol: and back");
    }

    @Test
    void serverRestart_isSurvivedKeepingWhatIsShown() throws Exception {
        Browser alice = browser().signOn("alice");
        WireClient before = server.register("before");
        before.send("said before the restart");
        alice.awaitLine("before: said before the restart");

        server.stop();
        alice.awaitStatus("Connection lost");
        alice.awaitLine("Connection lost");
        server.start();
        alice.awaitStatus("Online as alice");
        alice.awaitLine("Connected again.");
        assertThat(alice.lines()).anyMatch(line -> line.contains("before: said before the restart"));

        WireClient after = server.register("after");
        alice.say("back again");
        after.awaitBody("alice: back again");
    }

    @Test
    void screenshots_lightAndDark() throws Exception {
        WireClient carol = server.register("carol");
        carol.send("/join #dev");
        carol.send("/in #dev /topic release on Friday");
        carol.send("/in #dev the build is green");
        Browser bob = browser().signOn("bob");
        Browser alice = browser().signOn("alice");
        bob.say("morning all");
        carol.send("/in #lobby morning bob");
        alice.say("/join #dev");
        alice.awaitSelected("#dev");
        carol.send("/in #dev alice: the release notes are up");
        carol.send("/in #dev /me ships it");
        bob.clickMember("alice");
        bob.say("lunch later?");
        alice.awaitTab("@bob");
        alice.say("looks good to me");
        alice.awaitLine("ships it");
        Path folder = Path.of("target", "screenshots");
        alice.darkTheme(false);
        alice.screenshot(folder.resolve("web-client-light.png"));
        alice.darkTheme(true);
        alice.screenshot(folder.resolve("web-client-dark.png"));
        assertThat(folder.resolve("web-client-dark.png")).exists();

        Browser phone = server.closeAfter(Browser.open(page(), 390, 760)).signOn("dana");
        phone.say("/join #dev");
        phone.awaitSelected("#dev");
        phone.awaitLine("ships it");
        phone.darkTheme(false);
        phone.screenshot(folder.resolve("web-client-phone.png"));
        phone.toggleMembers();
        phone.screenshot(folder.resolve("web-client-phone-members.png"));
        assertThat(phone.members()).contains("alice", "carol", "dana");
    }
}
