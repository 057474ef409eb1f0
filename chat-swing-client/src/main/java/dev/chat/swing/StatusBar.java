package dev.chat.swing;

import dev.chat.swing.model.ConnectionState;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import javax.swing.BorderFactory;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JLabel;
import javax.swing.JPanel;

/** The line at the bottom: where the connection stands, and "Reconnect now" while it is down. */
final class StatusBar {

    private final JLabel text = new JLabel();
    private final JButton reconnect = new JButton("Reconnect now");
    private final JPanel panel = new JPanel(new BorderLayout());
    private ConnectionState state = new ConnectionState.Disconnected();

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
        switch (newState) {
            case ConnectionState.Connected c -> {
                text.setText("Connected to " + c.host() + ":" + c.port() + " as " + c.name());
                text.setForeground(dark ? new Color(0x7EE787) : new Color(0x1A7F37));
                reconnect.setVisible(false);
            }
            case ConnectionState.Connecting c -> {
                text.setText("Connecting to " + c.host() + ":" + c.port() + "\u2026");
                text.setForeground(LookAndFeelSetup.color("Label.foreground", Color.DARK_GRAY));
                reconnect.setVisible(false);
            }
            case ConnectionState.Reconnecting r -> {
                text.setText("Disconnected \u2014 reconnecting in " + r.seconds() + " s");
                text.setForeground(dark ? new Color(0xE3B341) : new Color(0x9A6700));
                reconnect.setVisible(true);
            }
            case ConnectionState.Disconnected d -> {
                text.setText("Disconnected");
                text.setForeground(dark ? new Color(0xFF7B72) : new Color(0xCF222E));
                reconnect.setVisible(false);
            }
        }
    }

    void themeChanged() {
        panel.setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(1, 0, 0, 0, LookAndFeelSetup.color("Component.borderColor", Color.GRAY)),
                BorderFactory.createEmptyBorder(3, 10, 3, 6)));
        show(state);
    }
}
