package dev.chat.protocol.identity;

import java.util.regex.Pattern;

/**
 * How a sealed private message looks on the wire: {@code e2e1:} and base64url, one token without
 * a blank (a newer version's {@code e2e2:} and so on alike). The server cannot open one; it tells
 * one apart only so as never to log it.
 */
public final class SealedToken {

    /** What the tokens of this version start with. */
    public static final String PREFIX = "e2e1:";

    private static final Pattern FORM = Pattern.compile("e2e[0-9]+:[A-Za-z0-9_-]+");

    private SealedToken() {
    }

    /** Whether {@code text} has the form of a sealed message of this or a later version. */
    public static boolean looksSealed(String text) {
        return FORM.matcher(text).matches();
    }
}
