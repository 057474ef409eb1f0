package dev.chat.client;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides about one server certificate for {@link ServerTrust}: the authorities first, then
 * the known servers. It remembers its {@link Verdict}, so that after a refused handshake the
 * connecting code knows whether to ask the user (never during the handshake itself, which
 * the server would time out while the user reads the fingerprint).
 */
final class ServerTrustManager extends X509ExtendedTrustManager {

    /** What the check found. */
    sealed interface Verdict {

        /** Not checked yet: the handshake failed before the certificate came. */
        record None() implements Verdict {
        }

        /** A certificate authority vouches for the certificate and the host name. */
        record Authority() implements Verdict {
        }

        /** The certificate is the one the user accepted before for this host and port. */
        record Known(String fingerprint) implements Verdict {
        }

        /** Neither: the user has to be asked. */
        record Unknown(String presented) implements Verdict {
        }

        /** The user accepted another certificate for this host and port. */
        record Changed(String known, String presented) implements Verdict {
        }

        /** The known servers could not be read. */
        record Unreadable(IOException problem) implements Verdict {
        }
    }

    private final String host;
    private final int port;
    private final X509ExtendedTrustManager authorities;
    private final KnownServers knownServers;
    /** Written by the handshaking thread, read by the connecting thread after the handshake. */
    private volatile Verdict verdict = new Verdict.None();

    ServerTrustManager(String host, int port, X509ExtendedTrustManager authorities, KnownServers knownServers) {
        this.host = host;
        this.port = port;
        this.authorities = authorities;
        this.knownServers = knownServers;
    }

    /** What the last check found. */
    Verdict verdict() {
        return verdict;
    }

    /** The check itself, with the authorities' part given by the caller. */
    @FunctionalInterface
    private interface AuthorityCheck {
        void check() throws CertificateException;
    }

    private void decide(X509Certificate[] chain, AuthorityCheck byAuthorities) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
        if (authorities != null) {
            try {
                byAuthorities.check();
                verdict = new Verdict.Authority();
                return;
            } catch (CertificateException e) {
                // Not vouched for by an authority (self-signed, or another host's): the known servers decide.
            }
        }
        String presented = Fingerprint.of(chain[0]);
        Optional<String> known;
        try {
            known = knownServers.fingerprint(host, port);
        } catch (IOException e) {
            verdict = new Verdict.Unreadable(e);
            throw new CertificateException("cannot read " + knownServers.file(), e);
        }
        if (known.isEmpty()) {
            verdict = new Verdict.Unknown(presented);
            throw new CertificateException("a certificate not seen before for " + KnownServers.key(host, port));
        }
        if (!known.get().equals(presented)) {
            verdict = new Verdict.Changed(known.get(), presented);
            throw new CertificateException("the certificate of " + KnownServers.key(host, port) + " has changed");
        }
        verdict = new Verdict.Known(presented);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        decide(chain, () -> authorities.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        decide(chain, () -> authorities.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        // Without the socket the host name cannot be checked: an authority alone does not do.
        decide(chain, () -> {
            throw new CertificateException("no host name to check");
        });
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("a client does not check clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("a client does not check clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client does not check clients");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return authorities == null ? new X509Certificate[0] : authorities.getAcceptedIssuers();
    }
}
