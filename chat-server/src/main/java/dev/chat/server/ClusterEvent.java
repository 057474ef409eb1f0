package dev.chat.server;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one node tells every node (itself included) through the cluster's stream, one message
 * each. Every node applies the stream's messages in the stream's order, so what they change
 * and announce happens in one order on all of them.
 *
 * <p>On the wire an event is one UTF-8 line of tab-separated fields, its kind first: readable
 * with {@code nats stream view}, and free of a serialization library. No field can hold a tab
 * or a line break: the server strips control characters from what clients send.
 */
sealed interface ClusterEvent {

    /** The node that accepted the event from its user, or that noticed it. */
    String node();

    /** The stream subject the event is published on. */
    String subject();

    /** The fields after the kind. */
    List<String> fields();

    /** What a user on {@link #node()} did, with the user's whole state after it. */
    record User(String node, Change change, String detail, UserState state) implements ClusterEvent {

        /** What the user did. */
        enum Change {
            /** Signed on; now in the default room. */
            ON,
            /** Joined the room {@code detail}. */
            JOIN,
            /** Left the room {@code detail}. */
            PART,
            /** Set or cleared the away message. */
            AWAY,
            /** Published or dropped a key. */
            KEY,
            /** Took a new name; {@code detail} is the old one. */
            NICK,
            /** Left the server, for the reason {@code detail}. */
            OFF,
            /** Is on the node still, told again after the node's link to the cluster was down. */
            BACK
        }

        @Override
        public String subject() {
            return "chat.user";
        }

        @Override
        public List<String> fields() {
            List<String> fields = new ArrayList<>(List.of(node, change.name(), detail));
            fields.addAll(state.fields());
            return fields;
        }
    }

    /** A line said ({@code action} false) or acted ({@code /me}) in {@code room}. */
    record Said(String node, String room, String name, boolean action, LocalDateTime when, String text)
            implements ClusterEvent {
        @Override
        public String subject() {
            return "chat.said";
        }

        @Override
        public List<String> fields() {
            return List.of(node, room, name, action ? "me" : "say", when.toString(), text);
        }
    }

    /** A new topic for {@code room}, set by {@code name}. */
    record Topic(String node, String room, String name, String text) implements ClusterEvent {
        @Override
        public String subject() {
            return "chat.topic";
        }

        @Override
        public List<String> fields() {
            return List.of(node, room, name, text);
        }
    }

    /** An operator's announcement to everyone. */
    record Wall(String node, String name, String text) implements ClusterEvent {
        @Override
        public String subject() {
            return "chat.wall";
        }

        @Override
        public List<String> fields() {
            return List.of(node, name, text);
        }
    }

    /** An operator's kick of {@code target}, carried out by the node {@code target} is on. */
    record Kick(String node, String target, String by, String reason) implements ClusterEvent {
        @Override
        public String subject() {
            return "chat.kick";
        }

        @Override
        public List<String> fields() {
            return List.of(node, target, by, reason);
        }
    }

    /** A ban, which every node keeps and enforces. */
    record Ban(String node, Bans.Ban ban) implements ClusterEvent {
        @Override
        public String subject() {
            return "chat.ban";
        }

        @Override
        public List<String> fields() {
            return List.of(node, ban.kind().name(), ban.target(), ban.expires() == null ? "" : ban.expires().toString(),
                    ban.by(), ban.reason());
        }
    }

    /** The lifting of the ban of {@code target}, on every node. */
    record Unban(String node, String target, String by) implements ClusterEvent {
        @Override
        public String subject() {
            return "chat.ban";
        }

        @Override
        public List<String> fields() {
            return List.of(node, target, by);
        }
    }

    /** {@code name} registered to {@code key} (a key token), or released when the key is empty; on every node. */
    record Registered(String node, String name, String key) implements ClusterEvent {
        @Override
        public String subject() {
            return "chat.registration";
        }

        @Override
        public List<String> fields() {
            return List.of(node, name, key);
        }
    }

    /** The node {@code gone} stopped answering: its users are gone, for the reason given. */
    record NodeGone(String node, String gone, String reason) implements ClusterEvent {
        @Override
        public String subject() {
            return "chat.node";
        }

        @Override
        public List<String> fields() {
            return List.of(node, gone, reason);
        }
    }

    /**
     * A user as the cluster knows it.
     *
     * @param version counts the user's changes, so that an older state never replaces a newer one
     * @param away    the away message, or empty when here
     * @param key     the key the user proved, as a token, or empty
     * @param rooms   the rooms the user is in, in the order joined
     */
    record UserState(String name, String node, long version, String away, String key, List<String> rooms) {

        public UserState {
            rooms = List.copyOf(rooms);
        }

        List<String> fields() {
            return List.of(name, node, Long.toString(version), away, key, String.join(" ", rooms));
        }

        static UserState of(List<String> fields) {
            String rooms = fields.get(5);
            return new UserState(fields.get(0), fields.get(1), Long.parseLong(fields.get(2)), fields.get(3),
                    fields.get(4), rooms.isEmpty() ? List.of() : Arrays.asList(rooms.split(" ")));
        }

        byte[] encode() {
            return String.join("\t", fields().stream().map(ClusterEvent::clean).toList())
                    .getBytes(StandardCharsets.UTF_8);
        }

        static UserState decode(byte[] bytes) {
            return of(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\t", -1)));
        }
    }

    /** The event as one line of UTF-8. */
    default byte[] encode() {
        StringBuilder line = new StringBuilder(getClass().getSimpleName());
        for (String field : fields()) {
            line.append('\t').append(clean(field));
        }
        return line.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The event {@code bytes} encode.
     *
     * @throws IllegalArgumentException when they are not an event this version knows
     */
    static ClusterEvent decode(byte[] bytes) {
        String[] all = new String(bytes, StandardCharsets.UTF_8).split("\t", -1);
        List<String> f = Arrays.asList(all).subList(1, all.length);
        try {
            return switch (all[0]) {
                case "User" -> new User(f.get(0), User.Change.valueOf(f.get(1)), f.get(2),
                        UserState.of(f.subList(3, f.size())));
                case "Said" -> new Said(f.get(0), f.get(1), f.get(2), f.get(3).equals("me"),
                        LocalDateTime.parse(f.get(4)), f.get(5));
                case "Topic" -> new Topic(f.get(0), f.get(1), f.get(2), f.get(3));
                case "Wall" -> new Wall(f.get(0), f.get(1), f.get(2));
                case "Kick" -> new Kick(f.get(0), f.get(1), f.get(2), f.get(3));
                case "Ban" -> new Ban(f.get(0), new Bans.Ban(Bans.Kind.valueOf(f.get(1)), f.get(2),
                        f.get(3).isEmpty() ? null : Instant.parse(f.get(3)), f.get(4), f.get(5)));
                case "Unban" -> new Unban(f.get(0), f.get(1), f.get(2));
                case "Registered" -> new Registered(f.get(0), f.get(1), f.get(2));
                case "NodeGone" -> new NodeGone(f.get(0), f.get(1), f.get(2));
                default -> throw new IllegalArgumentException("unknown event " + all[0]);
            };
        } catch (IndexOutOfBoundsException | java.time.DateTimeException e) {
            throw new IllegalArgumentException("malformed event " + all[0], e);
        }
    }

    private static String clean(String field) {
        return field == null ? "" : field.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }
}
