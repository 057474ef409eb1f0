package dev.chat.swing;

import static dev.chat.swing.DesktopApp.onEdt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ServerLine;
import dev.chat.swing.model.ChatModel;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The window given several servers in the connect dialog: it moves to the next when its server goes away. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SwingFailoverWindowTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final TestServer first = TestServer.create();
    @RegisterExtension
    final TestServer second = TestServer.create();

    @RegisterExtension
    final DesktopApp desktop = new DesktopApp();

    private ChatApp app;

    private void openDialogWith(String servers) throws Exception {
        desktop.prefs().saveConnection(servers, 5555, false, "alice");
        app = desktop.start(new ChatApp.StartOptions(null, null, null));
        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog() != null && app.dialog().hostField().isShowing()));
    }

    private void clickConnect() throws Exception {
        onEdt(() -> {
            app.dialog().connectButton().doClick();
            return null;
        });
    }

    private String statusText() throws Exception {
        return onEdt(() -> app.window().statusText());
    }

    @Test
    void aClosedServer_isLeftForTheNextOfTheDialogsList_withTheNameAndTheRooms() throws Exception {
        String one = "127.0.0.1:" + first.port();
        String two = "127.0.0.1:" + second.port();
        openDialogWith(one + ", " + two);
        assertThat(onEdt(() -> app.dialog().hostField().getText())).as("remembered list").isEqualTo(one + ", " + two);
        clickConnect();
        await().atMost(WAIT).until(() -> onEdt(() -> app.window().frame().isShowing()));
        await().atMost(WAIT).until(() -> statusText().equals("Connected to " + one + " as alice"));
        app.model().joinRoom("#dev");
        await().atMost(WAIT).until(() -> onEdt(() -> app.window().tabTitles()).equals(List.of("#lobby", "#dev")));

        first.stop();

        await().atMost(Duration.ofSeconds(20)).until(() -> statusText().equals("Connected to " + two + " as alice"));
        await().atMost(WAIT).until(() -> onEdt(() -> app.window().conversationText(ChatModel.ROOM))
                .contains("Connection to " + one + " lost. Trying " + two + "."));
        assertThat(onEdt(() -> app.window().conversationText(ChatModel.ROOM))).contains("Reconnected to " + two + ".");
        WireClient bob = second.register("bob");
        bob.send("/who #dev");
        assertThat(bob.awaitIn("#dev", ServerLine.Online.class).names()).containsExactly("alice");
        assertThat(onEdt(() -> app.window().tabTitles())).isEqualTo(List.of("#lobby", "#dev"));
        assertThat(desktop.prefs().host()).as("the whole list is remembered").isEqualTo(one + ", " + two);
    }

    @Test
    void aServerListWithAnEmptyEntry_marksTheServerField() throws Exception {
        openDialogWith("127.0.0.1:" + first.port() + ",,127.0.0.1");

        clickConnect();

        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog().problemText())
                .equals("An empty server in the list (servers are separated by commas)."));
        assertThat(onEdt(() -> ConnectDialog.isMarked(app.dialog().hostField()))).isTrue();
        assertThat(onEdt(() -> ConnectDialog.isMarked(app.dialog().portField()))).isFalse();
        assertThat(first.userCount()).isZero();
    }
}
