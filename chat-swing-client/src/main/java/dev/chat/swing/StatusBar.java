package dev.chat.swing;

import dev.chat.client.ConnectionState;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;

/**
 * The line at the bottom: where the connection stands and on which server (with TLS, the server
 * certificate's fingerprint, whole in the tooltip), and "Reconnect now" while it is down.
 */
final class StatusBar {

    private final JLabel text = new JLabel();
    private final JButton reconnect = new JButton("Reconnect now");
    private final JPanel panel = new JPanel(new BorderLayout());
    private ConnectionState state = new ConnectionState.Offline();

    /** @param onReconnect called when the user asks to reconnect at once */
    StatusBar(Runnable onReconnect) {
        reconnect.addActionListener(e -> onReconnect.run());
        reconnect.putClientProperty("JButton.buttonType", "borderless");
        JPanel right = new JPanel(new FlowLayout(FlowLayout.RIGHT, 0, 0));
        right.setOpaque(false);
        right.add(reconnect);
        panel.add(text, BorderLayout.CENTER);
        panel.add(right, BorderLayout.EAST);
        themeChanged();
    }

    JComponent component() {
        return panel;
    }

    /** The text shown, e.g. "Connected to localhost:5555 as alice". */
    String text() {
        return text.getText();
    }

    boolean offersReconnect() {
        return reconnect.isVisible();
    }

    void show(ConnectionState newState) {
        state = newState;
        boolean dark = LookAndFeelSetup.isDark();
        text.setToolTipText(null);
        switch (newState) {
            case ConnectionState.SignedOn c -> {
                String where = "Connected to " + c.endpoint() + " as " + c.name();
                if (c.tls()) {
                    text.setText(where + " \u00b7 TLS, certificate " + shortFingerprint(c.fingerprint()));
                    text.setToolTipText("Encrypted with TLS. The server's certificate has the SHA-256 fingerprint "
                            + c.fingerprint());
                } else {
                    text.setText(where);
                    text.setToolTipText("Not encrypted: anyone on the network path can read this chat.");
                }
                text.setForeground(dark ? new Color(0x7EE787) : new Color(0x1A7F37));
                reconnect.setVisible(false);
            }
            case ConnectionState.Connecting c -> {
                text.setText("Connecting to " + c.endpoint() + "\u2026");
                text.setForeground(LookAndFeelSetup.color("Label.foreground", Color.DARK_GRAY));
                reconnect.setVisible(false);
            }
            case ConnectionState.Reconnecting r -> {
                text.setText("Disconnected \u2014 reconnecting to " + r.endpoint() + " in " + r.seconds() + " s");
                text.setForeground(dark ? new Color(0xE3B341) : new Color(0x9A6700));
                reconnect.setVisible(true);
            }
            case ConnectionState.Offline d -> {
                text.setText("Disconnected");
                text.setForeground(dark ? new Color(0xFF7B72) : new Color(0xCF222E));
                reconnect.setVisible(false);
            }
        }
    }

    /** The tooltip of the text, e.g. the whole fingerprint; null when there is none. */
    String toolTip() {
        return text.getToolTipText();
    }

    /** The first and last two pairs of a fingerprint, e.g. {@code 9E:1E:\u2026:9A:17}: enough to compare at a glance. */
    static String shortFingerprint(String fingerprint) {
        return fingerprint.length() <= 11 ? fingerprint
                : fingerprint.substring(0, 5) + ":\u2026:" + fingerprint.substring(fingerprint.length() - 5);
    }

    void themeChanged() {
        panel.setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(1, 0, 0, 0, LookAndFeelSetup.color("Component.borderColor", Color.GRAY)),
                BorderFactory.createEmptyBorder(3, 10, 3, 6)));
        show(state);
    }
}
