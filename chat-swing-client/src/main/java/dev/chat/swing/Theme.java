package dev.chat.swing;

/** The look the user picked: light, dark, or whatever the desktop uses. */
enum Theme {
    LIGHT("Light"),
    DARK("Dark"),
    SYSTEM("Follow the system");

    private final String label;

    Theme(String label) {
        this.label = label;
    }

    /** The menu text for this theme. */
    String label() {
        return label;
    }

    /** The theme stored under {@code name}, or {@link #SYSTEM} when there is none or it is unknown. */
    static Theme fromName(String name) {
        for (Theme theme : values()) {
            if (theme.name().equals(name)) {
                return theme;
            }
        }
        return SYSTEM;
    }
}
