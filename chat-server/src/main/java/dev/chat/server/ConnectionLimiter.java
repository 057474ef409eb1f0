package dev.chat.server;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/** Counts open connections, in all and per IP address, and says whether one more may come in. */
final class ConnectionLimiter {

    /** Why a connection is turned away. */
    enum Refusal {
        /** The server has {@code max-clients} connections. */
        SERVER_FULL,
        /** The address has {@code max-per-ip} connections. */
        TOO_MANY_FROM_ADDRESS
    }

    /** Guards {@link #total} and {@link #perAddress}. */
    private final ReentrantLock lock = new ReentrantLock();
    private int total;
    private final Map<InetAddress, Integer> perAddress = new HashMap<>();

    /**
     * Counts a connection from {@code address} if the limits in {@code config} allow it.
     *
     * @return null when it was counted (and must be {@link #release released} later), else why not
     */
    Refusal tryAcquire(InetAddress address, ServerConfig config) {
        lock.lock();
        try {
            if (config.maxClients() > 0 && total >= config.maxClients()) {
                return Refusal.SERVER_FULL;
            }
            int fromAddress = perAddress.getOrDefault(address, 0);
            if (config.maxPerAddress() > 0 && fromAddress >= config.maxPerAddress() && !isExempt(address, config)) {
                return Refusal.TOO_MANY_FROM_ADDRESS;
            }
            total++;
            perAddress.put(address, fromAddress + 1);
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a connection counted by {@link #tryAcquire}. */
    void release(InetAddress address) {
        lock.lock();
        try {
            total--;
            perAddress.computeIfPresent(address, (key, count) -> count == 1 ? null : count - 1);
        } finally {
            lock.unlock();
        }
    }

    /** How many connections are counted. */
    int total() {
        lock.lock();
        try {
            return total;
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
        return false;
    }
}
