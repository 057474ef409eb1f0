package dev.chat.server;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The chat server: accepts connections on its own thread and gives each one a
 * {@link ClientSession} on a virtual thread of its own.
 */
public final class ChatServer implements AutoCloseable {

    private static final Logger log = LogManager.getLogger(ChatServer.class);

    /** How long sessions get, at shutdown, to send the notice and end by themselves. */
    private static final Duration SHUTDOWN_GRACE = Duration.ofMillis(2500);
    /** How long sessions whose sockets were then closed by force get to finish. */
    private static final Duration SHUTDOWN_FORCED = Duration.ofMillis(500);
    /** At most one warning per this interval about refused connections; the rest are counted. */
    private static final Duration REFUSAL_WARNING_INTERVAL = Duration.ofSeconds(10);
    private static final int ACCEPT_BACKLOG = 1024;
    /** How often the watchdog looks for connections without a name past the registration timeout. */
    private static final Duration WATCH_INTERVAL = Duration.ofMillis(500);

    /** The plain-text listener, or null when the server takes TLS only. */
    private final ServerSocket listener;
    /** The TLS listener, or null when TLS is off. */
    private final ServerSocket tlsListener;
    /** The TLS certificate's fingerprint, or null when TLS is off. */
    private final String tlsFingerprint;
    /** The web client's listener, or null when it is off. Set once, at start. */
    private volatile WebServer web;
    private final ChatLog chatLog = new ChatLog();
    private final ServerMetrics metrics = new ServerMetrics();
    private final UserRegistry registry = new UserRegistry();
    private final Rooms rooms;
    private final SignOn signOn = new SignOn(this);
    /** Made after {@link #signOn}, whose steps some commands are. */
    private final CommandTable commands = ChatCommands.table(this);
    /** Every open connection, with or without a name. */
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();
    private final ConnectionLimiter limiter = new ConnectionLimiter();
    private final Clock clock = Clock.systemDefaultZone();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final List<Thread> acceptors;
    private final Thread watchdog;
    private volatile ServerConfig config;
    private volatile List<String> greeting;
    private volatile List<String> motd;
    /** Null when the server needs no password. */
    private volatile ServerPassword password;
    private final LoginThrottle loginThrottle = new LoginThrottle();
    private volatile Operators operators;
    private final Bans bans;
    /** Null when the server registers no names. */
    private final Registrations registrations;
    /** This node's link to the cluster; null for a server on its own. Set by {@link #start} before any session. */
    private ClusterLink cluster;
    /** Serves {@link #metrics}; null when metrics are off. Set by {@link #start} before the acceptors start. */
    private MetricsEndpoint metricsEndpoint;
    private volatile boolean stopping;
    /** Guarded by {@code this} (two acceptor threads may refuse at once). */
    private long lastRefusalWarning;
    private int refusalsNotWarned;

    private ChatServer(ServerConfig config, List<String> greeting, List<String> motd, ServerSocket listener,
            ServerSocket tlsListener, String tlsFingerprint, Bans bans, Registrations registrations) {
        this.config = config;
        this.bans = bans;
        this.registrations = registrations;
        this.greeting = greeting;
        this.motd = motd;
        // The large-room size is read at each join and leave, so that a reload changes it.
        this.rooms = new Rooms(config.defaultRoom(), config.historyLength(), () -> this.config.largeRoomSize(),
                this::now, metrics);
        this.listener = listener;
        this.tlsListener = tlsListener;
        this.tlsFingerprint = tlsFingerprint;
        List<Thread> threads = new java.util.ArrayList<>(2);
        if (listener != null) {
            threads.add(Thread.ofPlatform().name("chat-acceptor").unstarted(() -> acceptLoop(listener)));
        }
        if (tlsListener != null) {
            threads.add(Thread.ofPlatform().name("chat-acceptor-tls").unstarted(() -> acceptLoop(tlsListener)));
        }
        this.acceptors = List.copyOf(threads);
        this.watchdog = Thread.ofVirtual().name("chat-watchdog").unstarted(this::watchLoop);
    }

    /**
     * Starts a server; it is listening when this returns.
     *
     * @throws java.net.BindException when the address is in use or cannot be bound
     * @throws IOException            when the greeting file, the message of the day or the
     *                                keystore cannot be read, or listening fails
     */
    public static ChatServer start(ServerConfig config) throws IOException {
        List<String> greeting = Greeting.load(config.greetingFile());
        List<String> motd = Greeting.loadMotd(config.motdFile());
        ServerPassword password = ServerPassword.load(config.passwordFile());
        Operators operators = Operators.load(config.operatorsFile());
        Bans bans = new Bans(config.bansFile(), Clock.systemUTC());
        bans.reload();
        Registrations registrations = null;
        if (config.registrationsFile() != null) {
            registrations = new Registrations(config.registrationsFile());
            registrations.reload();
        }
        ServerConfig.Tls tls = config.tls();
        TlsIdentity identity = null;
        if (tls != null) {
            identity = tls.keystore() != null ? TlsIdentity.load(tls.keystore(), tls.passwordFile())
                    : TlsIdentity.selfSigned(tls.dataDirectory());
        }
        ServerSocket listener = null;
        ServerSocket tlsListener = null;
        try {
            if (config.plain()) {
                listener = new ServerSocket();
                listener.setReuseAddress(true);
                listener.bind(new InetSocketAddress(config.bind(), config.port()), ACCEPT_BACKLOG);
            }
            if (identity != null) {
                tlsListener = identity.listen(new InetSocketAddress(config.bind(), tls.port()), ACCEPT_BACKLOG);
            }
        } catch (IOException e) {
            closeQuietly(listener);
            closeQuietly(tlsListener);
            throw e;
        }
        ChatServer server = new ChatServer(config, greeting, motd, listener, tlsListener,
                identity == null ? null : identity.fingerprint(), bans, registrations);
        if (config.cluster() != null) {
            try {
                server.cluster = ClusterLink.join(server, config.cluster());
            } catch (IOException e) {
                closeQuietly(listener);
                closeQuietly(tlsListener);
                throw e;
            }
            server.chatLog.inCluster(config.cluster().nodeName());
            ClusterState state = server.cluster.state();
            server.rooms.keepWhile(room -> state.size(room) > 0);
        }
        if (config.web() != null) {
            try {
                server.web = WebServer.start(server, config, identity);
            } catch (IOException e) {
                closeQuietly(listener);
                closeQuietly(tlsListener);
                throw e;
            }
        }
        server.password = password;
        server.operators = operators;
        if (config.metrics() != null) {
            try {
                server.metricsEndpoint = MetricsEndpoint.start(config.metrics(), server);
            } catch (IOException e) {
                closeQuietly(listener);
                closeQuietly(tlsListener);
                if (server.web != null) {
                    server.web.stop();
                }
                throw e;
            }
            log.info("serving metrics on {}:{}", config.metrics().bind(), server.metricsPort());
        }
        if (server.cluster != null) {
            log.info("node {} of the cluster at {}", config.cluster().nodeName(), String.join(", ", config.cluster().urls()));
        }
        if (listener != null) {
            server.chatLog.started(new InetSocketAddress(config.bind(), server.port()), false);
            log.info("listening on {}:{}", config.bind(), server.port());
        }
        if (tlsListener != null) {
            server.chatLog.started(new InetSocketAddress(config.bind(), server.tlsPort()), true);
            log.info("listening with TLS on {}:{}, certificate SHA-256 {}", config.bind(), server.tlsPort(),
                    server.tlsFingerprint);
        }
        if (server.web != null) {
            log.info("web client on {}://{}:{}/, WebSocket at {}", server.web.tls() ? "https" : "http", config.bind(),
                    server.web.port(), WebServer.PATH);
        }
        server.acceptors.forEach(Thread::start);
        server.watchdog.start();
        return server;
    }

    /** The plain-text port (the one picked, when started with port 0), or -1 when there is none. */
    public int port() {
        return listener == null ? -1 : listener.getLocalPort();
    }

    /** The TLS port (the one picked, when started with port 0), or -1 when TLS is off. */
    public int tlsPort() {
        return tlsListener == null ? -1 : tlsListener.getLocalPort();
    }

    /** The metrics endpoint's port (the one picked, when started with port 0), or -1 when metrics are off. */
    public int metricsPort() {
        return metricsEndpoint == null ? -1 : metricsEndpoint.port();
    }

    /** The web client's port (the one picked, when started with port 0), or -1 when it is off. */
    public int webPort() {
        return web == null ? -1 : web.port();
    }

    /** Whether the web client is served over HTTPS and WSS. */
    public boolean webTls() {
        return web != null && web.tls();
    }

    /** The SHA-256 fingerprint of the TLS certificate, or null when TLS is off. */
    public String tlsFingerprint() {
        return tlsFingerprint;
    }

    /** The address the server listens on. */
    public InetSocketAddress address() {
        return new InetSocketAddress(config.bind(), port());
    }

    /** How many connections are open, with or without a name. */
    public int connectionCount() {
        return limiter.total();
    }

    /** How many users are registered on this server (in a cluster: on this node). */
    public int userCount() {
        return registry.size();
    }

    /** In a cluster, this node's name; null for a server on its own. */
    public String nodeName() {
        return cluster == null ? null : cluster.node();
    }

    /**
     * Takes the reloadable settings of {@code newConfig} (limits, greeting) for new
     * connections; the address and port stay as they are. Bans and registered names are read
     * again from their files; whether names are registered at all, and where, is kept until
     * restart.
     *
     * @throws IOException when the new greeting file, or the bans or registrations file, cannot
     *                     be read; the configuration stays as it was then
     */
    public void reload(ServerConfig newConfig) throws IOException {
        List<String> newGreeting = Greeting.load(newConfig.greetingFile());
        List<String> newMotd = Greeting.loadMotd(newConfig.motdFile());
        ServerPassword newPassword = ServerPassword.load(newConfig.passwordFile());
        Operators newOperators = Operators.load(newConfig.operatorsFile());
        bans.reload();
        if (registrations != null) {
            registrations.reload();
        }
        ServerConfig current = config;
        if (!Objects.equals(newConfig.bind(), current.bind()) || newConfig.port() != current.port()) {
            log.warn("bind address and port are kept until restart ({}:{})", current.bind(), current.port());
        }
        if (!Objects.equals(newConfig.web(), current.web())) {
            log.warn("the web listener's settings are kept until restart");
        }
        if (!newConfig.defaultRoom().equals(current.defaultRoom()) || newConfig.historyLength() != current.historyLength()) {
            log.warn("default room and history length are kept until restart ({}, {} lines)", current.defaultRoom(),
                    current.historyLength());
        }
        if (!Objects.equals(newConfig.registrationsFile(), current.registrationsFile())) {
            log.warn("whether and where names are registered is kept until restart ({})",
                    current.registrationsFile() == null ? "no registration" : current.registrationsFile());
        }
        if (!Objects.equals(newConfig.cluster(), current.cluster())) {
            log.warn("the cluster's settings are kept until restart");
        }
        if (!Objects.equals(newConfig.metrics(), current.metrics())) {
            log.warn("the metrics endpoint is kept until restart ({})", current.metrics());
        }
        config = newConfig.toBuilder().bind(current.bind()).port(current.port()).web(current.web())
                .defaultRoom(current.defaultRoom())
                .historyLength(current.historyLength()).registrationsFile(current.registrationsFile())
                .metrics(current.metrics()).cluster(current.cluster()).build();
        greeting = newGreeting;
        motd = newMotd;
        password = newPassword;
        operators = newOperators;
        log.info("configuration reloaded: max clients {}, max line {} bytes, send queue {} bytes, greeting {}",
                newConfig.maxClients(), newConfig.maxLineBytes(), newConfig.sendQueueBytes(),
                newConfig.greetingFile() == null ? "built in" : newConfig.greetingFile());
    }

    /** Closes and reopens the log files (after an external rotation). */
    public void reopenLogs() {
        chatLog.reopen();
        log.info("log files reopened");
    }

    /**
     * Stops the server: stops accepting, tells every client, waits for their sessions to end
     * (closing by force those that do not), and writes the stop to chat.log. Blocks the
     * calling thread for at most about four seconds. Does nothing the second time.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopping = true;
        log.info("shutting down, {} connections open", sessions.size());
        closeQuietly(listener);
        closeQuietly(tlsListener);
        if (web != null) {
            web.stopAccepting();
        }
        watchdog.interrupt();
        try {
            for (Thread acceptor : acceptors) {
                acceptor.join(SHUTDOWN_FORCED);
            }
            List<ClientSession> open = List.copyOf(sessions);
            for (ClientSession session : open) {
                session.closeWith(new ServerLine.ShuttingDown(now()), "server shutdown");
            }
            if (!awaitAll(open, SHUTDOWN_GRACE)) {
                log.warn("{} sessions did not end in time; closing them", sessions.size());
                List.copyOf(sessions).forEach(ClientSession::closeSocket);
                awaitAll(List.copyOf(sessions), SHUTDOWN_FORCED);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (web != null) {
            web.stop();
        }
        // Sessions still stuck (their handler waits for a lock): chat.log gets their leave all the same.
        for (ClientSession session : List.copyOf(sessions)) {
            if (session.name() != null && session.markLeft()) {
                chatLog.left(session.name(), "server shutdown");
            }
        }
        if (cluster != null) {
            cluster.close();
        }
        chatLog.stopped();
        // Last, so that a scrape during the shutdown still finds it.
        closeQuietly(metricsEndpoint);
        log.info("stopped");
    }

    private static boolean awaitAll(List<ClientSession> open, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ClientSession session : open) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !session.awaitEnd(Duration.ofNanos(left))) {
                return false;
            }
        }
        return true;
    }

    private void acceptLoop(ServerSocket from) {
        while (!stopping) {
            Socket socket;
            try {
                socket = from.accept();
            } catch (IOException e) {
                if (stopping) {
                    return;
                }
                log.error("accepting a connection failed: {}", e.getMessage());
                pauseAfterAcceptFailure();
                continue;
            }
            accept(socket);
        }
    }

    private void accept(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            KeepAlive.apply(socket, config);
        } catch (IOException e) {
            log.info("connection from {} failed at once: {}", socket.getRemoteSocketAddress(), e.getMessage());
            closeQuietly(socket);
            return;
        }
        admit(new SocketTransport(socket));
    }

    /**
     * Lets a new connection in, TCP or WebSocket, and starts its session; or, when a ban or a
     * limit says no, answers it with one error line and closes it. Never blocks on the client.
     *
     * @return the session started, or null when the connection was refused or failed
     */
    ClientSession admit(Transport transport) {
        if (stopping) {
            // A WebSocket upgraded while the server stops: it would miss the shutdown notice.
            closeQuietly(transport::close);
            return null;
        }
        ServerConfig current = config;
        Bans.Ban ban = bans.forAddress(transport.address());
        if (ban != null) {
            refuse(transport, new ServerLine.Error(now(), ErrorCode.BANNED,
                    "your address is banned " + ban.duration() + ": " + ban.reason()));
            return null;
        }
        ConnectionLimiter.Refusal refusal = limiter.tryAcquire(transport.address(), current);
        if (refusal != null) {
            refuse(transport, switch (refusal) {
                case SERVER_FULL -> new ServerLine.Error(now(), ErrorCode.SERVER_FULL,
                        "the server is full (" + current.maxClients() + " connections); try again later");
                case TOO_MANY_FROM_ADDRESS -> new ServerLine.Error(now(), ErrorCode.TOO_MANY_CONNECTIONS,
                        "too many connections from your address (at most " + current.maxPerAddress() + ")");
            });
            return null;
        }
        try {
            ClientSession session = new ClientSession(this, transport, current);
            sessions.add(session);
            metrics.connectionAccepted();
            session.start();
            return session;
        } catch (IOException e) {
            log.info("connection from {} failed at once: {}", transport.remote(), e.getMessage());
            limiter.release(transport.address());
            closeQuietly(transport::close);
            return null;
        }
    }

    /** Answers a connection that may not come in with one error line, on a thread of its own. */
    private void refuse(Transport transport, ServerLine.Error error) {
        metrics.connectionRefused(error.code());
        warnRefusal(transport.remote(), error.text());
        byte[] line = error.toWire();
        Thread.ofVirtual().name("refuse-" + transport.remote()).start(() -> {
            try {
                OutputStream out = transport.output();
                out.write(line);
                out.flush();
                transport.shutdownOutput();
            } catch (IOException e) {
                log.debug("refused connection closed early: {}", e.getMessage());
            } finally {
                closeQuietly(transport::close);
            }
        });
    }

    /** Logs a refused connection, at most once per interval, so that a flood of them cannot flood the log. */
    private synchronized void warnRefusal(String remote, String why) {
        long now = System.nanoTime();
        if (lastRefusalWarning != 0 && now - lastRefusalWarning < REFUSAL_WARNING_INTERVAL.toNanos()) {
            refusalsNotWarned++;
            return;
        }
        String more = refusalsNotWarned == 0 ? "" : " (" + refusalsNotWarned + " more refused since the last warning)";
        log.warn("refusing {}: {}{}", remote, why, more);
        lastRefusalWarning = now;
        refusalsNotWarned = 0;
    }

    /**
     * Closes connections that stay without a name too long, and looks after chat.log; runs
     * until the server stops.
     */
    private void watchLoop() {
        while (!stopping) {
            chatLog.watch();
            Duration timeout = config.registrationTimeout();
            if (!timeout.isZero()) {
                for (ClientSession session : sessions) {
                    if (session.isUnregisteredLongerThan(timeout)) {
                        log.info("{}: no name after {} s, closing", session.remote(), timeout.toSeconds());
                        session.closeWith(new ServerLine.Error(now(), ErrorCode.TIMEOUT,
                                "no name within " + timeout.toSeconds() + " seconds; disconnected"),
                                "registration timeout");
                    }
                }
            }
            try {
                TimeUnit.MILLISECONDS.sleep(WATCH_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void pauseAfterAcceptFailure() {
        // Out of file descriptors, typically: retrying at once would spin.
        try {
            TimeUnit.MILLISECONDS.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }

    // What sessions and commands use.

    ServerConfig config() {
        return config;
    }

    List<String> greeting() {
        return greeting;
    }

    UserRegistry registry() {
        return registry;
    }

    List<String> motd() {
        return motd;
    }

    Rooms rooms() {
        return rooms;
    }

    /** The server's password, or null when it needs none. */
    ServerPassword password() {
        return password;
    }

    LoginThrottle loginThrottle() {
        return loginThrottle;
    }

    Operators operators() {
        return operators;
    }

    Bans bans() {
        return bans;
    }

    /** The registered names, or null when the server registers none. */
    Registrations registrations() {
        return registrations;
    }

    /** Now, for ban expiry. */
    java.time.Instant instant() {
        return clock.instant();
    }

    /** The open sessions that {@code ban} covers: the one holding its name, or those from its addresses. */
    List<ClientSession> sessionsMatching(Bans.Ban ban) {
        List<ClientSession> matching = new java.util.ArrayList<>();
        for (ClientSession session : sessions) {
            boolean covered = switch (ban.kind()) {
                case NAME -> session.name() != null && NameRules.key(session.name()).equals(NameRules.key(ban.target()));
                case ADDRESS -> AddressRange.parse(ban.target()).contains(session.address());
            };
            if (covered) {
                matching.add(session);
            }
        }
        return matching;
    }

    /** This node's link to the cluster, or null for a server on its own. */
    ClusterLink cluster() {
        return cluster;
    }

    /**
     * Who is in {@code room}, as a newcomer is told in the step that adds it: from
     * {@code snapshot} on a server on its own, from the cluster's members in a cluster.
     */
    ServerLine membersLine(Room room, Room.Snapshot snapshot) {
        if (cluster == null) {
            return snapshot.members(now());
        }
        List<String> names = cluster.state().names(room.name());
        int limit = config.largeRoomSize();
        return limit > 0 && names.size() > limit ? new ServerLine.People(now(), names.size(), room.name())
                : new ServerLine.Online(now(), names);
    }

    CommandTable commands() {
        return commands;
    }

    SignOn signOn() {
        return signOn;
    }

    /** Whether {@link #close()} has begun: leaves are no longer announced. */
    boolean stopping() {
        return stopping;
    }

    ChatLog chatLog() {
        return chatLog;
    }

    ServerMetrics metrics() {
        return metrics;
    }

    /** The open sessions, as they are while they are walked; taking no lock. */
    Collection<ClientSession> sessions() {
        return Collections.unmodifiableSet(sessions);
    }

    /** The server's wall-clock time, to the second, for stamping lines. */
    LocalTime now() {
        return LocalTime.now(clock).truncatedTo(ChronoUnit.SECONDS);
    }

    /** The server's date and time, to the second, for history. */
    LocalDateTime nowWithDate() {
        return LocalDateTime.now(clock).truncatedTo(ChronoUnit.SECONDS);
    }

    /** Forgets a session whose handler is about to end. */
    void ended(ClientSession session) {
        if (sessions.remove(session)) {
            limiter.release(session.address());
        }
    }
}
