package dev.chat.server;

import dev.chat.protocol.RoomNames;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Every room on the server by name: made when first joined, removed when the last member leaves. */
final class Rooms {

    private final Room defaultRoom;
    private final int historyLength;
    private final IntSupplier largeSize;
    private final Supplier<LocalTime> clock;
    private final ServerMetrics metrics;

    /** Guards {@link #byKey}. Taken before a room's own lock, never after it. */
    private final ReentrantLock lock = new ReentrantLock();
    /** {@link RoomNames#key} of a name to its room. */
    private final Map<String, Room> byKey = new HashMap<>();
    /** In a cluster: whether a room has members on any node; an empty room stays while it has. */
    private volatile Predicate<String> heldInCluster = room -> false;

    /**
     * @param largeSize the server's large-room size as it is at each join and leave; 0 for no room ever large
     * @param clock     the time lines the rooms make of themselves are stamped with
     * @param metrics   where the rooms count what is said and delivered
     */
    Rooms(String defaultRoomName, int historyLength, IntSupplier largeSize, Supplier<LocalTime> clock,
            ServerMetrics metrics) {
        this.historyLength = historyLength;
        this.largeSize = largeSize;
        this.clock = clock;
        this.metrics = metrics;
        this.defaultRoom = new Room(defaultRoomName, true, historyLength, largeSize, clock, metrics);
        byKey.put(RoomNames.key(defaultRoomName), defaultRoom);
    }

    /** The room everyone joins on registering; it always exists. */
    Room defaultRoom() {
        return defaultRoom;
    }

    /** The room called {@code name}, ignoring case, made (empty) if there is none. */
    Room getOrCreate(String name) {
        lock.lock();
        try {
            return byKey.computeIfAbsent(RoomNames.key(name), key -> new Room(name, false, historyLength, largeSize,
                    clock, metrics));
        } finally {
            lock.unlock();
        }
    }

    /** The room called {@code name}, ignoring case, or null. */
    Room find(String name) {
        lock.lock();
        try {
            return byKey.get(RoomNames.key(name));
        } finally {
            lock.unlock();
        }
    }

    /** Every room, sorted by name ignoring case. */
    List<Room> all() {
        List<Room> rooms;
        lock.lock();
        try {
            rooms = new ArrayList<>(byKey.values());
        } finally {
            lock.unlock();
        }
        rooms.sort(Comparator.comparing(room -> RoomNames.key(room.name())));
        return rooms;
    }

    /** How many rooms there are, the default room included. */
    int count() {
        lock.lock();
        try {
            return byKey.size();
        } finally {
            lock.unlock();
        }
    }

    /** In a cluster, keeps every room that {@code held} says has members on some node. */
    void keepWhile(Predicate<String> held) {
        heldInCluster = held;
    }

    /**
     * Removes {@code room} if nobody is in it (never the default room), nor on any other node of
     * a cluster; its topic and history go with it.
     */
    void removeIfEmpty(Room room) {
        if (room.isDefault() || heldInCluster.test(room.name())) {
            return;
        }
        lock.lock();
        try {
            if (byKey.get(RoomNames.key(room.name())) == room && room.closeIfEmpty()) {
                byKey.remove(RoomNames.key(room.name()));
            }
        } finally {
            lock.unlock();
        }
    }
}
