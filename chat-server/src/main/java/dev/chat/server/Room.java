package dev.chat.server;

import dev.chat.protocol.ServerLine;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * Where a member is filed in {@link #members}: its name's key, and its session's serial
     * number, which no other session shares. A name key alone would not do: between one
     * user's /nick and the room hearing of it, another user may take the old name.
     */
    private record Place(String nameKey, long serial) implements Comparable<Place> {
        @Override
        public int compareTo(Place other) {
            int byName = nameKey.compareTo(other.nameKey);
            return byName != 0 ? byName : Long.compare(serial, other.serial);
        }
    }

    private final String name;
    private final boolean isDefault;
    private final int historyLength;

    /**
     * Guards {@link #members}, {@link #places}, {@link #topic}, {@link #history}, {@link #closed}
     * and the order of deliveries: lines are queued while it is held, so every member receives
     * them in the same order. Queueing never blocks and writes nothing.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** The members in name order, so a newcomer's name list needs no sorting. */
    private final TreeMap<Place, ClientSession> members = new TreeMap<>();
    /** Where each member is filed in {@link #members}. */
    private final Map<ClientSession, Place> places = new IdentityHashMap<>();
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
        Queued queued = new Queued();
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            offerToAll(wire, queued);
            file(newcomer);
            for (ServerLine line : welcome.apply(new Snapshot(namesLocked(), topic, List.copyOf(history)))) {
                offer(newcomer, tag(line).toWire(), queued);
            }
        } finally {
            lock.unlock();
            queued.finish();
        }
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
        Queued queued = new Queued();
        lock.lock();
        try {
            Place place = places.remove(leaver);
            if (place == null) {
                return false;
            }
            members.remove(place);
            if (wire != null) {
                offerToAll(wire, queued);
            }
        } finally {
            lock.unlock();
            queued.finish();
        }
        return true;
    }

    /** Queues {@code line} for every member, tagged with the room. Never blocks on a member's connection. */
    void broadcast(ServerLine line) {
        // Encoded once for everyone: the same bytes go into every queue.
        byte[] wire = tag(line).toWire();
        Queued queued = new Queued();
        lock.lock();
        try {
            offerToAll(wire, queued);
        } finally {
            lock.unlock();
            queued.finish();
        }
    }

    /** Broadcasts something said ({@code Chat} or {@code Action}) and keeps it for newcomers. */
    void say(ServerLine speech, LocalDateTime when) {
        byte[] wire = tag(speech).toWire();
        Queued queued = new Queued();
        lock.lock();
        try {
            offerToAll(wire, queued);
            if (historyLength > 0) {
                if (history.size() == historyLength) {
                    history.removeFirst();
                }
                history.addLast(new ServerLine.History(when, speech));
            }
        } finally {
            lock.unlock();
            queued.finish();
        }
    }

    /** Sets the topic and tells every member with {@code announcement}, in one step. */
    void setTopic(String newTopic, ServerLine announcement) {
        byte[] wire = tag(announcement).toWire();
        Queued queued = new Queued();
        lock.lock();
        try {
            topic = newTopic;
            offerToAll(wire, queued);
        } finally {
            lock.unlock();
            queued.finish();
        }
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
            return places.containsKey(session);
        } finally {
            lock.unlock();
        }
    }

    /** The members, in name order. */
    List<ClientSession> members() {
        lock.lock();
        try {
            return List.copyOf(members.values());
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

    /** Files {@code member} again under its new name, so the room stays in name order. */
    void renamed(ClientSession member) {
        lock.lock();
        try {
            Place place = places.get(member);
            if (place != null) {
                members.remove(place);
                file(member);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lock held. */
    private void file(ClientSession member) {
        Place place = new Place(member.nameKey(), member.serial());
        places.put(member, place);
        members.put(place, member);
    }

    /** Lock held. */
    private List<String> namesLocked() {
        List<String> names = new ArrayList<>(members.size());
        members.values().forEach(member -> names.add(member.name()));
        return names;
    }

    /**
     * What queueing lines under the lock leaves to do once it is released: writers to start,
     * and members to drop because their queue overflowed.
     */
    private static final class Queued {
        private final List<Outbox> idle = new ArrayList<>();
        private final List<ClientSession> overflowed = new ArrayList<>(0);

        /** Starts the writers and drops the members left. Lock not held. */
        void finish() {
            idle.forEach(Outbox::startWriter);
            for (ClientSession slow : overflowed) {
                slow.drop("could not keep up, send queue full");
            }
        }
    }

    /**
     * Queues {@code wire} for every member. Lock held: only queueing happens here; starting
     * the writers of idle members is left to {@link Queued#finish()}, after the lock is
     * released, so that the lock is held for as short a time as the members' queues allow.
     */
    private void offerToAll(byte[] wire, Queued queued) {
        for (ClientSession member : members.values()) {
            offer(member, wire, queued);
        }
    }

    /** Queues {@code wire} for {@code member}, noting in {@code queued} what is left to do. Lock held. */
    private static void offer(ClientSession member, byte[] wire, Queued queued) {
        switch (member.outbox().enqueue(wire)) {
            case QUEUED_IDLE -> queued.idle.add(member.outbox());
            case OVERFLOW -> queued.overflowed.add(member);
            case QUEUED, CLOSED -> {
            }
        }
    }
}
