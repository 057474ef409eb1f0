package dev.chat.protocol;

import java.util.ArrayList;
import java.util.List;

/** What a line a client sends means: text to say, or a command with its argument text. */
public sealed interface ClientLine {

    /** Text to send to everyone. */
    record Say(String text) implements ClientLine {
    }

    /**
     * A command as typed: {@code word} is what follows the slash, {@code argumentText} the
     * rest of the line without the blank that separates it (possibly empty).
     */
    record Invocation(String word, String argumentText) implements ClientLine {

        /**
         * Splits {@link #argumentText()} into at most {@code count} arguments, the last one
         * taking the rest of the text.
         *
         * @return the arguments, or {@code null} when there are fewer than {@code count}
         */
        public List<String> arguments(int count) {
            return arguments(count, count);
        }

        /**
         * Splits {@link #argumentText()} into at most {@code max} arguments, the last one
         * taking the rest of the text.
         *
         * @return the arguments, or {@code null} when there are fewer than {@code min}
         */
        public List<String> arguments(int min, int max) {
            List<String> result = new ArrayList<>(max);
            String rest = argumentText.strip();
            for (int i = 0; i < max; i++) {
                if (rest.isEmpty()) {
                    return result.size() >= min ? result : null;
                }
                if (i == max - 1) {
                    result.add(rest);
                    break;
                }
                int blank = indexOfBlank(rest);
                if (blank < 0) {
                    result.add(rest);
                    rest = "";
                } else {
                    result.add(rest.substring(0, blank));
                    rest = rest.substring(blank + 1).stripLeading();
                }
            }
            return result;
        }

        private static int indexOfBlank(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (s.charAt(i) == ' ' || s.charAt(i) == '\t') {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * Reads a line as typed by a user: {@code /word rest} is a command, {@code //text} is
     * the text {@code /text}, anything else is text.
     */
    static ClientLine parse(String line) {
        if (line.length() > 1 && line.charAt(0) == Protocol.COMMAND_PREFIX
                && line.charAt(1) == Protocol.COMMAND_PREFIX) {
            return new Say(line.substring(1));
        }
        if (!line.isEmpty() && line.charAt(0) == Protocol.COMMAND_PREFIX) {
            int end = 1;
            while (end < line.length() && line.charAt(end) != ' ' && line.charAt(end) != '\t') {
                end++;
            }
            String rest = end < line.length() ? line.substring(end + 1) : "";
            return new Invocation(line.substring(1, end), rest);
        }
        return new Say(line);
    }
}
