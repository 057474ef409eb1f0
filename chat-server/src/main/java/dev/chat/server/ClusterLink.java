package dev.chat.server;

import dev.chat.protocol.NameRules;
import dev.chat.protocol.RoomNames;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.StreamContext;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;
import dev.chat.protocol.identity.KeyToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * This node's link to the cluster: one NATS connection, the stream every node publishes its
 * events to and reads all events from in one order, and three key-value buckets: the users
 * (a name's entry is created only if absent, which makes names unique across the cluster), the
 * nodes (each node's heartbeat) and the room topics.
 *
 * <p>An event a user of this node causes is published, and what it changes here (deliveries,
 * chat.log) happens when it comes back from the stream, at its place in the one order, on the
 * thread that reads the stream; the user's handler waits for that. So every member of a room,
 * on whatever node, receives that room's lines in the same order. While NATS cannot be reached,
 * events happen here at once and reach this node's users only; they are told so, once.
 */
final class ClusterLink implements AutoCloseable {

    private static final Logger log = LogManager.getLogger(ClusterLink.class);

    static final String STREAM = "CHAT";
    static final String USERS = "chat-users";
    static final String NODES = "chat-nodes";
    static final String TOPICS = "chat-topics";
    static final String BANS = "chat-bans";
    static final String REGISTRATIONS = "chat-registrations";
    /** Core NATS subjects for private messages, by node: outside the stream, so they are never kept. */
    private static final String PM_SUBJECT = "chat-pm.";
    private static final String ORIGIN_HEADER = "Chat-Origin";
    private static final String GONE = "gone";

    /** How often a node says it is alive. */
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    /** How long a node may stay silent before the others count it and its users as gone. */
    static final Duration NODE_TIMEOUT = Duration.ofSeconds(8);
    /** How long a starting node watches a node of its own name for a sign of life. */
    private static final Duration SAME_NAME_WATCH = Duration.ofMillis(2500);
    /** How long a user's handler waits for its event to come back from the stream before carrying it out alone. */
    private static final Duration ORDER_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    /** How long a node back from a lost link waits to catch up before it tells the cluster about its users. */
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(5);
    /** How many of the stream's last messages a starting node reads for the rooms' history. */
    private static final long HISTORY_REPLAY = 20_000;

    /** Says why the cluster could not be joined: NATS unreachable, refused us, or has no JetStream. */
    static final class UnreachableException extends IOException {
        private static final long serialVersionUID = 1L;

        UnreachableException(String message) {
            super(message);
        }
    }

    /** A running node of the same name is in the cluster. */
    static final class NodeNameTakenException extends IOException {
        private static final long serialVersionUID = 1L;

        NodeNameTakenException(String message) {
            super(message);
        }
    }

    /** What a private message to a user on another node came to. */
    record Relayed(boolean delivered, String name, String away) {
    }

    /** A local action waiting for its event to come back from the stream; claimed once. */
    private static final class Pending {
        final Runnable action;
        final CountDownLatch done = new CountDownLatch(1);
        final AtomicBoolean claimed = new AtomicBoolean();

        Pending(Runnable action) {
            this.action = action;
        }

        void runOnce() {
            if (claimed.compareAndSet(false, true)) {
                try {
                    action.run();
                } finally {
                    done.countDown();
                }
            }
        }
    }

    private final ChatServer server;
    private final String node;
    /** Tells this process's events from those of an earlier process of the same node name. */
    private final String instance = UUID.randomUUID().toString();
    private final ClusterState state = new ClusterState();
    private final ClusterDelivery delivery;
    private final Connection connection;
    private final JetStream jetStream;
    private final KeyValue users;
    private final KeyValue nodes;
    private final KeyValue topics;
    private final KeyValue bans;
    private final KeyValue registrations;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Each other node's last heartbeat as this node saw it arrive ({@link System#nanoTime}), and its revision. */
    private final Map<String, long[]> lastSeen = new ConcurrentHashMap<>();
    /** Whether NATS is reachable now; when not, events reach this node's users only. */
    private volatile boolean linked = true;
    /** The stream sequence of the last event applied. */
    private volatile long applied;
    private volatile boolean closing;
    /** Set when NATS is back: the reader reads on from {@link #applied} with a consumer made anew. */
    private volatile boolean renewReader;
    /** Whether {@link #rejoin()} runs: one at a time, however many times NATS comes back. */
    private final AtomicBoolean rejoining = new AtomicBoolean();
    private Thread reader;
    private Thread heartbeat;
    private Dispatcher privateMessages;
    private io.nats.client.impl.NatsKeyValueWatchSubscription nodeWatch;

    private ClusterLink(ChatServer server, ServerConfig.Cluster config, Connection connection) throws IOException {
        this.server = server;
        this.node = config.nodeName();
        this.connection = connection;
        this.delivery = new ClusterDelivery(server, this);
        try {
            this.jetStream = connection.jetStream();
            ensureStreamAndBuckets(connection);
            this.users = connection.keyValue(USERS);
            this.nodes = connection.keyValue(NODES);
            this.topics = connection.keyValue(TOPICS);
            this.bans = connection.keyValue(BANS);
            this.registrations = connection.keyValue(REGISTRATIONS);
        } catch (JetStreamApiException e) {
            throw new UnreachableException("NATS refused to set up the chat's stream: " + e.getMessage());
        }
    }

    /**
     * Connects to NATS, claims the node name and learns the cluster as it is; once this returns,
     * this node takes part in the cluster's order.
     *
     * @throws UnreachableException   when no NATS server answers, or it has no JetStream
     * @throws NodeNameTakenException when a running node has the same name
     */
    static ClusterLink join(ChatServer server, ServerConfig.Cluster config) throws IOException {
        ClusterLink[] link = new ClusterLink[1];
        Connection connection = connect(config, (conn, event) -> {
            if (link[0] != null) {
                link[0].connectionEvent(event);
            }
        });
        try {
            link[0] = new ClusterLink(server, config, connection);
            link[0].start();
            return link[0];
        } catch (IOException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    private static Connection connect(ServerConfig.Cluster config, ConnectionListener listener) throws IOException {
        Options.Builder options = Options.builder().servers(config.urls().toArray(String[]::new))
                .connectionName("chat-server " + config.nodeName()).maxReconnects(-1)
                .reconnectWait(Duration.ofSeconds(1)).connectionTimeout(Duration.ofSeconds(3))
                .connectionListener(listener)
                .errorListener(new io.nats.client.ErrorListener() { });
        if (config.credentials() != null) {
            withCredentials(options, config.credentials());
        }
        if (config.caFile() != null) {
            options.sslContext(sslContext(config.caFile()));
        }
        try {
            return Nats.connect(options.build());
        } catch (IOException e) {
            throw new UnreachableException("no NATS server answers at " + String.join(", ", config.urls()) + " ("
                    + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while connecting to NATS");
        }
    }

    /**
     * The credentials in {@code file}, read here and never from the command line: a NATS
     * {@code .creds} file (a user's JWT and its key), else a first line of {@code user:password}
     * or a token.
     */
    private static void withCredentials(Options.Builder options, Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.contains("-----BEGIN NATS USER JWT-----")) {
            options.authHandler(Nats.credentials(file.toString()));
            return;
        }
        String line = text.lines().findFirst().orElse("").strip();
        int colon = line.indexOf(':');
        if (colon > 0) {
            options.userInfo(line.substring(0, colon), line.substring(colon + 1));
        } else {
            options.token(line.toCharArray());
        }
    }

    private static SSLContext sslContext(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the cluster's CA certificate " + caFile + ": " + e.getMessage(), e);
        }
    }

    private static void ensureStreamAndBuckets(Connection connection) throws IOException, JetStreamApiException {
        JetStreamManagement management;
        try {
            management = connection.jetStreamManagement();
            management.getAccountStatistics();
        } catch (JetStreamApiException | IOException e) {
            throw new UnreachableException("the NATS server has no JetStream (start it with -js): " + e.getMessage());
        }
        if (!management.getStreamNames().contains(STREAM)) {
            management.addStream(StreamConfiguration.builder().name(STREAM).subjects("chat.>")
                    .storageType(StorageType.File).maxAge(Duration.ofDays(1)).maxMessages(1_000_000)
                    .maxBytes(1L << 30).build());
        }
        KeyValueManagement buckets = connection.keyValueManagement();
        List<String> existing = buckets.getBucketNames();
        for (String bucket : List.of(USERS, NODES, TOPICS, BANS, REGISTRATIONS)) {
            if (!existing.contains(bucket)) {
                buckets.create(KeyValueConfiguration.builder().name(bucket).storageType(StorageType.File).build());
            }
        }
    }

    /** Claims the node name, learns who is where, and starts reading the stream. */
    private void start() throws IOException {
        try {
            boolean predecessorDied = claimNodeName();
            StreamContext stream = connection.getStreamContext(STREAM);
            long last = stream.getStreamInfo().getStreamState().getLastSequence();
            learnUsers(predecessorDied);
            learnTopics();
            learnBans();
            learnRegistrations();
            replayHistory(stream, last);
            applied = last;
            IterableConsumer consumer = readerFrom(last + 1);
            reader = Thread.ofPlatform().name("cluster-reader").daemon().start(() -> read(consumer));
            privateMessages = connection.createDispatcher(this::privateMessageArrived);
            privateMessages.subscribe(PM_SUBJECT + node);
            nodeWatch = nodes.watchAll(new NodeWatcher());
            heartbeat = Thread.ofVirtual().name("cluster-heartbeat").start(this::beat);
            if (predecessorDied) {
                publishQuietly(new ClusterEvent.NodeGone(node, node, "connection lost"));
            }
            log.info("joined the cluster as node {}: {} users on {} nodes", node, state.size(), lastSeen.size() + 1);
        } catch (JetStreamApiException e) {
            throw new UnreachableException("NATS refused the chat's stream or buckets: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnreachableException("interrupted while joining the cluster");
        }
    }

    /**
     * Takes this node's entry in the nodes bucket. An entry left by a node of the same name that
     * is gone is taken over; one that keeps beating is a running node, and this one must not start.
     *
     * @return whether a node of this name died without leaving (its users are still listed)
     */
    private boolean claimNodeName() throws IOException, JetStreamApiException, InterruptedException {
        KeyValueEntry entry = nodes.get(node);
        if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
            nodes.put(node, instance);
            return false;
        }
        if (!entry.getValueAsString().startsWith(GONE)) {
            long deadline = System.nanoTime() + SAME_NAME_WATCH.toNanos();
            while (System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(200);
                KeyValueEntry now = nodes.get(node);
                if (now != null && now.getRevision() != entry.getRevision()) {
                    throw new NodeNameTakenException("a node called " + node + " is running in the cluster; "
                            + "give this one another --node-name");
                }
            }
        }
        try {
            nodes.update(node, instance, entry.getRevision());
        } catch (JetStreamApiException e) {
            throw new NodeNameTakenException("a node called " + node + " started at the same time; "
                    + "give this one another --node-name");
        }
        return !entry.getValueAsString().startsWith(GONE);
    }

    /** Reads every user's entry; those of nodes no longer in the cluster are removed as they are found. */
    private void learnUsers(boolean predecessorDied) throws IOException, JetStreamApiException, InterruptedException {
        List<String> liveNodes = new ArrayList<>();
        for (String key : nodes.keys()) {
            KeyValueEntry entry = nodes.get(key);
            if (entry != null && !entry.getValueAsString().startsWith(GONE)) {
                liveNodes.add(key);
                if (!key.equals(node)) {
                    lastSeen.put(key, new long[] {System.nanoTime(), entry.getRevision()});
                }
            }
        }
        for (KeyValueEntry entry : entries(users)) {
            ClusterEvent.UserState user = ClusterEvent.UserState.decode(entry.getValue());
            boolean orphan = !liveNodes.contains(user.node()) || user.node().equals(node) && predecessorDied;
            if (orphan) {
                deleteQuietly(users, entry.getKey(), entry.getRevision());
            } else {
                state.put(user);
                for (String room : user.rooms()) {
                    server.rooms().getOrCreate(room);
                }
            }
        }
    }

    private void learnTopics() throws IOException, JetStreamApiException, InterruptedException {
        for (KeyValueEntry entry : entries(topics)) {
            String[] fields = entry.getValueAsString().split("\t", 2);
            Room room = server.rooms().find(fields[0]);
            if (room != null && fields.length == 2) {
                room.restoreTopic(fields[1]);
            }
        }
    }

    /** Takes the cluster's bans into this node's bans file, and makes this node's known to the cluster. */
    private void learnBans() throws IOException, JetStreamApiException, InterruptedException {
        for (KeyValueEntry entry : entries(bans)) {
            if (ClusterEvent.decode(entry.getValue()) instanceof ClusterEvent.Ban ban
                    && ban.ban().isActive(server.instant())) {
                server.bans().add(ban.ban());
            }
        }
        for (Bans.Ban ban : server.bans().active()) {
            keepBan(new ClusterEvent.Ban(node, ban));
        }
    }

    /**
     * Takes the cluster's registered names into this node's registrations file, and makes this
     * node's known to the cluster; where both have a name, the cluster's key wins.
     */
    private void learnRegistrations() throws IOException, JetStreamApiException, InterruptedException {
        Registrations local = server.registrations();
        if (local == null) {
            return;
        }
        List<String> known = new ArrayList<>();
        for (KeyValueEntry entry : entries(registrations)) {
            if (ClusterEvent.decode(entry.getValue()) instanceof ClusterEvent.Registered registered) {
                known.add(entry.getKey());
                KeyToken token = KeyToken.parse(registered.key()).orElse(null);
                Registrations.Registration mine = local.find(registered.name());
                if (token != null && (mine == null || !mine.key().equals(token))) {
                    local.register(registered.name(), token);
                }
            }
        }
        for (Registrations.Registration registration : local.all()) {
            if (!known.contains(userKey(registration.name()))) {
                keepRegistration(registration.name(), registration.key().token());
            }
        }
    }

    /**
     * Tells every node, and the nodes that start later, that {@code name} is registered to
     * {@code key} (a token), or released when {@code key} is empty.
     */
    void shareRegistration(String name, String key) {
        publishQuietly(new ClusterEvent.Registered(node, name, key));
        keepRegistration(name, key);
    }

    private void keepRegistration(String name, String key) {
        write(registrations, userKey(name), key.isEmpty() ? null : new ClusterEvent.Registered(node, name, key).encode(),
                "the registration of " + name);
    }

    /** Tells every node, and the nodes that start later, of {@code ban}. */
    void shareBan(Bans.Ban ban) {
        ClusterEvent.Ban event = new ClusterEvent.Ban(node, ban);
        publishQuietly(event);
        keepBan(event);
    }

    /** Tells every node, and the nodes that start later, that {@code by} lifted the ban of {@code target}. */
    void liftBan(String target, String by) {
        publishQuietly(new ClusterEvent.Unban(node, target, by));
        write(bans, banKey(target), null, "the ban of " + target);
    }

    private void keepBan(ClusterEvent.Ban ban) {
        write(bans, banKey(ban.ban().target()), ban.encode(), "the ban of " + ban.ban().target());
    }

    /**
     * Puts {@code value} under {@code key} in {@code bucket}, or deletes the key when it is null,
     * where starting nodes read it; while NATS is away, or when it fails, the cluster goes without.
     */
    private void write(KeyValue bucket, String key, byte[] value, String what) {
        if (!linked) {
            return;
        }
        try {
            if (value == null) {
                bucket.delete(key);
            } else {
                bucket.put(key, value);
            }
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            log.warn("could not update {} in the cluster: {}", what, e.getMessage());
        }
    }

    /** What {@code bucket} holds now: each key's latest value, deleted keys left out. */
    private static List<KeyValueEntry> entries(KeyValue bucket)
            throws IOException, JetStreamApiException, InterruptedException {
        List<KeyValueEntry> entries = new ArrayList<>();
        for (String key : bucket.keys()) {
            KeyValueEntry entry = bucket.get(key);
            if (entry != null && entry.getValue() != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static String banKey(String target) {
        return HexFormat.of().formatHex(target.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the stream's last lines up to {@code last} into the history of the rooms there are. */
    private void replayHistory(StreamContext stream, long last) throws IOException, JetStreamApiException {
        if (last == 0 || server.config().historyLength() == 0) {
            return;
        }
        long first = Math.max(1, last - HISTORY_REPLAY + 1);
        IterableConsumer replay = stream.createOrderedConsumer(new OrderedConsumerConfiguration()
                .filterSubject("chat.said").deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(first))
                .iterate();
        try {
            while (true) {
                Message message = replay.nextMessage(Duration.ofMillis(500));
                if (message == null || message.metaData().streamSequence() > last) {
                    break;
                }
                if (ClusterEvent.decode(message.getData()) instanceof ClusterEvent.Said said) {
                    Room room = server.rooms().find(said.room());
                    if (room != null) {
                        room.remember(ClusterDelivery.speech(said), said.when());
                    }
                }
                if (message.metaData().pendingCount() == 0) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("could not read the rooms' history from the stream: {}", e.getMessage());
        } finally {
            replay.stop();
        }
    }

    // What sessions and commands use.

    /** This node's name in the cluster. */
    String node() {
        return node;
    }

    /** Who is on the cluster, as this node knows it. */
    ClusterState state() {
        return state;
    }

    /** Whether NATS is reachable: when not, what this node's users do reaches them alone. */
    boolean linked() {
        return linked;
    }

    /**
     * Puts {@code event} in the cluster's order and runs {@code local}, what it changes on this
     * node, at its place: on the stream's reader, while the calling handler waits. Alone at once
     * while NATS cannot be reached.
     */
    void order(ClusterEvent event, Runnable local) {
        if (!linked) {
            applyToState(event);
            local.run();
            return;
        }
        long id = ids.incrementAndGet();
        Pending waiting = new Pending(local);
        pending.put(id, waiting);
        try {
            Headers headers = new Headers().add(ORIGIN_HEADER, instance + " " + id);
            jetStream.publish(event.subject(), headers, event.encode());
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            pending.remove(id);
            log.warn("could not publish to the cluster ({}); carried out on this node alone", e.getMessage());
            applyToState(event);
            waiting.runOnce();
            return;
        }
        try {
            if (!waiting.done.await(ORDER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                // The reader is stuck or NATS went away after the publish: do not keep the user waiting.
                pending.remove(id);
                log.warn("event {} did not come back from the stream in time; carried out here", id);
                waiting.runOnce();
                waiting.done.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Puts {@code event} in the cluster's order and runs {@code local} at its place, as
     * {@link #order} does, but without waiting for either: for what touches nothing of the
     * calling handler's own (a line said), so that a sender's next line need not wait for the
     * round trip through NATS. Lines one handler hands over keep their order: they are published
     * in turn on one connection.
     */
    void orderLater(ClusterEvent event, Runnable local) {
        if (!linked) {
            local.run();
            return;
        }
        long id = ids.incrementAndGet();
        Pending waiting = new Pending(local);
        pending.put(id, waiting);
        try {
            jetStream.publishAsync(event.subject(), new Headers().add(ORIGIN_HEADER, instance + " " + id),
                    event.encode()).whenComplete((ack, failure) -> {
                        if (failure != null && pending.remove(id) != null) {
                            log.warn("could not publish to the cluster ({}); carried out on this node alone",
                                    failure.getMessage());
                            waiting.runOnce();
                        }
                    });
        } catch (RuntimeException e) {
            pending.remove(id);
            log.warn("could not publish to the cluster ({}); carried out on this node alone", e.getMessage());
            waiting.runOnce();
        }
    }

    /**
     * Tells the cluster what {@code session}'s user did, with its state after it (in
     * {@code rooms}), and runs {@code local} at the event's place in the order, as {@link #order}.
     */
    void change(ClientSession session, ClusterEvent.User.Change change, String detail, List<String> rooms,
            Runnable local) {
        ClusterEvent.UserState user = delivery.stateOf(session, rooms);
        order(new ClusterEvent.User(node, change, detail, user), local);
        if (change != ClusterEvent.User.Change.OFF) {
            keep(user);
        }
    }

    /** Publishes {@code event} with nothing to run here when it comes back. Returns whether it was published. */
    boolean publishQuietly(ClusterEvent event) {
        if (!linked) {
            return false;
        }
        try {
            jetStream.publish(event.subject(), new Headers().add(ORIGIN_HEADER, instance + " 0"), event.encode());
            return true;
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            log.warn("could not publish to the cluster: {}", e.getMessage());
            return false;
        }
    }

    /**
     * Claims {@code state}'s name across the cluster, as {@link UserRegistry#register} does on
     * one server.
     *
     * @return false when another user in the cluster holds the name, ignoring case
     */
    boolean claim(ClusterEvent.UserState user) {
        if (!linked) {
            return state.find(user.name()) == null;
        }
        try {
            users.create(userKey(user.name()), user.encode());
            return true;
        } catch (JetStreamApiException e) {
            return false;
        } catch (IOException | IllegalStateException e) {
            log.warn("could not claim the name {} in the cluster ({}); taken on this node alone", user.name(),
                    e.getMessage());
            return state.find(user.name()) == null;
        }
    }

    /** Keeps {@code user}'s new state where starting nodes read it. */
    void keep(ClusterEvent.UserState user) {
        write(users, userKey(user.name()), user.encode(), "the state of " + user.name());
    }

    /** Frees {@code name} across the cluster. */
    void release(String name) {
        write(users, userKey(name), null, "the name " + name);
    }

    /** Keeps {@code room}'s topic where starting nodes read it. */
    void keepTopic(String room, String topic) {
        write(topics, HexFormat.of().formatHex(RoomNames.key(room).getBytes(StandardCharsets.UTF_8)),
                (room + "\t" + topic).getBytes(StandardCharsets.UTF_8), "the topic of " + room);
    }

    /**
     * Hands a private message to {@code to}'s node. Blocks for at most a few seconds.
     *
     * @return what came of it; not delivered when the user has gone or its node does not answer
     */
    Relayed relay(ClusterEvent.UserState to, String from, String text) {
        if (!linked) {
            return new Relayed(false, to.name(), "");
        }
        try {
            Message reply = connection.request(PM_SUBJECT + to.node(),
                    String.join("\t", node, from, to.name(), text).getBytes(StandardCharsets.UTF_8), REQUEST_TIMEOUT);
            if (reply == null) {
                return new Relayed(false, to.name(), "");
            }
            String[] fields = new String(reply.getData(), StandardCharsets.UTF_8).split("\t", 3);
            return fields[0].equals("ok") ? new Relayed(true, fields[1], fields.length > 2 ? fields[2] : "")
                    : new Relayed(false, to.name(), "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Relayed(false, to.name(), "");
        } catch (RuntimeException e) {
            log.debug("private message to {} not relayed: {}", to.name(), e.getMessage());
            return new Relayed(false, to.name(), "");
        }
    }

    private void privateMessageArrived(Message message) {
        String[] fields = new String(message.getData(), StandardCharsets.UTF_8).split("\t", 4);
        String answer = fields.length < 4 ? "none" : delivery.privateMessage(fields[0], fields[1], fields[2], fields[3]);
        if (message.getReplyTo() != null) {
            connection.publish(message.getReplyTo(), answer.getBytes(StandardCharsets.UTF_8));
        }
    }

    // The stream's reader.

    /** An ordered consumer of every event from {@code sequence} on. */
    private IterableConsumer readerFrom(long sequence) throws IOException, JetStreamApiException {
        return connection.getStreamContext(STREAM).createOrderedConsumer(new OrderedConsumerConfiguration()
                .filterSubject("chat.>").deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(sequence))
                .iterate();
    }

    private void read(IterableConsumer first) {
        IterableConsumer consumer = first;
        while (!closing) {
            if (renewReader) {
                // A NATS server that restarted may have lost the consumer: read on with a new one.
                try {
                    IterableConsumer renewed = readerFrom(applied + 1);
                    consumer.stop();
                    consumer = renewed;
                    renewReader = false;
                    log.info("reading the cluster's stream again from event {}", applied + 1);
                } catch (IOException | JetStreamApiException | IllegalStateException e) {
                    log.debug("stream reader not renewed yet: {}", e.getMessage());
                }
            }
            Message message;
            try {
                message = consumer.nextMessage(Duration.ofMillis(500));
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!closing) {
                    log.debug("reading the cluster's stream failed: {}", e.getMessage());
                }
                continue;
            }
            // Read twice when the reader was renewed: applied once.
            if (message == null || message.metaData().streamSequence() <= applied) {
                continue;
            }
            try {
                apply(message);
            } catch (RuntimeException e) {
                log.error("could not apply a cluster event: {}", new String(message.getData(), StandardCharsets.UTF_8),
                        e);
            }
            applied = message.metaData().streamSequence();
        }
        try {
            consumer.close();
        } catch (Exception e) {
            log.debug("closing the stream's reader: {}", e.getMessage());
        }
    }

    private void apply(Message message) {
        ClusterEvent event = ClusterEvent.decode(message.getData());
        String origin = message.getHeaders() == null ? null : message.getHeaders().getFirst(ORIGIN_HEADER);
        boolean ours = origin != null && origin.startsWith(instance + " ");
        Pending waiting = ours ? pending.remove(Long.parseLong(origin.substring(instance.length() + 1))) : null;
        if (event instanceof ClusterEvent.NodeGone gone) {
            if (!gone.gone().equals(node) || ours) {
                List<ClusterEvent.UserState> left = state.on(gone.gone());
                left.forEach(user -> state.remove(user.name(), user.node()));
                delivery.nodeGone(gone, left);
            } else if (linked) {
                // Counted as gone by another node (a pause longer than the timeout): its users are here
                // still, and the others are told of them again, as after a lost link.
                log.warn("node {} counted this node as gone; telling the cluster about its users again", gone.node());
                startRejoin();
            }
            return;
        }
        ClusterEvent.UserState previous = applyToState(event);
        if (waiting != null) {
            waiting.runOnce();
        } else if (!ours) {
            delivery.deliver(event, previous);
        }
    }

    /**
     * What {@code event} changes in who is where, the same on every node.
     *
     * @return for a user's event, the user's state before it
     */
    private ClusterEvent.UserState applyToState(ClusterEvent event) {
        return switch (event) {
            case ClusterEvent.User user when user.change() == ClusterEvent.User.Change.OFF ->
                    state.remove(user.state().name(), user.state().node());
            case ClusterEvent.User user when user.change() == ClusterEvent.User.Change.NICK -> {
                ClusterEvent.UserState previous = state.remove(user.detail(), user.state().node());
                state.put(user.state());
                yield previous;
            }
            case ClusterEvent.User user -> state.put(user.state());
            default -> null;
        };
    }

    // Liveness.

    private void beat() {
        while (!closing) {
            try {
                nodes.put(node, instance);
            } catch (IOException | JetStreamApiException | IllegalStateException e) {
                log.debug("heartbeat not sent: {}", e.getMessage());
            }
            if (linked) {
                lookForGoneNodes();
            }
            try {
                TimeUnit.MILLISECONDS.sleep(HEARTBEAT.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Counts as gone a node silent for too long; of the nodes that notice, the first to mark it says so. */
    private void lookForGoneNodes() {
        long now = System.nanoTime();
        for (Map.Entry<String, long[]> seen : lastSeen.entrySet()) {
            if (now - seen.getValue()[0] < NODE_TIMEOUT.toNanos()) {
                continue;
            }
            String gone = seen.getKey();
            try {
                nodes.update(gone, GONE + " " + node, seen.getValue()[1]);
            } catch (JetStreamApiException e) {
                // Another node marked it first, or it beat again.
                continue;
            } catch (IOException | IllegalStateException e) {
                return;
            }
            lastSeen.remove(gone);
            log.warn("node {} has been silent for {} s; its users are gone", gone, NODE_TIMEOUT.toSeconds());
            for (ClusterEvent.UserState user : state.on(gone)) {
                release(user.name());
            }
            publishQuietly(new ClusterEvent.NodeGone(node, gone, "connection lost"));
        }
    }

    /** Follows the nodes' heartbeats. */
    private final class NodeWatcher implements KeyValueWatcher {
        @Override
        public void watch(KeyValueEntry entry) {
            if (entry.getKey().equals(node)) {
                return;
            }
            if (entry.getOperation() == KeyValueOperation.PUT && !entry.getValueAsString().startsWith(GONE)) {
                lastSeen.put(entry.getKey(), new long[] {System.nanoTime(), entry.getRevision()});
            } else {
                lastSeen.remove(entry.getKey());
            }
        }

        @Override
        public void endOfData() {
        }
    }

    /** NATS came or went: this node's users are told, once each time. */
    private void connectionEvent(ConnectionListener.Events event) {
        if (closing) {
            return;
        }
        log.info("NATS connection: {}", event.getEvent());
        switch (event) {
            case DISCONNECTED -> {
                if (linked) {
                    linked = false;
                    log.warn("lost the link to NATS; this node's users reach each other only, until it is back");
                    delivery.tellEveryone("The link to the other servers is down: for now your lines reach only "
                            + "the users of this server.");
                }
            }
            case RECONNECTED, RESUBSCRIBED -> startRejoin();
            case CLOSED -> log.debug("the NATS connection is closed");
            default -> {
            }
        }
    }

    private void forceReconnect() throws InterruptedException {
        try {
            connection.forceReconnect();
        } catch (IOException e) {
            log.debug("could not reconnect to NATS: {}", e.getMessage());
        }
    }

    /** Starts {@link #rejoin()} on a thread of its own, unless it runs already. */
    private void startRejoin() {
        if (rejoining.compareAndSet(false, true)) {
            Thread.ofVirtual().name("cluster-rejoin").start(() -> {
                try {
                    rejoin();
                } finally {
                    rejoining.set(false);
                }
            });
        }
    }

    /**
     * Back after NATS was away: catches up on the stream, then tells the cluster again about this
     * node's users, whom the other nodes may have counted as gone, and the users that it is whole.
     */
    private void rejoin() {
        log.info("the link to NATS is back; catching up from event {}", applied + 1);
        long now = System.nanoTime();
        lastSeen.replaceAll((name, seen) -> new long[] {now, seen[1]});
        renewReader = true;
        try {
            // JetStream may need a moment after its server restarts: tried again until it answers.
            long last = -1;
            while (last < 0 && !closing) {
                long asked = System.nanoTime();
                try {
                    nodes.put(node, instance);
                    last = connection.getStreamContext(STREAM).getStreamInfo().getStreamState().getLastSequence();
                } catch (IOException | JetStreamApiException | IllegalStateException e) {
                    log.debug("JetStream not ready yet: {}", e.getMessage());
                    if (System.nanoTime() - asked > Duration.ofSeconds(1).toNanos()) {
                        // Not a refusal but no answer at all: now and then a connection back from a
                        // NATS restart gets no answers to its requests, and connecting afresh cures it.
                        log.info("JetStream does not answer this connection; connecting to NATS afresh");
                        forceReconnect();
                    }
                    TimeUnit.MILLISECONDS.sleep(250);
                }
            }
            if (last < 0) {
                return;
            }
            // Caught up, or given up on after a while: the users are told either way, and what is
            // still to read is delivered when it comes.
            long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
            while ((applied < last || renewReader) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(20);
            }
            if (applied < last || renewReader) {
                log.warn("not caught up with the cluster after {} s (event {} of {}); rejoining all the same",
                        CATCH_UP_TIMEOUT.toSeconds(), applied, last);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        linked = true;
        for (ClientSession session : server.sessions()) {
            if (session.name() == null) {
                continue;
            }
            ClusterEvent.UserState user = delivery.stateOf(session, session.roomNames());
            ClusterEvent.UserState known = state.find(user.name());
            if (known != null && !known.node().equals(node)) {
                delivery.lostName(session);
                continue;
            }
            keep(user);
            publishQuietly(new ClusterEvent.User(node, ClusterEvent.User.Change.BACK, "", user));
        }
        log.info("the link to NATS is back; the cluster is whole again");
        delivery.tellEveryone("The link to the other servers is back: the chat is whole again.");
    }

    /** Leaves the cluster: this node's entry goes, so its name is free at once. Call after the users have left. */
    @Override
    public void close() {
        List<ClusterEvent.UserState> stayed = state.on(node);
        if (!stayed.isEmpty()) {
            // Users whose sessions did not end in time: the others see them leave all the same.
            stayed.forEach(user -> release(user.name()));
            publishQuietly(new ClusterEvent.NodeGone(node, node, "server shutdown"));
        }
        closing = true;
        if (heartbeat != null) {
            heartbeat.interrupt();
        }
        try {
            if (nodeWatch != null) {
                nodeWatch.unsubscribe();
            }
            nodes.delete(node);
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            log.debug("could not remove this node from the cluster: {}", e.getMessage());
        }
        if (reader != null) {
            try {
                reader.join(Duration.ofSeconds(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeQuietly(connection);
    }

    /** The users bucket's key of {@code name}: its case-free key in hex, as bucket keys take few characters. */
    private static String userKey(String name) {
        return HexFormat.of().formatHex(NameRules.key(name).getBytes(StandardCharsets.UTF_8));
    }

    private static void deleteQuietly(KeyValue bucket, String key, long revision) {
        try {
            bucket.delete(key, revision);
        } catch (IOException | JetStreamApiException e) {
            log.debug("could not delete {}: {}", key, e.getMessage());
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
