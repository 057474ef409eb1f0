package dev.chat.client;

/**
 * Where a client connects, and whether with TLS.
 *
 * @param tls how to trust the server's certificate; null for a plain-text connection
 */
public record Endpoint(String host, int port, ServerTrust tls) {

    /** A plain-text connection to {@code host:port}. */
    public static Endpoint plain(String host, int port) {
        return new Endpoint(host, port, null);
    }

    /** A TLS connection to {@code host:port}, trusting the server as {@code trust} says. */
    public static Endpoint tls(String host, int port, ServerTrust trust) {
        return new Endpoint(host, port, trust);
    }

    /** Whether the connection is made with TLS. */
    public boolean isTls() {
        return tls != null;
    }

    /** {@code host:port}, as users read it. */
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
