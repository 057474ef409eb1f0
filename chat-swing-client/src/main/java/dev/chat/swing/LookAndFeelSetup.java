package dev.chat.swing;

import com.formdev.flatlaf.FlatDarkLaf;
import com.formdev.flatlaf.FlatLaf;
import com.formdev.flatlaf.FlatLightLaf;
import java.awt.Color;
import java.awt.Toolkit;
import java.util.Locale;
import java.util.Map;
import javax.swing.UIManager;

/** Everything about the look and feel: FlatLaf light or dark, the house tweaks, and switching at runtime. */
final class LookAndFeelSetup {

    /** Rounder corners and slimmer scroll bars than FlatLaf's defaults, for a current look. */
    private static final Map<String, String> TWEAKS = Map.of(
            "Component.arc", "10",
            "Button.arc", "10",
            "TextComponent.arc", "10",
            "ScrollBar.thumbArc", "999",
            "ScrollBar.thumbInsets", "2,2,2,2",
            "ScrollBar.width", "12",
            "TabbedPane.showTabSeparators", "false",
            "TitlePane.unifiedBackground", "true");

    private LookAndFeelSetup() {
    }

    /**
     * Installs FlatLaf in {@code theme}. Call on the Event Dispatch Thread before the first
     * window is made; later calls switch the theme of every open window.
     */
    static void apply(Theme theme) {
        FlatLaf.setGlobalExtraDefaults(TWEAKS);
        boolean dark = theme == Theme.DARK || (theme == Theme.SYSTEM && desktopPrefersDark());
        if (dark) {
            FlatDarkLaf.setup();
        } else {
            FlatLightLaf.setup();
        }
        FlatLaf.updateUI();
    }

    /** Whether the installed look is dark. */
    static boolean isDark() {
        return FlatLaf.isLafDark();
    }

    /** A UI colour of the installed look, or {@code fallback} when it has none under that key. */
    static Color color(String key, Color fallback) {
        Color color = UIManager.getColor(key);
        return color != null ? color : fallback;
    }

    /**
     * Whether the desktop says it uses a dark theme. Java only learns this from GTK desktops
     * (through the theme name); everywhere else the answer is light.
     */
    private static boolean desktopPrefersDark() {
        Object gtkTheme = Toolkit.getDefaultToolkit().getDesktopProperty("gnome.Net/ThemeName");
        return gtkTheme instanceof String themeName && themeName.toLowerCase(Locale.ROOT).contains("dark");
    }
}
