package dev.chat.protocol;

/** Makes text safe to show on any terminal or window. */
public final class Text {

    private Text() {
    }

    /**
     * Removes every control character except tab: C0 controls (ESC among them, so no
     * escape sequence survives), DEL, C1 controls, and the bidirectional embedding, override
     * and isolate characters (U+202A to U+202E, U+2066 to U+2069), with which a line could be
     * made to display differently from what it says, and the line and paragraph separators
     * (U+2028, U+2029), which would break a line where the protocol does not. Returns {@code text} itself when there
     * is nothing to remove.
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

    /** Whether {@code c} is a control character other than tab, or a bidirectional control. */
    public static boolean isUnsafe(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f)
                || (c >= '\u2028' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069');
    }
}
