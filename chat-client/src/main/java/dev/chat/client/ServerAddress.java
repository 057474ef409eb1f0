package dev.chat.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One server of the list a user gives ({@code a, b:5556, [::1]:5557}), so that both clients read
 * it the same way; it becomes an {@link Endpoint} once the client knows whether to use TLS.
 */
public record ServerAddress(String host, int port) {

    public ServerAddress {
        if (host == null || host.isBlank() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("not a server address: " + host + ":" + port);
        }
    }

    /**
     * The servers of {@code text}, comma-separated entries of {@code host} or {@code host:port}
     * ({@code [address]:port} for IPv6; a bare IPv6 address takes the default port), in order and
     * each once; an entry without a port takes {@code defaultPort}.
     *
     * @throws IllegalArgumentException when an entry is empty or its port is no number from 1 to
     *                                  65535; the message is fit for users
     */
    public static List<ServerAddress> parseList(String text, int defaultPort) {
        Set<ServerAddress> servers = new LinkedHashSet<>();
        for (String entry : text.split(",", -1)) {
            servers.add(parse(entry.strip(), defaultPort));
        }
        return List.copyOf(servers);
    }

    private static ServerAddress parse(String entry, int defaultPort) {
        if (entry.isEmpty()) {
            throw new IllegalArgumentException("an empty server in the list (servers are separated by commas)");
        }
        String host = entry;
        String port = null;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0 || close + 1 < entry.length() && entry.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("\"" + entry + "\" is not a server: write an IPv6 address as"
                        + " [address] or [address]:port");
            }
            host = entry.substring(1, close);
            port = close + 1 < entry.length() ? entry.substring(close + 2) : null;
        } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
            host = entry.substring(0, entry.indexOf(':'));
            port = entry.substring(entry.indexOf(':') + 1);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("\"" + entry + "\" names no host");
        }
        return new ServerAddress(host, port == null ? defaultPort : portNumber(entry, port));
    }

    private static int portNumber(String entry, String port) {
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            number = -1;
        }
        if (number < 1 || number > 65535) {
            throw new IllegalArgumentException("the port of \"" + entry + "\" is not a number from 1 to 65535");
        }
        return number;
    }

    /** {@code servers} as users write them: {@code a:5555, b:5556}. */
    public static String format(List<ServerAddress> servers) {
        return servers.stream().map(ServerAddress::toString).collect(Collectors.joining(", "));
    }

    /** The endpoints of {@code servers}: with TLS trusting as {@code tls} says, or plain text when it is null. */
    public static List<Endpoint> endpoints(List<ServerAddress> servers, ServerTrust tls) {
        List<Endpoint> endpoints = new ArrayList<>(servers.size());
        for (ServerAddress server : servers) {
            endpoints.add(new Endpoint(server.host(), server.port(), tls));
        }
        return List.copyOf(endpoints);
    }

    /** {@code host:port}, an IPv6 address in brackets. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
