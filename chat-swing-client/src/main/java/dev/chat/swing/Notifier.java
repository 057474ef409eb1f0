package dev.chat.swing;

import java.awt.AWTException;
import java.awt.SystemTray;
import java.awt.Taskbar;
import java.awt.TrayIcon;
import java.awt.Window;

/**
 * Tells the user about a message while the window is in the background, through the
 * taskbar and the system tray where the platform has them; silently does nothing where not.
 */
final class Notifier {

    private static final System.Logger LOG = System.getLogger(Notifier.class.getName());

    private TrayIcon trayIcon;

    /** Asks for attention for {@code window} and shows {@code text} under {@code title}. */
    void notify(Window window, String title, String text) {
        try {
            if (Taskbar.isTaskbarSupported()) {
                Taskbar taskbar = Taskbar.getTaskbar();
                if (taskbar.isSupported(Taskbar.Feature.USER_ATTENTION_WINDOW)) {
                    taskbar.requestWindowUserAttention(window);
                }
            }
            TrayIcon icon = trayIcon();
            if (icon != null) {
                icon.displayMessage(title, text, TrayIcon.MessageType.INFO);
            }
        } catch (UnsupportedOperationException | SecurityException e) {
            LOG.log(System.Logger.Level.DEBUG, "No desktop notifications here: " + e.getMessage());
        }
    }

    /** Shows {@code count} on the application's taskbar icon where the platform can; 0 clears it. */
    void badge(int count) {
        try {
            if (Taskbar.isTaskbarSupported() && Taskbar.getTaskbar().isSupported(Taskbar.Feature.ICON_BADGE_NUMBER)) {
                Taskbar.getTaskbar().setIconBadge(count == 0 ? null : Integer.toString(count));
            }
        } catch (UnsupportedOperationException | SecurityException e) {
            LOG.log(System.Logger.Level.DEBUG, "No taskbar badge here: " + e.getMessage());
        }
    }

    /** Removes the tray icon, if one was added, so that nothing keeps the application alive. */
    void dispose() {
        if (trayIcon != null) {
            SystemTray.getSystemTray().remove(trayIcon);
            trayIcon = null;
        }
    }

    private TrayIcon trayIcon() {
        if (trayIcon == null && SystemTray.isSupported()) {
            TrayIcon icon = new TrayIcon(AppIcon.image(32), "Chat");
            icon.setImageAutoSize(true);
            try {
                SystemTray.getSystemTray().add(icon);
                trayIcon = icon;
            } catch (AWTException e) {
                LOG.log(System.Logger.Level.DEBUG, "No system tray here: " + e.getMessage());
            }
        }
        return trayIcon;
    }
}
