package dev.chat.console;

import dev.chat.client.ServerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What the user asked for on the command line, checked and ready to use.
 *
 * @param servers          the servers to sign on to, the first that answers; a lost session moves on to the next
 * @param name             the name to register, or null to ask for one
 * @param reconnect        whether a lost session is brought back (always with several servers)
 * @param waitFor          a pattern a received line must match before a script's session ends, or null
 * @param timeout          how long to wait for {@code waitFor}
 * @param tls              whether to connect with TLS
 * @param knownServers     the file of trusted server fingerprints
 * @param trustFingerprint the fingerprint to trust for a server not known yet, or null to ask
 * @param password         the server's password, or null to ask for it when the server wants one
 * @param downloads        the directory files received over direct connections are saved in
 */
public record ConsoleOptions(
        List<ServerAddress> servers,
        String name,
        boolean reconnect,
        Duration connectTimeout,
        boolean noColor,
        boolean verbose,
        Pattern waitFor,
        Duration timeout,
        boolean tls,
        Path knownServers,
        String trustFingerprint,
        String password,
        Path downloads) {

    public ConsoleOptions {
        servers = List.copyOf(servers);
    }

    /** Whether the user gave more than one server, so that messages say which one is meant. */
    public boolean severalServers() {
        return servers.size() > 1;
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "ConsoleOptions[" + ServerAddress.format(servers) + (tls ? " tls" : "") + ", name=" + name
                + (password == null ? "" : ", password given") + "]";
    }
}
