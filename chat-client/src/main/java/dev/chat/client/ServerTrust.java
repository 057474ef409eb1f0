package dev.chat.client;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which TLS servers a client trusts: first those the certificate authorities of a trust
 * store vouch for (by default the JDK's own, so a CA-issued certificate just works, host
 * name checked); failing that, those whose fingerprint the user has accepted before and that
 * {@link KnownServers} keeps, per host and port, like SSH; a server never seen before is put
 * to the {@link TrustPrompt}; a known server showing another certificate is refused.
 * Immutable and thread-safe.
 */
public final class ServerTrust {

    private final X509ExtendedTrustManager authorities;
    private final KnownServers knownServers;
    private final TrustPrompt prompt;

    /**
     * @param authorities  checks a certificate chain against certificate authorities, host name
     *                     included; null to trust no authority at all
     * @param knownServers the fingerprints the user has accepted
     * @param prompt       asks the user about a server not trusted otherwise
     */
    public ServerTrust(X509ExtendedTrustManager authorities, KnownServers knownServers, TrustPrompt prompt) {
        this.authorities = authorities;
        this.knownServers = knownServers;
        this.prompt = prompt;
    }

    /** Trust in the JDK's default trust store's authorities, then in {@code knownServers}. */
    public static ServerTrust withSystemAuthorities(KnownServers knownServers, TrustPrompt prompt) {
        return new ServerTrust(systemAuthorities(), knownServers, prompt);
    }

    /**
     * The JDK's default trust manager (the {@code cacerts} store, or the one named by
     * {@code javax.net.ssl.trustStore}).
     */
    public static X509ExtendedTrustManager systemAuthorities() {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            return Arrays.stream(factory.getTrustManagers())
                    .filter(X509ExtendedTrustManager.class::isInstance)
                    .map(X509ExtendedTrustManager.class::cast)
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("the JDK offers no X.509 trust manager"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's default trust store cannot be used", e);
        }
    }

    /** The same trust with another prompt, e.g. {@link TrustPrompt#REFUSE} where nobody can be asked. */
    public ServerTrust withPrompt(TrustPrompt newPrompt) {
        return new ServerTrust(authorities, knownServers, newPrompt);
    }

    /** Where accepted fingerprints are kept. */
    public KnownServers knownServers() {
        return knownServers;
    }

    /** Who is asked about a server seen for the first time. */
    public TrustPrompt prompt() {
        return prompt;
    }

    /** A trust manager for one handshake with {@code host:port}, which records what it found. */
    ServerTrustManager forHandshake(String host, int port) {
        return new ServerTrustManager(host, port, authorities, knownServers);
    }
}
