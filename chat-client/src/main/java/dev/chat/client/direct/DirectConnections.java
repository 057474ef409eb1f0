package dev.chat.client.direct;

import dev.chat.client.ClientEvent;
import dev.chat.client.identity.DirectProof;
import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.client.identity.PublicIdentity;
import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * The user's direct connections with other users' clients: the offers made and received through
 * the server, the listening and connecting that follow an acceptance (each on its own
 * {@code direct-listen-NAME} or {@code direct-connect-NAME} thread), and the open
 * {@link DirectLink}s by name. Each side proves its identity key over the TLS session and checks
 * the other's against the key pinned for its name ({@link KnownKeys}).
 *
 * <p>Confined to the client's events thread but where a method says otherwise; it tells the
 * view through {@code tell}, which hands events to that thread.
 */
public final class DirectConnections {

    private static final Logger LOG = Logger.getLogger(DirectConnections.class.getName());

    /** How long the other side may take to prove its key once connected. */
    private static final Duration PROOF_TIMEOUT = Duration.ofSeconds(10);

    /** Sends a line over the connection to the server. */
    public interface Wire {
        void send(String line) throws IOException;
    }

    private final Identity identity;
    private final KnownKeys knownKeys;
    private final Supplier<String> me;
    private final Duration connectTimeout;
    private final DirectSettings settings;
    private final Consumer<ClientEvent> tell;
    private final Executor events;

    // ---- Of the connection to the server; reset when it ends. Events thread. ----
    private Wire wire;
    private InetAddress local;
    /** The name keys of those the user offered a direct connection and who have not answered. */
    private final Set<String> offeredTo = new HashSet<>();
    /** The offers received and not answered, by name key, as the server spelled the name. */
    private final Map<String, String> offersFrom = new HashMap<>();

    // ---- Any thread. ----
    /** A socket listening for {@code name}'s client, whose offer the user accepted. */
    private record Listening(String name, SSLServerSocket socket) {
    }

    /** The sockets listening for an accepted connection, by name key. */
    private final Map<String, Listening> listening = new ConcurrentHashMap<>();
    /** The open connections, by name key; added and removed on the events thread. */
    private final Map<String, DirectLink> links = new ConcurrentHashMap<>();

    /**
     * @param identity       the user's keys, or null: then every attempt fails, saying why
     * @param knownKeys      the pinned keys of others; null exactly when {@code identity} is
     * @param me             the user's name now
     * @param connectTimeout how long connecting to the other side may take
     * @param tell           tells the view; hands the event to the events thread
     * @param events         runs work on the events thread
     */
    public DirectConnections(Identity identity, KnownKeys knownKeys, Supplier<String> me, Duration connectTimeout,
            DirectSettings settings, Consumer<ClientEvent> tell, Executor events) {
        this.identity = identity;
        this.knownKeys = knownKeys;
        this.me = me;
        this.connectTimeout = connectTimeout;
        this.settings = settings;
        this.tell = tell;
        this.events = events;
    }

    /** What a user is told when no direct connection with {@code name} could be had. */
    public static String fallback(String name) {
        return "/msg " + name + " still reaches them through the server, end-to-end encrypted";
    }

    /** Signed on: offers go over {@code to}; this side listens on {@code localAddress}, the interface that reaches the server. */
    public void signedOn(Wire to, InetAddress localAddress) {
        wire = to;
        local = localAddress;
    }

    /** The connection to the server ended: offers lapse and listening stops; open direct connections go on. */
    public void ended() {
        wire = null;
        offeredTo.clear();
        offersFrom.clear();
        for (Listening waiting : List.copyOf(listening.values())) {
            if (listening.remove(NameRules.key(waiting.name()), waiting)) {
                closeQuietly(waiting.socket());
                tell.accept(new ClientEvent.DirectFailed(waiting.name(), "the connection to the server was lost "
                        + "while your client waited for " + waiting.name() + " to connect"));
            }
        }
    }

    // ---- The user's word; events thread ----

    /** Offers {@code name} a direct connection; the key pinned for {@code name} is checked when it is made. */
    public void offer(String name) {
        String refusal = cannotStart(name);
        if (refusal != null) {
            tell.accept(new ClientEvent.DirectFailed(name, refusal));
            return;
        }
        if (sendToServer("/" + Command.DIRECT.word() + " " + name, name)) {
            offeredTo.add(NameRules.key(name));
        }
    }

    /** Accepts {@code name}'s offer: listens, tells the server the port, and waits for {@code name} to connect. */
    public void accept(String name) {
        String refusal = cannotStart(name);
        String spelled = offersFrom.remove(NameRules.key(name));
        if (refusal == null && spelled == null) {
            refusal = name + " has not offered you a direct connection (or you answered already)";
        }
        if (refusal != null) {
            tell.accept(new ClientEvent.DirectFailed(name, refusal));
            return;
        }
        Wire to = wire;
        InetAddress at = local;
        String myName = me.get();
        Thread.ofPlatform().daemon().name("direct-listen-" + spelled).start(() -> listen(to, at, myName, spelled));
    }

    /** Declines {@code name}'s offer; returns false when there was none. */
    public boolean decline(String name) {
        if (offersFrom.remove(NameRules.key(name)) == null) {
            return false;
        }
        sendToServer("/" + Command.DIRECT_DECLINE.word() + " " + name, name);
        return true;
    }

    /** Why no direct connection with {@code name} can be started now, or null. */
    private String cannotStart(String name) {
        if (identity == null) {
            return "this client runs without keys, and a direct connection needs them to prove who is at each end";
        }
        if (wire == null) {
            return "not connected to the server, which brings the two clients together";
        }
        if (!NameRules.isValid(name)) {
            return "\"" + name + "\" is not a name";
        }
        if (links.containsKey(NameRules.key(name))) {
            return "a direct connection with " + name + " is open already";
        }
        return null;
    }

    private boolean sendToServer(String line, String name) {
        try {
            wire.send(line);
            return true;
        } catch (IOException e) {
            tell.accept(new ClientEvent.DirectFailed(name, "the connection to the server is gone"));
            return false;
        }
    }

    // ---- What the server sends; events thread ----

    /**
     * Takes in a server line: offers and refusals are told as {@link ClientEvent.DirectOffered} and
     * {@link ClientEvent.DirectFailed}; an acceptance of the user's own offer starts connecting.
     * Returns whether the line was taken, so that it is not told as a line too.
     */
    public boolean take(ServerLine line) {
        switch (line) {
            case ServerLine.DirectOffer offer -> {
                offersFrom.put(NameRules.key(offer.name()), offer.name());
                tell.accept(new ClientEvent.DirectOffered(offer.name()));
                return true;
            }
            case ServerLine.DirectDeclined declined when offeredTo.remove(NameRules.key(declined.name())) -> {
                tell.accept(new ClientEvent.DirectFailed(declined.name(), declined.name()
                        + " declined the direct connection; " + fallback(declined.name())));
                return true;
            }
            case ServerLine.DirectConnect connect when offeredTo.remove(NameRules.key(connect.name())) -> {
                String myName = me.get();
                Thread.ofPlatform().daemon().name("direct-connect-" + connect.name())
                        .start(() -> connect(myName, connect));
                return false;
            }
            case ServerLine.Error error when error.code() == ErrorCode.NO_OFFER -> {
                // The server took no acceptance: the listening for it ends now rather than at its timeout.
                listening.entrySet().removeIf(entry -> {
                    boolean answered = error.text().toLowerCase(java.util.Locale.ROOT).startsWith(entry.getKey() + " ");
                    if (answered) {
                        closeQuietly(entry.getValue().socket());
                    }
                    return answered;
                });
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    // ---- The connecting and listening threads ----

    /** On its own thread: connects to the address the server gave, proves the keys, and opens the link. */
    private void connect(String myName, ServerLine.DirectConnect to) {
        String name = to.name();
        InetAddress address;
        try {
            // An address only, never a name to look up: the server says where, not a resolver.
            address = InetAddress.ofLiteral(to.address());
        } catch (IllegalArgumentException e) {
            tell.accept(new ClientEvent.DirectFailed(name, "the server gave \"" + to.address() + "\" as " + name
                    + "'s address, which is no IP address; " + fallback(name)));
            return;
        }
        SSLSocket socket;
        try {
            socket = DirectTls.connect(new InetSocketAddress(address, to.port()), connectTimeout);
        } catch (IOException e) {
            LOG.log(Level.FINE, "direct connection failed", e);
            tell.accept(new ClientEvent.DirectFailed(name, "could not connect directly to " + name + " at "
                    + to.address() + " port " + to.port() + " (" + why(e) + "): a firewall or different networks may "
                    + "stand between you; " + fallback(name)));
            return;
        }
        prove(socket, DirectProof.Role.OFFERER, myName, name);
    }

    /** On its own thread: listens, tells the server where, and takes the first connection that proves {@code name}'s key. */
    private void listen(Wire to, InetAddress at, String myName, String name) {
        String key = NameRules.key(name);
        SSLServerSocket server;
        try {
            server = DirectTls.listen(at);
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot listen for a direct connection", e);
            tell.accept(new ClientEvent.DirectFailed(name, "could not listen for " + name + ": " + e.getMessage()
                    + "; " + fallback(name)));
            return;
        }
        Listening waiting = new Listening(name, server);
        listening.put(key, waiting);
        long deadline = System.nanoTime() + settings.acceptTimeout().toNanos();
        try {
            to.send("/" + Command.DIRECT_ACCEPT.word() + " " + name + " " + server.getLocalPort());
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SocketTimeoutException();
                }
                server.setSoTimeout(Math.toIntExact(Math.max(1, left / 1_000_000)));
                SSLSocket socket = (SSLSocket) server.accept();
                try {
                    DirectTls.handshake(socket, PROOF_TIMEOUT);
                } catch (IOException e) {
                    // Not a client of this protocol (a scan, a stray): wait on for the one asked.
                    LOG.log(Level.FINE, "a connection to the direct port failed its handshake", e);
                    closeQuietly(socket);
                    continue;
                }
                closeQuietly(server);
                prove(socket, DirectProof.Role.ACCEPTER, myName, name);
                return;
            }
        } catch (SocketTimeoutException e) {
            tell.accept(new ClientEvent.DirectFailed(name, name + " did not connect within "
                    + settings.acceptTimeout().toSeconds() + " s: a firewall or different networks may stand between "
                    + "you; " + fallback(name)));
        } catch (IOException e) {
            if (listening.get(key) == waiting) {
                tell.accept(new ClientEvent.DirectFailed(name, "waiting for " + name + " failed: " + why(e)
                        + "; " + fallback(name)));
            } else {
                LOG.log(Level.FINE, "listening for a direct connection stopped", e);
            }
        } finally {
            listening.remove(key, waiting);
            closeQuietly(server);
        }
    }

    /** Proves the keys over {@code socket} and hands the open link to the events thread. Connecting or listening thread. */
    private void prove(SSLSocket socket, DirectProof.Role role, String myName, String name) {
        DirectLink link;
        try {
            PublicIdentity expected = knownKeys.pinned(name).map(KnownKeys.Pin::key).orElse(null);
            if (expected == null) {
                closeQuietly(socket);
                tell.accept(new ClientEvent.DirectFailed(name, "no key of " + name + " is pinned to check; "
                        + fallback(name)));
                return;
            }
            link = DirectLink.establish(socket, role, identity, myName, name, expected, PROOF_TIMEOUT,
                    settings.maxFileBytes(), tell);
        } catch (DirectRefusedException e) {
            tell.accept(new ClientEvent.DirectFailed(name, "refused: " + e.getMessage() + ". " + fallback(name)));
            return;
        } catch (IOException e) {
            LOG.log(Level.FINE, "direct connection failed while proving the keys", e);
            tell.accept(new ClientEvent.DirectFailed(name, "the direct connection with " + name + " failed: " + why(e)
                    + "; " + fallback(name)));
            return;
        }
        try {
            events.execute(() -> opened(link));
        } catch (RejectedExecutionException e) {
            // The client is closed: nobody is left to use the connection.
            link.close();
        }
    }

    /** Events thread: the link is the user's connection with its peer, replacing none. */
    private void opened(DirectLink link) {
        DirectLink earlier = links.putIfAbsent(NameRules.key(link.peer()), link);
        if (earlier != null) {
            link.close();
            return;
        }
        tell.accept(new ClientEvent.DirectOpened(link.peer(), link.address()));
        link.start();
    }

    /** Events thread: {@code name}'s link told its end; it is forgotten. */
    public void closed(String name) {
        links.entrySet().removeIf(entry -> entry.getKey().equals(NameRules.key(name)) && entry.getValue().isClosed());
    }

    // ---- Over an open link; any thread ----

    /** Whether a direct connection with {@code name} is open. */
    public boolean isOpen(String name) {
        return NameRules.isValid(name) && links.containsKey(NameRules.key(name));
    }

    /**
     * Says {@code text} to {@code name} over the direct connection. Blocks while the socket takes it.
     *
     * @throws IOException when no direct connection with {@code name} is open, or it is gone
     */
    public void say(String name, String text) throws IOException {
        link(name).say(text);
    }

    /**
     * Offers {@code file} to {@code name}; sent once accepted. Returns the file's id.
     *
     * @throws IOException when no direct connection is open, the file cannot be read or is too large
     */
    public long sendFile(String name, Path file) throws IOException {
        return link(name).offer(file);
    }

    /** Saves file {@code id} from {@code name} as {@code target}, or beside it under a free name; never over a file. */
    public void acceptFile(String name, long id, Path target) throws IOException {
        link(name).accept(id, target);
    }

    /** Refuses file {@code id} from {@code name}. */
    public void refuseFile(String name, long id) throws IOException {
        link(name).refuse(id);
    }

    /** Closes the direct connection with {@code name}; returns false when none is open. */
    public boolean close(String name) {
        DirectLink link = NameRules.isValid(name) ? links.get(NameRules.key(name)) : null;
        if (link == null) {
            return false;
        }
        link.close();
        return true;
    }

    /** Closes every direct connection and stops listening, and waits at most {@code timeout} for each to end. Any thread. */
    public void closeAll(Duration timeout) throws InterruptedException {
        listening.values().forEach(waiting -> closeQuietly(waiting.socket()));
        List<DirectLink> open = List.copyOf(links.values());
        open.forEach(DirectLink::close);
        for (DirectLink link : open) {
            link.awaitClosed(timeout);
        }
    }

    private DirectLink link(String name) throws IOException {
        DirectLink link = NameRules.isValid(name) ? links.get(NameRules.key(name)) : null;
        if (link == null) {
            throw new IOException("no direct connection with " + name + " is open; /direct " + name + " asks for one");
        }
        return link;
    }

    private static String why(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer in time";
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to that address";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }
}
