package dev.chat.client;

/**
 * Asks the user whether to trust a server whose certificate neither the JDK's trust store
 * nor the known servers vouch for: the first connection to a server with a self-signed
 * certificate. Implemented by the view.
 */
@FunctionalInterface
public interface TrustPrompt {

    /** Trusts nobody new: for scripts, and for reconnects where nobody can be asked. */
    TrustPrompt REFUSE = (host, port, fingerprint) -> false;

    /**
     * Whether to trust the server at {@code host:port} showing the certificate with
     * {@code fingerprint} (see {@link Fingerprint}); if so, it is remembered in the known
     * servers. Called on the thread that connects, while no connection is open, so it may
     * block for as long as the user takes to answer.
     */
    boolean trustFirstTime(String host, int port, String fingerprint);
}
