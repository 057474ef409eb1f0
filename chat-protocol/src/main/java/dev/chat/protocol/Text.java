package dev.chat.protocol;

/** Makes text safe to show on any terminal or window. */
public final class Text {

    private Text() {
    }

    /**
     * Removes every control character except tab: C0 controls (ESC among them, so no
     * escape sequence survives), DEL and C1 controls. Returns {@code text} itself when
     * there is nothing to remove.
     */
    public static String stripControls(String text) {
        int i = 0;
        while (i < text.length() && !isUnsafe(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder safe = new StringBuilder(text.length());
        safe.append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isUnsafe(c)) {
                safe.append(c);
            }
        }
        return safe.toString();
    }

    /** Whether {@code c} is a control character other than tab. */
    public static boolean isUnsafe(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }
}
