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
 * to the {@link TrustPrompt} given when connecting; a known server showing another certificate
 * is refused. Immutable and thread-safe.
 */
public final class ServerTrust {

    private final X509ExtendedTrustManager authorities;
    private final KnownServers knownServers;

    /**
     * @param authorities  checks a certificate chain against certificate authorities, host name
     *                     included; null to trust no authority at all
     * @param knownServers the fingerprints the user has accepted
     */
    public ServerTrust(X509ExtendedTrustManager authorities, KnownServers knownServers) {
        this.authorities = authorities;
        this.knownServers = knownServers;
    }

    /** Trust in the JDK's default trust store's authorities, then in {@code knownServers}. */
    public static ServerTrust withSystemAuthorities(KnownServers knownServers) {
        return new ServerTrust(systemAuthorities(), knownServers);
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

    /** Where accepted fingerprints are kept. */
    public KnownServers knownServers() {
        return knownServers;
    }

    /** A trust manager for one handshake with {@code host:port}, which records what it found. */
    ServerTrustManager forHandshake(String host, int port) {
        return new ServerTrustManager(host, port, authorities, knownServers);
    }
}
