package dev.chat.server;

import dev.chat.protocol.NameRules;
import dev.chat.protocol.RoomNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who is on the cluster and in which rooms, as every node knows it: changed only by the
 * cluster's events, applied in the stream's order, so it is the same on every node once each has
 * applied the same events. Read by the handlers for {@code /who}, {@code /rooms} and names
 * lists. Every operation is atomic under one lock, with no I/O.
 */
final class ClusterState {

    /** Guards everything below. */
    private final ReentrantLock lock = new ReentrantLock();
    /** {@link NameRules#key} of each user's name to its state. */
    private final Map<String, ClusterEvent.UserState> users = new HashMap<>();
    /** {@link RoomNames#key} of each room to its members: name keys to names, in name order. */
    private final Map<String, TreeMap<String, String>> members = new HashMap<>();

    /**
     * Takes {@code next} as its user's state, unless the state known is as new or newer.
     *
     * @return the state it replaced, or null when the user was unknown
     */
    ClusterEvent.UserState put(ClusterEvent.UserState next) {
        lock.lock();
        try {
            String key = NameRules.key(next.name());
            ClusterEvent.UserState previous = users.get(key);
            if (previous != null && previous.node().equals(next.node()) && previous.version() >= next.version()) {
                return previous;
            }
            users.put(key, next);
            if (previous != null) {
                removeFromRooms(key, previous);
            }
            for (String room : next.rooms()) {
                members.computeIfAbsent(RoomNames.key(room), k -> new TreeMap<>()).put(key, next.name());
            }
            return previous;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Forgets the user called {@code name} if it is on {@code node}.
     *
     * @return the state forgotten, or null when there was none
     */
    ClusterEvent.UserState remove(String name, String node) {
        lock.lock();
        try {
            String key = NameRules.key(name);
            ClusterEvent.UserState previous = users.get(key);
            if (previous == null || !previous.node().equals(node)) {
                return null;
            }
            users.remove(key);
            removeFromRooms(key, previous);
            return previous;
        } finally {
            lock.unlock();
        }
    }

    /** Lock held. */
    private void removeFromRooms(String key, ClusterEvent.UserState state) {
        for (String room : state.rooms()) {
            TreeMap<String, String> in = members.get(RoomNames.key(room));
            if (in != null) {
                in.remove(key);
                if (in.isEmpty()) {
                    members.remove(RoomNames.key(room));
                }
            }
        }
    }

    /** The user called {@code name}, ignoring case, or null. */
    ClusterEvent.UserState find(String name) {
        lock.lock();
        try {
            return users.get(NameRules.key(name));
        } finally {
            lock.unlock();
        }
    }

    /** Everyone, sorted by name ignoring case. */
    List<ClusterEvent.UserState> all() {
        List<ClusterEvent.UserState> all;
        lock.lock();
        try {
            all = new ArrayList<>(users.values());
        } finally {
            lock.unlock();
        }
        all.sort(Comparator.comparing(user -> NameRules.key(user.name())));
        return all;
    }

    /** The users on {@code node}. */
    List<ClusterEvent.UserState> on(String node) {
        return all().stream().filter(user -> user.node().equals(node)).toList();
    }

    /** How many users there are. */
    int size() {
        lock.lock();
        try {
            return users.size();
        } finally {
            lock.unlock();
        }
    }

    /** The names of the members of {@code room}, sorted ignoring case; empty for a room nobody is in. */
    List<String> names(String room) {
        lock.lock();
        try {
            TreeMap<String, String> in = members.get(RoomNames.key(room));
            return in == null ? List.of() : List.copyOf(in.values());
        } finally {
            lock.unlock();
        }
    }

    /** How many members {@code room} has. */
    int size(String room) {
        lock.lock();
        try {
            TreeMap<String, String> in = members.get(RoomNames.key(room));
            return in == null ? 0 : in.size();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code name}'s user is in {@code room}. */
    boolean isIn(String name, String room) {
        lock.lock();
        try {
            TreeMap<String, String> in = members.get(RoomNames.key(room));
            return in != null && in.containsKey(NameRules.key(name));
        } finally {
            lock.unlock();
        }
    }
}
