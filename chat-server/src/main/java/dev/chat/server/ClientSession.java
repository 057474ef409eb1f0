package dev.chat.server;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.LineDecoder;
import dev.chat.protocol.LineTooLongException;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.Text;
import dev.chat.protocol.identity.KeyChallenge;
import dev.chat.protocol.identity.KeyToken;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One client connection, from the greeting to the close. Its handler thread reads and
 * carries out the client's lines; what it is sent goes through its {@link Outbox}, whose
 * writer is the only thread that writes to its connection. A {@link Transport} carries the
 * lines: a TCP socket or a WebSocket, the session is the same.
 */
final class ClientSession {

    private static final Logger log = LogManager.getLogger(ClientSession.class);

    /** Numbers the sessions, see {@link #serial()}. */
    private static final AtomicLong SERIALS = new AtomicLong();

    /** How long a leaving client's writer may take to send what is still queued (the goodbye). */
    private static final Duration WRITER_GRACE = Duration.ofSeconds(2);

    /** How a TLS handshake record starts (content type 22, version 3.x): a TLS client on the plain port. */
    private static final String TLS_HANDSHAKE_START = "\u0016\u0003";

    /** Telnet's TIMING-MARK option: the client stops showing output until it is answered. */
    private static final int TELNET_TIMING_MARK = 6;
    /** IAC WILL TIMING-MARK: "everything before this point has been processed". */
    private static final byte[] TELNET_WILL_TIMING_MARK = {(byte) 0xFF, (byte) 0xFB, TELNET_TIMING_MARK};

    /** Bytes read from the socket at a time; lines longer than this are assembled across reads. */
    private static final int READ_BUFFER_BYTES = 2048;

    private final ChatServer server;
    private final Transport transport;
    private final String remote;
    private final InetAddress address;
    private final Outbox outbox;
    /** Null when flood control is off. Used by the handler thread only. */
    private final FloodGate floodGate;
    private final int floodBacklogBytes;
    private final long connectedAt = System.nanoTime();
    private final long serial = SERIALS.incrementAndGet();

    /** The registered name; null until registration; changed by /nick. Written by the handler thread only. */
    private volatile String name;
    /** {@link NameRules#key(String)} of {@link #name}, kept with it: rooms order their members by it. */
    private volatile String nameKey;
    /** What this connection's client signs to prove a key; the same for every name tried on it. */
    private final KeyChallenge challenge = KeyChallenge.random();
    /**
     * The key this user proved for its current name (registered, or published for the session),
     * or null. Written by the handler thread only; read by others' {@code /key}.
     */
    private volatile KeyToken key;
    /** The away message, or null when here. */
    private volatile String away;
    /** The operator account this user logged in with, or null. */
    private volatile String operator;
    /**
     * The rooms this session is in, in the order it joined them. Changed by the handler thread
     * only; copied on write, so that a cluster node can read it from another when its link comes back.
     */
    private final Set<Room> rooms = new CopyOnWriteArraySet<>();
    /** Counts this user's states told to a cluster, so that no node takes an older one for a newer. */
    private final AtomicLong clusterVersion = new AtomicLong();
    /** Where plain lines go; null when in no room. Handler thread only. */
    private Room currentRoom;
    /** Why someone else ended this session (dropped, server shutdown); null when the client ends it. */
    private volatile String endReason;
    /** Whether the server's password was given (or none is needed). Handler thread only. */
    private boolean authenticated;
    /** Set by {@code /quit}; the handler stops reading after the current line. */
    private volatile boolean quitting;
    private volatile Thread handler;
    /** Set once the leave is recorded, by whichever thread gets there first. */
    private final AtomicBoolean left = new AtomicBoolean();

    ClientSession(ChatServer server, Transport transport, ServerConfig config) throws IOException {
        this.server = server;
        this.transport = transport;
        this.remote = transport.remote();
        this.address = transport.address();
        OutputStream out = server.metrics().countSent(transport.output());
        this.outbox = new Outbox(out, config.sendQueueBytes(), new Outbox.Listener() {
            @Override
            public void finished() throws IOException {
                transport.shutdownOutput();
            }

            @Override
            public void failed(Exception e) {
                if (e instanceof IOException) {
                    log.debug("{} ({}): write failed: {}", displayName(), remote, e.getMessage());
                } else {
                    log.error("{} ({}): writing failed unexpectedly, closing the connection", displayName(), remote, e);
                }
                closeSocket();
            }
        });
        this.floodGate = config.floodControl() ? new FloodGate(config.floodBurst(), config.floodRate()) : null;
        this.floodBacklogBytes = config.floodBacklogBytes();
    }

    /** The registered name, or null before registration. */
    String name() {
        return name;
    }

    /** {@link NameRules#key(String)} of the registered name, or null before registration. */
    String nameKey() {
        return nameKey;
    }

    /** A number no other session of this server has had. */
    long serial() {
        return serial;
    }

    /** The client's address and port, e.g. {@code 127.0.0.1:41234}. */
    String remote() {
        return remote;
    }

    /** The client's IP address. */
    InetAddress address() {
        return address;
    }

    /** Starts the handler thread. */
    void start() {
        handler = Thread.ofVirtual().name("client-" + remote).start(this::run);
    }

    private void run() {
        if (!transport.open()) {
            closeSocket();
            server.ended(this);
            return;
        }
        String reason = "connection closed";
        try {
            server.signOn().greet(this);
            LineDecoder lines = new LineDecoder(server.metrics().countReceived(transport.input()),
                    server.config().maxLineBytes(), READ_BUFFER_BYTES, this::answerTelnet);
            while (!quitting && endReason == null) {
                String raw;
                try {
                    raw = lines.readLine();
                } catch (LineTooLongException e) {
                    sendError(ErrorCode.LINE_TOO_LONG, "line longer than " + e.limit() + " bytes, not sent");
                    continue;
                }
                if (raw == null || endReason != null) {
                    // A partial line cut off by a shutdown or a drop was never sent: it is not said.
                    break;
                }
                if (name == null && raw.startsWith(TLS_HANDSHAKE_START)) {
                    log.info("{}: a TLS client on the plain-text port; closing", remote);
                    break;
                }
                String line = Text.stripControls(raw).stripTrailing();
                if (line.isBlank()) {
                    continue;
                }
                if (!passFloodGate()) {
                    break;
                }
                server.commands().dispatch(this, line);
            }
            if (quitting) {
                reason = "quit";
            }
        } catch (IOException e) {
            reason = "connection lost";
            log.info("{} ({}): connection lost: {}", displayName(), remote, e.getMessage());
        } catch (RuntimeException e) {
            log.error("{} ({}): unexpected failure, closing the connection", displayName(), remote, e);
            reason = "server error";
        } finally {
            end(endReason != null ? endReason : reason);
        }
    }

    /**
     * Makes the handler wait while the client sends over its rate. Returns false, after telling
     * the client, when the client has piled up more unread input than it may.
     */
    private boolean passFloodGate() throws IOException {
        if (floodGate == null) {
            return true;
        }
        long wait = floodGate.take();
        if (wait == 0) {
            return true;
        }
        if (floodBacklogBytes > 0 && transport.input().available() > floodBacklogBytes) {
            endReason = "dropped: flooding";
            server.metrics().floodedClientDropped();
            log.info("{} ({}): dropping: more than {} bytes of input waiting", displayName(), remote,
                    floodBacklogBytes);
            sendError(ErrorCode.FLOODING, "you sent far more than the server takes; disconnected");
            return false;
        }
        server.metrics().floodDelayedLine();
        FloodGate.await(wait, () -> endReason != null);
        return endReason == null;
    }

    /**
     * Telnet sends IAC DO TIMING-MARK for some keys (and for bytes of some UTF-8 characters it
     * takes for keys), then hides all output until the answer comes; so it is answered.
     */
    private void answerTelnet(int option) {
        if (option == TELNET_TIMING_MARK) {
            offer(TELNET_WILL_TIMING_MARK);
        }
    }

    /**
     * Takes {@code newName}, already claimed in the registry: at registration, and on
     * {@code /nick}. The rooms this session is in file it under the new name. Handler thread only.
     */
    void takeName(String newName) {
        name = newName;
        nameKey = NameRules.key(newName);
        rooms.forEach(room -> room.renamed(this));
        Thread.currentThread().setName("client-" + newName);
    }

    /** The key challenge this connection's client signs. */
    KeyChallenge challenge() {
        return challenge;
    }

    /**
     * The fingerprint of the certificate this connection's client saw, which its signatures
     * cover: the server's on a TLS connection; on a plain one, that of the TLS-terminating proxy
     * in front of the server if it has one, else null.
     */
    String certificateFingerprint() {
        return transport.tls() ? server.tlsFingerprint() : server.config().proxyFingerprint();
    }

    /** The key this user proved for its current name, or null. */
    KeyToken key() {
        return key;
    }

    /** Notes the key this user proved for its current name, or null for none. Handler thread only. */
    void setKey(KeyToken proven) {
        key = proven;
    }

    /** Whether the server's password was given, or none is needed. Handler thread only. */
    boolean authenticated() {
        return authenticated;
    }

    /** Notes that the server's password was given, or that none is needed. Handler thread only. */
    void markAuthenticated() {
        authenticated = true;
    }

    /** The operator account this user logged in with ({@code /oper}), or null. */
    String operator() {
        return operator;
    }

    /** Makes this user an operator, logged in as {@code account}. Handler thread only. */
    void becomeOperator(String account) {
        operator = account;
    }

    /** The away message, or null when here. */
    String away() {
        return away;
    }

    /** Marks the user away with {@code message}, or back when null. */
    void setAway(String message) {
        away = message;
    }

    /** The rooms this session is in, in the order it joined them. Handler thread only. */
    List<Room> rooms() {
        return List.copyOf(rooms);
    }

    /** The names of the rooms this session is in, in the order it joined them. Any thread. */
    List<String> roomNames() {
        return rooms.stream().map(Room::name).toList();
    }

    /** The next version of this user's state in a cluster. Any thread. */
    long nextClusterVersion() {
        return clusterVersion.incrementAndGet();
    }

    /** Where plain lines go; null when in no room. Handler thread only. */
    Room currentRoom() {
        return currentRoom;
    }

    /** Makes {@code room}, which this session is in, the one plain lines go to. Handler thread only. */
    void switchTo(Room room) {
        currentRoom = room;
    }

    /** Notes that this session is now in {@code room}, which becomes its current room. Handler thread only. */
    void enteredRoom(Room room) {
        rooms.add(room);
        currentRoom = room;
    }

    /**
     * Notes that this session left {@code room}; if it was the current room, the room joined
     * last of those left becomes current. Handler thread only.
     */
    void leftRoom(Room room) {
        rooms.remove(room);
        if (currentRoom == room) {
            currentRoom = rooms.isEmpty() ? null : rooms.toArray(Room[]::new)[rooms.size() - 1];
        }
    }

    /** Whether this session is in {@code room}. Handler thread only. */
    boolean isIn(Room room) {
        return rooms.contains(room);
    }

    /**
     * Queues {@code line} for this client, dropping the client when it cannot keep up. Any thread.
     *
     * @return whether the line was queued (false once the session is ending)
     */
    boolean deliver(ServerLine line) {
        return deliver(line.toWire());
    }

    /**
     * Queues an encoded line, as {@link #deliver(ServerLine)} does, for a line sent to many
     * and encoded once.
     */
    boolean deliver(byte[] wire) {
        Outbox.Offer offer = offer(wire);
        if (offer == Outbox.Offer.OVERFLOW) {
            drop("could not keep up, send queue full");
        }
        if (offer == Outbox.Offer.QUEUED) {
            server.metrics().delivered(1);
        }
        return offer == Outbox.Offer.QUEUED;
    }

    /** Claims the recording of this session's leave; true for the first caller only. Any thread. */
    boolean markLeft() {
        return left.compareAndSet(false, true);
    }

    /** Queues an encoded line without blocking; the caller handles an overflow. Any thread. */
    Outbox.Offer offer(byte[] wire) {
        return outbox.offer(wire);
    }

    /** This client's outbox, for a room that queues one line for many under its lock. */
    Outbox outbox() {
        return outbox;
    }

    /** Answers this client with an error line. */
    void sendError(ErrorCode code, String text) {
        deliver(new ServerLine.Error(server.now(), code, text));
    }

    /**
     * Ends the session, for {@code reason}, once the current line is carried out; what is
     * queued by then is still sent before the connection closes. Handler thread only.
     */
    void endAfterThisLine(String reason) {
        endReason = reason;
    }

    /** Ends the session after the current line, as {@code /quit} asks. Handler thread only. */
    void quit() {
        quitting = true;
    }

    /**
     * Disconnects the client at once, for {@code reason}: its send queue is full, so it counts
     * as a slow client dropped. Any thread; never blocks on the client.
     */
    void drop(String reason) {
        if (endReason == null) {
            endReason = "dropped: " + reason;
            server.metrics().slowClientDropped();
            log.info("{} ({}): dropping: {}", displayName(), remote, reason);
        }
        closeSocket();
        wakeHandler();
    }

    /** Whether the connection has had no name for longer than {@code timeout}. Any thread. */
    boolean isUnregisteredLongerThan(Duration timeout) {
        return name == null && System.nanoTime() - connectedAt > timeout.toNanos();
    }

    /**
     * Sends {@code notice} as the last line and stops reading; the session ends, for
     * {@code reason}, once the notice is written. Any thread; never blocks on the client.
     */
    void closeWith(ServerLine notice, String reason) {
        endReason = reason;
        deliver(notice);
        outbox.finish();
        try {
            transport.shutdownInput();
        } catch (IOException e) {
            closeSocket();
        }
        wakeHandler();
    }

    /** Ends a flood-control wait early, so the handler sees the session is ending. */
    private void wakeHandler() {
        Thread thread = handler;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** Waits up to {@code timeout} for the handler thread to end; returns whether it has. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        Thread thread = handler;
        return thread == null || thread.join(timeout);
    }

    /** Closes the connection; a blocked read or write fails and the session ends. Any thread. */
    void closeSocket() {
        try {
            transport.close();
        } catch (IOException e) {
            log.debug("{}: close failed: {}", remote, e.getMessage());
        }
    }

    private void end(String reason) {
        if (name != null) {
            server.signOn().leave(this, reason);
        }
        outbox.finish();
        try {
            if (!outbox.awaitFinished(WRITER_GRACE)) {
                log.info("{} ({}): still not reading after {} s, closing", displayName(), remote,
                        WRITER_GRACE.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeSocket();
        server.ended(this);
    }

    private String displayName() {
        String current = name;
        return current != null ? current : "(no name)";
    }
}
