package dev.chat.protocol;

import java.util.Locale;

/** The rules a user name follows: 1 to 20 ASCII letters, digits, '_', '-' or '.', unique ignoring case. */
public final class NameRules {

    /** The longest name, in characters. */
    public static final int MAX_LENGTH = 20;

    /** Why a proposed name is not acceptable. */
    public enum Problem {
        EMPTY("a name cannot be empty"),
        TOO_LONG("a name has at most " + MAX_LENGTH + " characters"),
        BAD_CHARACTER("a name may only contain ASCII letters, digits, '_', '-' and '.'");

        private final String explanation;

        Problem(String explanation) {
            this.explanation = explanation;
        }

        /** A sentence fragment that tells a user what is wrong, e.g. "a name cannot be empty". */
        public String explanation() {
            return explanation;
        }
    }

    private NameRules() {
    }

    /** Returns what is wrong with {@code name}, or {@code null} when it is a valid name. */
    public static Problem check(String name) {
        if (name.isEmpty()) {
            return Problem.EMPTY;
        }
        if (name.length() > MAX_LENGTH) {
            return Problem.TOO_LONG;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!isNameChar(name.charAt(i))) {
                return Problem.BAD_CHARACTER;
            }
        }
        return null;
    }

    /** Whether {@code name} follows the rules. */
    public static boolean isValid(String name) {
        return check(name) == null;
    }

    /** Whether {@code c} may appear in a name. */
    public static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '.';
    }

    /** The form under which names are compared: two names are the same user when their keys are equal. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
