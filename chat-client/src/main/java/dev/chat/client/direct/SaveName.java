package dev.chat.client.direct;

import java.nio.file.Path;

/**
 * The names files are saved under: an offered name made safe to save (the last part of a path,
 * no control characters), and a free name next to a taken one, {@code report (1).pdf}, so that
 * no file is ever overwritten.
 */
public final class SaveName {

    /** The longest name kept, in characters; longer ones are cut before their extension. */
    static final int MAX_CHARACTERS = 120;

    private SaveName() {
    }

    /** {@code offered} as a file name of its own: no directory, no control character, not "." or "..", never empty. */
    public static String clean(String offered) {
        String last = offered.substring(Math.max(offered.lastIndexOf('/'), offered.lastIndexOf('\\')) + 1);
        StringBuilder kept = new StringBuilder();
        last.codePoints().filter(c -> !Character.isISOControl(c) && c != ':' && c != '\u2028' && c != '\u2029')
                .forEach(kept::appendCodePoint);
        String name = kept.toString().strip();
        while (name.startsWith(".")) {
            // No hidden files, and never "." or "..".
            name = name.substring(1);
        }
        if (name.isEmpty()) {
            return "file";
        }
        if (name.length() > MAX_CHARACTERS) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
            name = name.substring(0, MAX_CHARACTERS - extension.length()) + extension;
        }
        return name;
    }

    /** The {@code n}th free name for {@code wanted}: itself for 0, else {@code name (n).ext}. */
    static Path numbered(Path wanted, int n) {
        if (n == 0) {
            return wanted;
        }
        String name = wanted.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        return wanted.resolveSibling(stem + " (" + n + ")" + extension);
    }
}
