package dev.chat.swing;

import dev.chat.protocol.NameRules;
import java.awt.Color;

/** Gives every sender a colour that stays the same across messages, sessions and machines. */
final class NameColors {

    private static final Color[] ON_LIGHT = {
        new Color(0xC62828), new Color(0xAD1457), new Color(0x6A1B9A), new Color(0x4527A0),
        new Color(0x1565C0), new Color(0x00838F), new Color(0x2E7D32), new Color(0x9E6A00),
        new Color(0xD84315), new Color(0x5D4037),
    };

    private static final Color[] ON_DARK = {
        new Color(0xFF8A80), new Color(0xF48FB1), new Color(0xCE93D8), new Color(0xB39DDB),
        new Color(0x90CAF9), new Color(0x80DEEA), new Color(0xA5D6A7), new Color(0xFFE082),
        new Color(0xFFAB91), new Color(0xBCAAA4),
    };

    private NameColors() {
    }

    /** The colour for {@code name} (ignoring case) on a light or a dark background. */
    static Color of(String name, boolean dark) {
        // String.hashCode is specified, so the colour is the same wherever the client runs.
        int index = Math.floorMod(NameRules.key(name).hashCode(), ON_LIGHT.length);
        return dark ? ON_DARK[index] : ON_LIGHT[index];
    }
}
