package dev.chat.swing;

import static dev.chat.swing.DesktopApp.onEdt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.client.KnownServers;
import dev.chat.protocol.Protocol;
import dev.chat.swing.model.ChatModel;
import dev.chat.server.ServerConfig;
import dev.chat.testkit.TestServer;
import java.awt.Component;
import java.awt.Container;
import java.awt.Window;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import javax.swing.AbstractButton;
import javax.swing.JDialog;
import javax.swing.JTextField;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The connect dialog and the trust dialog on a real display against a TLS-only server with a password. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SwingSecurityWindowTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SECRET = "correct horse 7";

    @TempDir
    Path home;

    @RegisterExtension
    final TestServer server = TestServer.create().password(SECRET)
            .configure(config -> config.plain(false).tls(new ServerConfig.Tls(0, null, null, home.resolve("data"))));

    private KnownServers known;
    @RegisterExtension
    final DesktopApp desktop = new DesktopApp();

    private ChatApp app;

    @BeforeEach
    void setUp() throws Exception {
        server.start();
        known = new KnownServers(home.resolve("known-servers"));
    }

    private void openDialog() throws Exception {
        app = desktop.start(new ChatApp.StartOptions("127.0.0.1", Protocol.DEFAULT_PORT, null, false, null,
                known.file()));
        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog() != null && app.dialog().nameField().isShowing()));
    }

    /** Opens the connect dialog with TLS ticked and the test server's TLS port filled in. */
    private void openDialogForTls() throws Exception {
        openDialog();
        onEdt(() -> {
            app.dialog().tlsBox().doClick();
            app.dialog().portField().setText(String.valueOf(server.tlsPort()));
            return null;
        });
    }

    /** Fills in the dialog for the test server with TLS, checking that the TLS box moves the port, and connects. */
    private void connectWith(String password) throws Exception {
        onEdt(() -> {
            ConnectDialog dialog = app.dialog();
            dialog.passwordField().setText(password);
            dialog.nameField().setText("alice");
            dialog.connectButton().doClick();
            return null;
        });
    }

    @Test
    void trustDialogShowsTheFingerprint_wrongPasswordMarksOnlyItsField_andTheRightOneConnects() throws Exception {
        openDialog();
        onEdt(() -> {
            app.dialog().tlsBox().doClick();
            return null;
        });
        assertThat(onEdt(() -> app.dialog().portField().getText()))
                .as("the TLS box moves the usual port along").isEqualTo(String.valueOf(Protocol.DEFAULT_TLS_PORT));
        onEdt(() -> {
            app.dialog().portField().setText(String.valueOf(server.tlsPort()));
            return null;
        });

        connectWith("not it");
        await().atMost(WAIT).until(() -> onEdt(() -> trustDialog() != null));
        assertThat(onEdt(() -> texts(trustDialog()))).contains(server.server().tlsFingerprint());
        assertThat(onEdt(() -> app.dialog().problemText())).isEmpty();
        onEdt(() -> {
            button(trustDialog(), TrustDialog.TRUST).doClick();
            return null;
        });

        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog().problemText()).contains("refused the password"));
        assertThat(onEdt(() -> Arrays.asList(marks(app.dialog())))).as("host, port, password, name")
                .containsExactly(false, false, true, false);
        assertThat(known.fingerprint("127.0.0.1", server.tlsPort())).contains(server.server().tlsFingerprint());

        connectWith(SECRET);
        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog() == null && app.window().frame().isShowing()));
        await().atMost(WAIT).until(() -> onEdt(() -> app.window().statusText()).startsWith("Connected"));
        assertThat(onEdt(() -> app.window().statusText())).as("the status bar says TLS and shows the certificate")
                .isEqualTo("Connected to 127.0.0.1:" + server.tlsPort() + " as alice \u00b7 TLS, certificate "
                        + StatusBar.shortFingerprint(server.server().tlsFingerprint()));
        assertThat(onEdt(() -> app.window().statusToolTip())).contains(server.server().tlsFingerprint());
        ClientPrefs prefs = desktop.prefs();
        assertThat(prefs.tls()).isTrue();
        assertThat(prefs.port()).isEqualTo(server.tlsPort());
        for (String key : desktop.prefsNode().keys()) {
            assertThat(desktop.prefsNode().get(key, "")).as("prefs " + key).doesNotContain(SECRET);
        }
    }

    @Test
    void aPasswordChangedWhileTheServerWasDown_isAskedForAgain_andTheNewOneReconnects() throws Exception {
        known.remember("127.0.0.1", server.tlsPort(), server.server().tlsFingerprint());
        openDialogForTls();
        connectWith(SECRET);
        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog() == null
                && app.window().statusText().startsWith("Connected")));
        server.stop();
        server.file("password", "battery staple 9\n");
        server.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> onEdt(() -> app.dialog() != null
                && app.dialog().problemText().contains("refused the password")));
        assertThat(onEdt(() -> Arrays.asList(marks(app.dialog())))).as("only the password is to fix")
                .containsExactly(false, false, true, false);
        assertThat(onEdt(() -> app.window().conversationText(ChatModel.ROOM)))
                .contains("Not reconnected");

        connectWith("battery staple 9");
        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog() == null
                && app.window().statusText().startsWith("Connected")));
        assertThat(server.userCount()).isEqualTo(1);
    }

    @Test
    void changedCertificate_isExplainedInTheDialog_withoutAskingAndWithoutMarkingAField() throws Exception {
        String other = String.join(":", Collections.nCopies(32, "AB"));
        known.remember("127.0.0.1", server.tlsPort(), other);
        openDialogForTls();

        connectWith(SECRET);
        await().atMost(WAIT).until(() -> onEdt(() -> app.dialog().problemText()).contains("has changed"));
        String problem = onEdt(() -> app.dialog().problemText());
        assertThat(problem).contains(other, server.server().tlsFingerprint(), known.file().toString()).doesNotContain(SECRET);
        assertThat(onEdt(() -> Arrays.asList(marks(app.dialog())))).containsExactly(false, false, false, false);
        assertThat(onEdt(this::trustDialog)).as("never offered to trust the new certificate").isNull();
        assertThat(server.userCount()).isZero();
    }

    private JDialog trustDialog() {
        for (Window window : Window.getWindows()) {
            if (window instanceof JDialog dialog && dialog.isShowing() && TrustDialog.TITLE.equals(dialog.getTitle())) {
                return dialog;
            }
        }
        return null;
    }

    private static Boolean[] marks(ConnectDialog dialog) {
        return new Boolean[] {ConnectDialog.isMarked(dialog.hostField()), ConnectDialog.isMarked(dialog.portField()),
            ConnectDialog.isMarked(dialog.passwordField()), ConnectDialog.isMarked(dialog.nameField())};
    }

    /** The text of every text field in {@code container}, one per line. */
    private static String texts(Container container) {
        StringBuilder all = new StringBuilder();
        for (Component component : container.getComponents()) {
            if (component instanceof JTextField field) {
                all.append(field.getText()).append('\n');
            } else if (component instanceof Container inner) {
                all.append(texts(inner));
            }
        }
        return all.toString();
    }

    private static AbstractButton button(Container container, String text) {
        for (Component component : container.getComponents()) {
            if (component instanceof AbstractButton button && text.equals(button.getText())) {
                return button;
            }
            if (component instanceof Container inner) {
                AbstractButton found = button(inner, text);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }
}
