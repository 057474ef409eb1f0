package dev.chat.swing;

import dev.chat.client.TrustPrompt;
import java.awt.Font;
import java.awt.Window;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.BoxLayout;
import javax.swing.JDialog;
import javax.swing.JLabel;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;

/**
 * Asks the user, in a modal dialog, whether to trust a TLS server seen for the first time,
 * showing its certificate's fingerprint; the model calls it on its own thread and waits while
 * the dialog is shown on the Event Dispatch Thread.
 */
final class TrustDialog implements TrustPrompt {

    /** The dialog's title, by which tests find it. */
    static final String TITLE = "Trust this server?";
    static final String TRUST = "Trust and connect";
    static final String CANCEL = "Cancel";

    private static final Logger LOG = Logger.getLogger(TrustDialog.class.getName());

    private final Supplier<Window> owner;
    private final Path knownServersFile;

    /**
     * @param owner            the window to put the dialog over, or null; asked on the Event Dispatch Thread
     * @param knownServersFile where an accepted fingerprint is remembered, to tell the user
     */
    TrustDialog(Supplier<Window> owner, Path knownServersFile) {
        this.owner = owner;
        this.knownServersFile = knownServersFile;
    }

    /**
     * Shows the dialog on the Event Dispatch Thread and blocks the calling thread until the user
     * answers. Must not be called on the Event Dispatch Thread. An interrupt counts as no.
     */
    @Override
    public boolean trustFirstTime(String host, int port, String fingerprint) {
        if (SwingUtilities.isEventDispatchThread()) {
            throw new IllegalStateException("the trust prompt waits for the Event Dispatch Thread and cannot run on it");
        }
        AtomicBoolean trusted = new AtomicBoolean();
        try {
            SwingUtilities.invokeAndWait(() -> trusted.set(ask(host, port, fingerprint)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (InvocationTargetException e) {
            LOG.log(Level.SEVERE, "the trust dialog failed", e.getCause());
            return false;
        }
        return trusted.get();
    }

    /** Shows the modal dialog and returns whether the user chose to trust. Event Dispatch Thread. */
    private boolean ask(String host, int port, String fingerprint) {
        JOptionPane pane = new JOptionPane(message(host + ":" + port, fingerprint), JOptionPane.WARNING_MESSAGE,
                JOptionPane.DEFAULT_OPTION, null, new Object[] {TRUST, CANCEL}, CANCEL);
        JDialog dialog = pane.createDialog(owner.get(), TITLE);
        dialog.setIconImages(AppIcon.images());
        dialog.setVisible(true);
        dialog.dispose();
        return TRUST.equals(pane.getValue());
    }

    private JPanel message(String where, String fingerprint) {
        JPanel panel = new JPanel();
        panel.setLayout(new BoxLayout(panel, BoxLayout.PAGE_AXIS));
        panel.add(left(new JLabel("The server " + where + " shows a certificate that no authority vouches for")));
        panel.add(left(new JLabel("and that you have not trusted before. Its SHA-256 fingerprint is:")));
        panel.add(Box.createVerticalStrut(8));
        JTextField shown = new JTextField(fingerprint, fingerprint.length());
        shown.setEditable(false);
        shown.setFont(new Font(Font.MONOSPACED, Font.PLAIN, UIManager.getFont("Label.font").getSize()));
        shown.setName("fingerprint");
        panel.add(left(shown));
        panel.add(Box.createVerticalStrut(8));
        JTextArea explanation = new JTextArea("Compare it with the fingerprint the server's admin gave you (the server "
                + "prints it when it starts). If they are the same, trust it: the connection is then encrypted to "
                + "this server, the fingerprint is remembered in " + knownServersFile + ", and you will not be "
                + "asked again. If they differ, or you cannot check, cancel: someone may be listening in.");
        explanation.setColumns(fingerprint.length());
        explanation.setLineWrap(true);
        explanation.setWrapStyleWord(true);
        explanation.setEditable(false);
        explanation.setFocusable(false);
        explanation.setOpaque(false);
        explanation.setBorder(BorderFactory.createEmptyBorder());
        explanation.setFont(UIManager.getFont("Label.font"));
        panel.add(left(explanation));
        return panel;
    }

    private static <T extends javax.swing.JComponent> T left(T component) {
        component.setAlignmentX(0f);
        return component;
    }
}
