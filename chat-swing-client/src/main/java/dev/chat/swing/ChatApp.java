package dev.chat.swing;

import dev.chat.client.KnownServers;
import dev.chat.client.identity.IdentityFile;
import dev.chat.client.identity.KnownKeys;
import dev.chat.protocol.Protocol;
import dev.chat.swing.model.ChatModel;
import dev.chat.swing.model.ConnectOutcome;
import dev.chat.swing.model.ModelEvent;
import java.awt.Window;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.swing.JOptionPane;
import javax.swing.JPasswordField;

/**
 * Puts the desktop client together on the Event Dispatch Thread: the model, the connect
 * dialog and the main window, and what happens between them.
 */
final class ChatApp {

    /**
     * What the user gave on the command line; null fields were not given.
     *
     * @param password     the server's password, read from a file
     * @param knownServers the file of trusted server fingerprints; null for the one in the user's home
     * @param keysHome     the home whose {@code .chat/identity} and {@code .chat/known-keys} hold the
     *                     user's keys and the pinned keys of others; null to run without keys
     */
    record StartOptions(String host, Integer port, String name, Boolean tls, String password, Path knownServers,
                        Path keysHome) {

        StartOptions(String host, Integer port, String name, Boolean tls, String password, Path knownServers) {
            this(host, port, name, tls, password, knownServers, null);
        }

        StartOptions(String host, Integer port, String name) {
            this(host, port, name, null, null, null, null);
        }

        /** Never shows the password. */
        @Override
        public String toString() {
            return "StartOptions[" + host + ":" + port + (Boolean.TRUE.equals(tls) ? " tls" : "") + ", name=" + name
                    + (password == null ? "" : ", password given") + ", knownServers=" + knownServers + "]";
        }
    }

    private final ClientPrefs prefs;
    private final Runnable onExit;
    private final ChatModel model;
    private final MainWindow window;
    private ConnectDialog dialog;
    private boolean quitting;
    /** What the user asked to connect to last (command line or dialog), for the dialog if that fails. */
    private StartOptions requested;

    private ChatApp(ClientPrefs prefs, KnownServers knownServers, IdentityFile.Opened keys, Path keysHome,
                    Runnable onExit) {
        this.prefs = prefs;
        this.onExit = onExit;
        this.model = new ChatModel(new EdtAdapter(this::handle), knownServers,
                new TrustDialog(this::dialogWindow, knownServers.file()), keys == null ? null : keys.identity(),
                keys == null ? null : KnownKeys.inHome(keysHome));
        this.window = new MainWindow(model, prefs, this::quit);
    }

    /**
     * The user's keys in {@code home}, made on first use; asks for the passphrase in a dialog only
     * when the file has one. On the Event Dispatch Thread, before any window. Returns null, after
     * saying why, when the client is to run without keys.
     */
    private static IdentityFile.Opened openKeys(Path home) {
        IdentityFile file = IdentityFile.inHome(home);
        try {
            IdentityFile.Opened opened = file.open((path, wrong) -> {
                JPasswordField field = new JPasswordField(24);
                Object[] message = {(wrong ? "Wrong passphrase. " : "") + "Passphrase of your key (" + path + "):", field};
                int answer = JOptionPane.showConfirmDialog(null, message, "Your key", JOptionPane.OK_CANCEL_OPTION,
                        JOptionPane.QUESTION_MESSAGE);
                char[] typed = field.getPassword();
                if (answer != JOptionPane.OK_OPTION) {
                    Arrays.fill(typed, '\0');
                    return null;
                }
                return typed;
            });
            if (opened == null) {
                JOptionPane.showMessageDialog(null, "No passphrase was given: this session runs without keys."
                        + " Private messages go unencrypted.", "Your key", JOptionPane.WARNING_MESSAGE);
            }
            return opened;
        } catch (IOException e) {
            JOptionPane.showMessageDialog(null, "Your key cannot be used: " + e.getMessage()
                    + "\nThis session runs without keys; private messages go unencrypted.", "Your key",
                    JOptionPane.WARNING_MESSAGE);
            return null;
        }
    }

    /**
     * Starts the client: connects straight away when a name was given, otherwise opens the
     * connect dialog. Call on the Event Dispatch Thread after the look and feel is set up.
     *
     * @param onExit run on the Event Dispatch Thread once the session has ended and the windows are gone
     */
    static ChatApp start(StartOptions options, ClientPrefs prefs, Runnable onExit) {
        KnownServers knownServers = options.knownServers() != null ? new KnownServers(options.knownServers())
                : KnownServers.inHome(Path.of(System.getProperty("user.home")));
        IdentityFile.Opened keys = options.keysHome() == null ? null : openKeys(options.keysHome());
        ChatApp app = new ChatApp(prefs, knownServers, keys, options.keysHome(), onExit);
        if (keys != null && keys.created()) {
            app.model.notice("Made your key in " + IdentityFile.inHome(options.keysHome()).file() + " (fingerprint "
                    + keys.identity().publicIdentity().fingerprint() + "). Private messages to others whose clients"
                    + " have keys are now encrypted end to end; Chat \u203a Register this name keeps your name yours.");
        }
        String host = options.host() != null ? options.host() : prefs.host();
        boolean tls = options.tls() != null ? options.tls() : prefs.tls();
        int port;
        if (options.port() != null) {
            port = options.port();
        } else if (tls != prefs.tls()) {
            // The remembered port belongs to the other kind of connection.
            port = tls ? Protocol.DEFAULT_TLS_PORT : Protocol.DEFAULT_PORT;
        } else {
            port = prefs.port();
        }
        app.requested = new StartOptions(host, port, options.name() != null ? options.name() : prefs.name(), tls,
                options.password(), options.knownServers(), options.keysHome());
        if (options.name() != null) {
            app.model.connect(host, port, tls, options.password(), options.name());
        } else {
            app.openDialog(app.requested);
        }
        return app;
    }

    MainWindow window() {
        return window;
    }

    /** The connect dialog while it is open, else null. */
    ConnectDialog dialog() {
        return dialog;
    }

    ChatModel model() {
        return model;
    }

    /** Ends the session: sends {@code /quit}, then closes the windows and runs the exit action. */
    void quit() {
        if (quitting) {
            return;
        }
        quitting = true;
        window.frame().setVisible(false);
        model.quit();
    }

    /** The connect dialog's window while it is open, else null: the trust dialog goes over it. */
    private Window dialogWindow() {
        return dialog == null ? null : dialog.window();
    }

    private void openDialog(StartOptions values) {
        dialog = new ConnectDialog(values.host(), values.port(), values.tls(), values.password(), values.name(),
                new ConnectDialog.Actions() {
            @Override
            public void connect(String toHost, int toPort, boolean tls, String password, String asName) {
                requested = new StartOptions(toHost, toPort, asName, tls, password, requested.knownServers());
                model.connect(toHost, toPort, tls, password, asName);
            }

            @Override
            public void cancel() {
                dialog = null;
                quit();
            }
        });
        dialog.show();
    }

    // ---- model events, on the Event Dispatch Thread ----

    /** Connecting and leaving are the app's business; everything else is the window's. */
    private void handle(ModelEvent event) {
        switch (event) {
            case ModelEvent.ConnectFinished finished -> connectFinished(finished.outcome());
            case ModelEvent.ReconnectStopped stopped -> {
                // The session is gone until the user acts: the dialog asks for what is needed.
                window.handle(event);
                failed(stopped.outcome());
            }
            case ModelEvent.QuitFinished finished -> quitFinished();
            default -> window.handle(event);
        }
    }

    private void connectFinished(ConnectOutcome outcome) {
        if (outcome instanceof ConnectOutcome.Connected connected) {
            if (dialog != null) {
                // The servers as the user gave them, not only the one that answered: the next start tries them all.
                prefs.saveConnection(requested.host(), requested.port(), connected.tls(), connected.name());
                dialog.close();
                dialog = null;
            }
            window.show();
        } else {
            failed(outcome);
        }
    }

    private void failed(ConnectOutcome outcome) {
        if (dialog == null) {
            // Started from the command line, or the session was lost for good: let the user fix it in the dialog.
            openDialog(requested);
        }
        dialog.showFailure(outcome);
    }

    private void quitFinished() {
        if (dialog != null) {
            dialog.close();
            dialog = null;
        }
        window.dispose();
        onExit.run();
    }
}
