package dev.chat.server;

import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * A room: a group of sessions that hear the same lines, with a topic and the last things
 * said in it. Every line is encoded once and queued for each member in one order that all
 * members share. Lines of the server's default room go out as they are; lines of any other
 * room carry its name, so a client in several rooms can tell them apart.
 *
 * <p>A room with more members than the server's large-room size is <em>large</em>: joins and
 * leaves are not announced, and a newcomer is told how many members there are rather than
 * every name, so that filling a room costs each join the same, however full it is. It stops
 * being large once it has nine tenths of that size or fewer; its members are then given the
 * whole list again, and joins and leaves are announced again.
 */
final class Room {

    /**
     * What a newcomer is told about the room it joins, taken in the same step as the join.
     *
     * @param room  the room's name
     * @param names the members' names sorted ignoring case, the newcomer's included; empty when
     *              the room is large
     * @param count how many members the room has, the newcomer included
     * @param large whether the room is large: {@code names} is empty then
     */
    record Snapshot(String room, List<String> names, int count, boolean large, String topic,
            List<ServerLine.History> history) {

        /** Who is in the room, as a newcomer is told: every name, or for a large room how many. */
        ServerLine members(LocalTime time) {
            return large ? new ServerLine.People(time, count, room) : new ServerLine.Online(time, names);
        }
    }

    /**
     * One page of members, in name order.
     *
     * @param members the members on the page
     * @param total   how many members the page was taken from (those whose name has the prefix asked for)
     */
    record Page(List<ClientSession> members, int total) {
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
    /** The server's large-room size as it is now (an admin may change it); 0 for no room ever large. */
    private final IntSupplier largeSize;
    /** How the room's lines are stamped. */
    private final Supplier<LocalTime> clock;
    /** Where what is said and delivered here is counted. */
    private final ServerMetrics metrics;

    /**
     * Guards {@link #members}, {@link #places}, {@link #topic}, {@link #history}, {@link #closed},
     * {@link #large} and the order of deliveries: lines are queued while it is held, so every member receives
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
    /** Whether the room is large: joins and leaves go unannounced. */
    private boolean large;

    /**
     * @param isDefault     whether this is the server's default room, whose lines carry no room name
     * @param historyLength how many lines to keep for newcomers; 0 keeps none
     * @param largeSize     the server's large-room size, asked at each join and leave; 0 for never
     * @param clock         the time lines the room makes of itself are stamped with
     * @param metrics       where what is said and delivered here is counted
     */
    Room(String name, boolean isDefault, int historyLength, IntSupplier largeSize,
            Supplier<LocalTime> clock, ServerMetrics metrics) {
        this.name = name;
        this.isDefault = isDefault;
        this.historyLength = historyLength;
        this.largeSize = largeSize;
        this.clock = clock;
        this.metrics = metrics;
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
     * (names sorted ignoring case, itself included, or for a large room their count) and then
     * every later line, and everyone already in the room receives {@code announcement}, unless
     * the room is large. So the newcomer of a room that is not large hears of everyone exactly
     * once: in the names, or joining after it. Lines are tagged with the room here. Costs the
     * same for every join into a large room, however many members it has.
     *
     * @return false when the room was closed meanwhile (ask {@link Rooms} for it again)
     */
    boolean join(ClientSession newcomer, Function<Snapshot, List<ServerLine>> welcome, ServerLine announcement) {
        // Encoded before the lock is taken, as what the others are told unless the room is large.
        byte[] announced = tag(announcement).toWire();
        Queued queued = new Queued();
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            file(newcomer);
            ServerLine toOthers = changeOfMembers(members.size(), announcement);
            if (toOthers != null) {
                byte[] wire = toOthers == announcement ? announced : tag(toOthers).toWire();
                for (ClientSession member : members.values()) {
                    if (member != newcomer) {
                        offer(member, wire, queued);
                    }
                }
            }
            List<String> names = large ? List.of() : namesLocked();
            for (ServerLine line : welcome.apply(new Snapshot(name, names, members.size(), large, topic,
                    List.copyOf(history)))) {
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
     * the same step, so that nobody who joins meanwhile hears of a leave without the join;
     * unless the room is large, where leaves go unannounced.
     *
     * @return whether {@code leaver} was a member
     */
    boolean leave(ClientSession leaver, ServerLine announcement) {
        byte[] announced = announcement == null ? null : tag(announcement).toWire();
        Queued queued = new Queued();
        lock.lock();
        try {
            Place place = places.remove(leaver);
            if (place == null) {
                return false;
            }
            members.remove(place);
            // A leave that is not announced (the server is stopping) changes nothing either.
            ServerLine toOthers = announcement == null ? null : changeOfMembers(members.size(), announcement);
            if (toOthers != null) {
                offerToAll(toOthers == announcement ? announced : tag(toOthers).toWire(), queued);
            }
        } finally {
            lock.unlock();
            queued.finish();
        }
        return true;
    }

    /**
     * Decides, for a join or leave that leaves the room with {@code size} members, whether the
     * room is large now, and returns what the other members are told: {@code announcement}
     * while the room is not large, how many there are when it has just become large, the whole
     * list when it has just stopped being large, and nothing while it stays large. Lock held;
     * the whole list is made only at that one change, which a room passes again only after a
     * tenth of the large size has joined or left.
     */
    private ServerLine changeOfMembers(int size, ServerLine announcement) {
        int limit = largeSize.getAsInt();
        boolean wasLarge = large;
        large = limit > 0 && size > (wasLarge ? limit - limit / 10 : limit);
        if (large) {
            return wasLarge ? null : new ServerLine.People(clock.get(), size, name);
        }
        if (wasLarge) {
            return new ServerLine.Online(clock.get(), namesLocked());
        }
        return announcement;
    }

    /** Whether the room is large: its joins and leaves go unannounced. */
    boolean large() {
        lock.lock();
        try {
            return large;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Page {@code page} (from 1) of the members whose name starts with {@code prefix}, ignoring
     * case (all for an empty prefix), {@code size} to a page. Takes time in proportion to the
     * members before the page and those with the prefix, under the lock.
     */
    Page page(String prefix, int page, int size) {
        String key = prefix.isEmpty() ? "" : NameRules.key(prefix);
        lock.lock();
        try {
            NavigableMap<Place, ClientSession> matching = key.isEmpty() ? members
                    : members.subMap(new Place(key, Long.MIN_VALUE), true, new Place(key + Character.MAX_VALUE,
                            Long.MIN_VALUE), false);
            List<ClientSession> on = matching.values().stream().skip((long) (page - 1) * size).limit(size).toList();
            return new Page(on, matching.size());
        } finally {
            lock.unlock();
        }
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
        metrics.roomMessage();
        byte[] wire = tag(speech).toWire();
        Queued queued = new Queued();
        lock.lock();
        try {
            offerToAll(wire, queued);
            remember(speech, when);
        } finally {
            lock.unlock();
            queued.finish();
        }
    }

    /** Keeps {@code speech}, said {@code when}, for newcomers, telling nobody: history a cluster node reads at start. */
    void remember(ServerLine speech, LocalDateTime when) {
        lock.lock();
        try {
            if (historyLength > 0) {
                if (history.size() == historyLength) {
                    history.removeFirst();
                }
                history.addLast(new ServerLine.History(when, speech));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sets the topic, telling nobody: the topic a cluster node reads at start. */
    void restoreTopic(String newTopic) {
        lock.lock();
        try {
            topic = newTopic;
        } finally {
            lock.unlock();
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
     * members to drop because their queue overflowed, and the lines queued to count.
     */
    private final class Queued {
        private final List<Outbox> idle = new ArrayList<>();
        private final List<ClientSession> overflowed = new ArrayList<>(0);
        /** Lines queued, one per recipient; counted in the metrics once, in {@link #finish()}. */
        private int delivered;

        /** Starts the writers, drops the members left and counts the deliveries. Lock not held. */
        void finish() {
            metrics.delivered(delivered);
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
            case QUEUED -> queued.delivered++;
            case QUEUED_IDLE -> {
                queued.delivered++;
                queued.idle.add(member.outbox());
            }
            case OVERFLOW -> queued.overflowed.add(member);
            case CLOSED -> {
            }
        }
    }
}
