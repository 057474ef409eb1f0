package dev.chat.server;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Slows down password guessing: each wrong password from an address doubles that address's
 * wait before the connection is closed (1 s, 2 s, 4 s, … at most 30 s). An address is forgiven
 * after ten quiet minutes, and the table is bounded, dropping the longest-quiet addresses.
 */
final class LoginThrottle {

    private static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    private static final Duration MAX_DELAY = Duration.ofSeconds(30);
    private static final Duration FORGET_AFTER = Duration.ofMinutes(10);
    private static final int MAX_ADDRESSES = 10_000;

    private record Failures(int count, long lastNanos) {
    }

    /** Guards {@link #failures}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Address to its recent failures, least recently failed first. */
    private final Map<InetAddress, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<InetAddress, Failures> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /** Counts a wrong password from {@code address}; returns how long to wait before closing. */
    Duration failed(InetAddress address) {
        long now = System.nanoTime();
        lock.lock();
        try {
            Failures before = failures.get(address);
            int count = before == null || now - before.lastNanos() > FORGET_AFTER.toNanos() ? 1 : before.count() + 1;
            failures.put(address, new Failures(count, now));
            Duration delay = FIRST_DELAY.multipliedBy(1L << Math.min(count - 1, 5));
            return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets the failures of {@code address}, after a right password. */
    void succeeded(InetAddress address) {
        lock.lock();
        try {
            failures.remove(address);
        } finally {
            lock.unlock();
        }
    }
}
