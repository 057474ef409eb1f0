package dev.chat.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the web port's open TCP connections per IP address (page loads and WebSockets alike)
 * and says whether one more may stay: {@code max-per-ip} WebSockets and {@link #PAGE_CONNECTIONS}
 * more for loading the page. Exempt addresses and trusted proxies, whose clients the chat
 * counts by their forwarded address, are not limited.
 */
final class WebConnectionLimit {

    /** Connections a browser opens at once to load a page (six per host in current browsers), and some to spare. */
    static final int PAGE_CONNECTIONS = 8;

    /** Guards {@link #perAddress}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();

    /** What became of a new connection. */
    enum Outcome {
        /** Counted: {@link #release} it when it closes. */
        COUNTED,
        /** From an address without a limit: not counted. */
        EXEMPT,
        /** The address has as many as it may: close it. */
        REFUSED
    }

    /** Counts a connection from {@code address} if {@code config} allows it. */
    Outcome tryAcquire(InetAddress address, ServerConfig config) {
        if (config.maxPerAddress() == 0 || isExempt(address, config)) {
            return Outcome.EXEMPT;
        }
        lock.lock();
        try {
            int open = perAddress.getOrDefault(address, 0);
            if (open >= config.maxPerAddress() + PAGE_CONNECTIONS) {
                return Outcome.REFUSED;
            }
            perAddress.put(address, open + 1);
            return Outcome.COUNTED;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a connection counted by {@link #tryAcquire}. */
    void release(InetAddress address) {
        lock.lock();
        try {
            perAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        } finally {
            lock.unlock();
        }
    }

    private static boolean isExempt(InetAddress address, ServerConfig config) {
        for (AddressRange range : config.exemptAddresses()) {
            if (range.contains(address)) {
                return true;
            }
        }
        return config.web() != null && ForwardedAddress.isTrusted(address, config.web().trustedProxies());
    }

}
