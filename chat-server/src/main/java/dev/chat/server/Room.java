package dev.chat.server;

import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A group of sessions that hear the same lines. Every line is encoded once and queued for
 * each member in one order that all members share.
 */
final class Room {

    private final String name;

    /**
     * Guards {@link #members} and the order of deliveries: lines are queued while it is held,
     * so every member receives them in the same order. Queueing never blocks and writes nothing.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<ClientSession> members = new LinkedHashSet<>();

    Room(String name) {
        this.name = name;
    }

    /** The room's name, as it appears in the diagnostic log. */
    String name() {
        return name;
    }

    /**
     * Adds {@code newcomer}: it receives the lines {@code welcome} makes of the members' names
     * (itself included, sorted ignoring case) and then every later line, and everyone already
     * in the room receives {@code announcement}. So the newcomer hears of everyone exactly once:
     * in the names, or joining after it.
     */
    void join(ClientSession newcomer, Function<List<String>, List<ServerLine>> welcome, ServerLine announcement) {
        byte[] wire = announcement.toWire();
        List<ClientSession> overflowed;
        lock.lock();
        try {
            overflowed = offerToAll(wire);
            members.add(newcomer);
            List<String> names = new ArrayList<>(members.size());
            members.forEach(member -> names.add(member.name()));
            names.sort(Comparator.comparing(NameRules::key));
            for (ServerLine line : welcome.apply(names)) {
                newcomer.offer(line.toWire());
            }
        } finally {
            lock.unlock();
        }
        dropAll(overflowed);
    }

    /**
     * Removes {@code leaver}; everyone who stays receives {@code announcement}, if not null, in
     * the same step, so that nobody who joins meanwhile hears of a leave without the join.
     */
    void leave(ClientSession leaver, ServerLine announcement) {
        byte[] wire = announcement == null ? null : announcement.toWire();
        List<ClientSession> overflowed;
        lock.lock();
        try {
            if (!members.remove(leaver) || wire == null) {
                return;
            }
            overflowed = offerToAll(wire);
        } finally {
            lock.unlock();
        }
        dropAll(overflowed);
    }

    /** Queues {@code line} for every member. Never blocks on a member's connection. */
    void broadcast(ServerLine line) {
        // Encoded once for everyone: the same bytes go into every queue.
        byte[] wire = line.toWire();
        List<ClientSession> overflowed;
        lock.lock();
        try {
            overflowed = offerToAll(wire);
        } finally {
            lock.unlock();
        }
        dropAll(overflowed);
    }

    /** Offers {@code wire} to every member; returns those whose queue overflowed. Lock held. */
    private List<ClientSession> offerToAll(byte[] wire) {
        List<ClientSession> overflowed = new ArrayList<>(0);
        for (ClientSession member : members) {
            if (member.offer(wire) == Outbox.Offer.OVERFLOW) {
                overflowed.add(member);
            }
        }
        return overflowed;
    }

    /** How many members the room has. */
    int size() {
        lock.lock();
        try {
            return members.size();
        } finally {
            lock.unlock();
        }
    }

    private static void dropAll(List<ClientSession> overflowed) {
        for (ClientSession slow : overflowed) {
            slow.drop("could not keep up, send queue full");
        }
    }
}
