package dev.chat.server;

import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A room: a group of sessions that hear the same lines, with a topic and the last things
 * said in it. Every line is encoded once and queued for each member in one order that all
 * members share. Lines of the server's default room go out as they are; lines of any other
 * room carry its name, so a client in several rooms can tell them apart.
 */
final class Room {

    /** What a newcomer is told about the room it joins, taken in the same step as the join. */
    record Snapshot(List<String> names, String topic, List<ServerLine.History> history) {
    }

    private final String name;
    private final boolean isDefault;
    private final int historyLength;

    /**
     * Guards {@link #members}, {@link #topic}, {@link #history}, {@link #closed} and the order
     * of deliveries: lines are queued while it is held, so every member receives them in the
     * same order. Queueing never blocks and writes nothing.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<ClientSession> members = new LinkedHashSet<>();
    private String topic = "";
    /** The last {@link #historyLength} things said, oldest first, as replayed to newcomers. */
    private final ArrayDeque<ServerLine.History> history = new ArrayDeque<>();
    /** Set when the room, empty, was removed from {@link Rooms}; it takes no more members. */
    private boolean closed;

    /**
     * @param isDefault     whether this is the server's default room, whose lines carry no room name
     * @param historyLength how many lines to keep for newcomers; 0 keeps none
     */
    Room(String name, boolean isDefault, int historyLength) {
        this.name = name;
        this.isDefault = isDefault;
        this.historyLength = historyLength;
    }

    /** The room's name, as its members spell it, e.g. {@code #dev}. */
    String name() {
        return name;
    }

    /** Whether this is the server's default room. */
    boolean isDefault() {
        return isDefault;
    }

    /**
     * {@code line} as members of this room receive it: with the room's name, unless it is the
     * default room. A history line names the room after its date, as the grammar has it.
     */
    ServerLine tag(ServerLine line) {
        if (isDefault) {
            return line;
        }
        if (line instanceof ServerLine.History history) {
            return new ServerLine.History(history.when(), new ServerLine.InRoom(name, history.line()));
        }
        return new ServerLine.InRoom(name, line);
    }

    /**
     * Adds {@code newcomer}: it receives the lines {@code welcome} makes of the room as it is
     * (names sorted ignoring case, itself included) and then every later line, and everyone
     * already in the room receives {@code announcement}. So the newcomer hears of everyone
     * exactly once: in the names, or joining after it. Lines are tagged with the room here.
     *
     * @return false when the room was closed meanwhile (ask {@link Rooms} for it again)
     */
    boolean join(ClientSession newcomer, Function<Snapshot, List<ServerLine>> welcome, ServerLine announcement) {
        byte[] wire = tag(announcement).toWire();
        List<ClientSession> overflowed;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            overflowed = offerToAll(wire);
            members.add(newcomer);
            for (ServerLine line : welcome.apply(new Snapshot(namesLocked(), topic, List.copyOf(history)))) {
                newcomer.offer(tag(line).toWire());
            }
        } finally {
            lock.unlock();
        }
        dropAll(overflowed);
        return true;
    }

    /**
     * Removes {@code leaver}; everyone who stays receives {@code announcement}, if not null, in
     * the same step, so that nobody who joins meanwhile hears of a leave without the join.
     *
     * @return whether {@code leaver} was a member
     */
    boolean leave(ClientSession leaver, ServerLine announcement) {
        byte[] wire = announcement == null ? null : tag(announcement).toWire();
        List<ClientSession> overflowed = List.of();
        lock.lock();
        try {
            if (!members.remove(leaver)) {
                return false;
            }
            if (wire != null) {
                overflowed = offerToAll(wire);
            }
        } finally {
            lock.unlock();
        }
        dropAll(overflowed);
        return true;
    }

    /** Queues {@code line} for every member, tagged with the room. Never blocks on a member's connection. */
    void broadcast(ServerLine line) {
        // Encoded once for everyone: the same bytes go into every queue.
        byte[] wire = tag(line).toWire();
        List<ClientSession> overflowed;
        lock.lock();
        try {
            overflowed = offerToAll(wire);
        } finally {
            lock.unlock();
        }
        dropAll(overflowed);
    }

    /** Broadcasts something said ({@code Chat} or {@code Action}) and keeps it for newcomers. */
    void say(ServerLine speech, LocalDateTime when) {
        byte[] wire = tag(speech).toWire();
        List<ClientSession> overflowed;
        lock.lock();
        try {
            overflowed = offerToAll(wire);
            if (historyLength > 0) {
                if (history.size() == historyLength) {
                    history.removeFirst();
                }
                history.addLast(new ServerLine.History(when, speech));
            }
        } finally {
            lock.unlock();
        }
        dropAll(overflowed);
    }

    /** Sets the topic and tells every member with {@code announcement}, in one step. */
    void setTopic(String newTopic, ServerLine announcement) {
        byte[] wire = tag(announcement).toWire();
        List<ClientSession> overflowed;
        lock.lock();
        try {
            topic = newTopic;
            overflowed = offerToAll(wire);
        } finally {
            lock.unlock();
        }
        dropAll(overflowed);
    }

    /** The topic; empty when none is set. */
    String topic() {
        lock.lock();
        try {
            return topic;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code session} is a member. */
    boolean contains(ClientSession session) {
        lock.lock();
        try {
            return members.contains(session);
        } finally {
            lock.unlock();
        }
    }

    /** The members, in the order they joined. */
    List<ClientSession> members() {
        lock.lock();
        try {
            return List.copyOf(members);
        } finally {
            lock.unlock();
        }
    }

    /** The members' names, sorted ignoring case. */
    List<String> names() {
        lock.lock();
        try {
            return namesLocked();
        } finally {
            lock.unlock();
        }
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

    /** Closes the room if it is empty: it takes no more members. Returns whether it closed. */
    boolean closeIfEmpty() {
        lock.lock();
        try {
            closed = members.isEmpty();
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Lock held. */
    private List<String> namesLocked() {
        List<String> names = new ArrayList<>(members.size());
        members.forEach(member -> names.add(member.name()));
        names.sort(Comparator.comparing(NameRules::key));
        return names;
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

    private static void dropAll(List<ClientSession> overflowed) {
        for (ClientSession slow : overflowed) {
            slow.drop("could not keep up, send queue full");
        }
    }
}
