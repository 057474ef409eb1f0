package dev.chat.console;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What the user asked for on the command line, checked and ready to use.
 *
 * @param name    the name to register, or null to ask for one
 * @param waitFor a pattern a received line must match before a script's session ends, or null
 * @param timeout how long to wait for {@code waitFor}
 */
public record ConsoleOptions(
        String host,
        int port,
        String name,
        boolean reconnect,
        Duration connectTimeout,
        boolean noColor,
        boolean verbose,
        Pattern waitFor,
        Duration timeout) {
}
