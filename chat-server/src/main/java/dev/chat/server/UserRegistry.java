package dev.chat.server;

import dev.chat.protocol.NameRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The names in use and the sessions that hold them, shared by every client handler. Every
 * operation is atomic under one lock, and no I/O ever happens while it is held.
 */
final class UserRegistry {

    /** Guards {@link #byKey} and {@link #signOns}. */
    private final ReentrantLock lock = new ReentrantLock();
    /** {@link NameRules#key} of a name to the name as registered and its session. */
    private final Map<String, Registered> byKey = new HashMap<>();
    /** How many names were claimed by {@link #register} since the server started: its sign-ons. */
    private long signOns;

    /** A name as registered, and the session that holds it. */
    record Registered(String name, ClientSession session) {
    }

    /**
     * Claims {@code name} for {@code session}.
     *
     * @throws NameTakenException when someone holds the name, ignoring case
     */
    void register(String name, ClientSession session) throws NameTakenException {
        lock.lock();
        try {
            if (byKey.putIfAbsent(NameRules.key(name), new Registered(name, session)) != null) {
                throw new NameTakenException(name);
            }
            signOns++;
        } finally {
            lock.unlock();
        }
    }

    /** How many names {@link #register} claimed since the server started (not renames): its sign-ons. */
    long signOns() {
        lock.lock();
        try {
            return signOns;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves {@code session} from {@code oldName} to {@code newName} in one step; a change of
     * case only is always allowed.
     *
     * @throws NameTakenException when someone else holds {@code newName}, ignoring case
     */
    void rename(String oldName, String newName, ClientSession session) throws NameTakenException {
        lock.lock();
        try {
            Registered holder = byKey.get(NameRules.key(newName));
            if (holder != null && holder.session() != session) {
                throw new NameTakenException(newName);
            }
            byKey.remove(NameRules.key(oldName));
            byKey.put(NameRules.key(newName), new Registered(newName, session));
        } finally {
            lock.unlock();
        }
    }

    /** Frees {@code name} if {@code session} holds it. */
    void unregister(String name, ClientSession session) {
        lock.lock();
        try {
            String key = NameRules.key(name);
            Registered registered = byKey.get(key);
            if (registered != null && registered.session() == session) {
                byKey.remove(key);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The registration of {@code name}, ignoring case, or null. */
    Registered find(String name) {
        lock.lock();
        try {
            return byKey.get(NameRules.key(name));
        } finally {
            lock.unlock();
        }
    }

    /** Everyone registered, sorted by name ignoring case: a snapshot taken under the lock. */
    List<Registered> all() {
        List<Registered> all;
        lock.lock();
        try {
            all = new ArrayList<>(byKey.values());
        } finally {
            lock.unlock();
        }
        all.sort(Comparator.comparing(registered -> NameRules.key(registered.name())));
        return all;
    }

    /** The registered names, sorted ignoring case. */
    List<String> names() {
        return all().stream().map(Registered::name).toList();
    }

    /** How many names are registered. */
    int size() {
        lock.lock();
        try {
            return byKey.size();
        } finally {
            lock.unlock();
        }
    }
}
