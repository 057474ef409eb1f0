package dev.chat.client.direct;

import dev.chat.client.ClientEvent;
import dev.chat.client.identity.DirectProof;
import dev.chat.client.identity.Identity;
import dev.chat.client.identity.PublicIdentity;
import dev.chat.protocol.LineDecoder;
import dev.chat.protocol.LineTooLongException;
import dev.chat.protocol.NameRules;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;

/**
 * One direct connection with another user's client, both keys proved: private lines and files
 * both ways, as {@link LinkLine}s over TLS. Its {@code direct-NAME} thread reads and saves what
 * comes; each file sent has a {@code direct-send-NAME} thread; lines are written under one lock.
 * What happens is told as {@link ClientEvent.DirectEvent}s from those threads.
 */
final class DirectLink {

    private static final Logger LOG = Logger.getLogger(DirectLink.class.getName());

    /** A file the user offered: waiting for the answer, then being sent, then waiting for the receipt. */
    private record Outgoing(long id, Path file, String fileName, long size, AtomicBoolean cancelled) {
    }

    /** A file offered to the user; {@code channel} and {@code part} once accepted. */
    private static final class Incoming {
        final long id;
        final String fileName;
        final long size;
        Path target;
        Path part;
        FileChannel channel;
        MessageDigest digest;
        long received;
        int percentTold = -1;

        Incoming(long id, String fileName, long size) {
            this.id = id;
            this.fileName = fileName;
            this.size = size;
        }
    }

    private final SSLSocket socket;
    private final String peer;
    private final String address;
    private final long maxFileBytes;
    private final Consumer<ClientEvent> tell;
    private final OutputStream out;
    /** Held while one line is written, so that lines of chat and of files never interleave. */
    private final Object writeLock = new Object();
    private final Thread reader;
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The files the user offered, by id, until refused, received or given up. */
    private final Map<Long, Outgoing> outgoing = new ConcurrentHashMap<>();
    /** The files offered to the user, by id; touched on the reader thread, and by {@link #accept} before its line goes. */
    private final Map<Long, Incoming> incoming = new ConcurrentHashMap<>();

    private DirectLink(SSLSocket socket, String peer, long maxFileBytes, LineDecoder lines, Consumer<ClientEvent> tell)
            throws IOException {
        this.socket = socket;
        this.peer = peer;
        this.address = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        this.maxFileBytes = maxFileBytes;
        this.tell = tell;
        this.out = socket.getOutputStream();
        this.reader = Thread.ofPlatform().daemon().name("direct-" + peer).unstarted(() -> readLoop(lines));
    }

    /**
     * Proves the user's key to the other side and checks its proof against {@code expected}, the
     * key pinned for {@code peer}; then starts reading. Blocks at most {@code timeout} for the other
     * side's lines. Closes the socket when it fails. The link reads once {@link #start()}ed.
     *
     * @param role the user's side: {@link DirectProof.Role#OFFERER} connected, the accepter listened
     * @throws DirectRefusedException when the other side is not {@code peer} holding {@code expected}
     * @throws IOException            when the connection fails first
     */
    static DirectLink establish(SSLSocket socket, DirectProof.Role role, Identity identity, String me, String peer,
            PublicIdentity expected, Duration timeout, long maxFileBytes, Consumer<ClientEvent> tell) throws IOException {
        try {
            byte[] exported = DirectTls.exported(socket);
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            OutputStream out = socket.getOutputStream();
            write(out, new LinkLine.Hello(me, DirectProof.sign(identity, role, me, peer, exported)));
            LineDecoder lines = new LineDecoder(socket.getInputStream(), LinkLine.MAX_LINE_BYTES, 16 * 1024);
            DirectProof.Role theirs = role == DirectProof.Role.OFFERER ? DirectProof.Role.ACCEPTER : DirectProof.Role.OFFERER;
            if (!(LinkLine.parse(readLine(lines, "the other side closed the connection before proving its key"))
                    instanceof LinkLine.Hello hello)) {
                throw new DirectRefusedException("the other side did not say who it is");
            }
            if (!NameRules.key(hello.name()).equals(NameRules.key(peer))) {
                throw new DirectRefusedException("the other side says it is " + hello.name() + ", not " + peer);
            }
            if (!DirectProof.verify(expected, theirs, hello.name(), me, exported, hello.signature())) {
                throw new DirectRefusedException("the other side did not prove the key you hold for " + peer + " ("
                        + expected.fingerprint() + "): someone else may sit in between; nothing was sent");
            }
            write(out, new LinkLine.Proved());
            if (!(LinkLine.parse(readLine(lines, peer + "'s client did not accept your proof: it may hold another key "
                    + "for you than yours")) instanceof LinkLine.Proved)) {
                throw new DirectRefusedException(peer + "'s client did not accept your proof of your key");
            }
            socket.setSoTimeout(0);
            return new DirectLink(socket, peer, maxFileBytes, lines, tell);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** The next line; at the end of the stream, a refusal saying {@code whenClosed}. */
    private static String readLine(LineDecoder lines, String whenClosed) throws IOException {
        String line;
        try {
            line = lines.readLine();
        } catch (LineTooLongException e) {
            throw new DirectRefusedException("the other side sent a line far too long to be a proof of its key");
        }
        if (line == null) {
            throw new DirectRefusedException(whenClosed);
        }
        return line;
    }

    private static void write(OutputStream out, LinkLine line) throws IOException {
        out.write((line.format() + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Starts the reader thread. */
    void start() {
        reader.start();
    }

    /** Whether the link was closed or its reader ended. */
    boolean isClosed() {
        return closed.get() || socket.isClosed();
    }

    /** The other user's name. */
    String peer() {
        return peer;
    }

    /** The other side's address and port. */
    String address() {
        return address;
    }

    // ---- What the user does; any thread ----

    /**
     * Says {@code text} to the other side. Blocks while the socket takes it.
     *
     * @throws IOException when {@code text} holds a line break, or the connection is gone
     */
    void say(String text) throws IOException {
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IOException("a line cannot hold a line break");
        }
        send(new LinkLine.Say(text));
        tell.accept(new ClientEvent.DirectMessage(peer, text, true));
    }

    /**
     * Offers {@code file}; it is sent once the other side accepts. Returns the file's id.
     *
     * @throws IOException when the file cannot be read, is too large, or the connection is gone
     */
    long offer(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException(file + " is not a file that can be read");
        }
        long size = Files.size(file);
        if (size > maxFileBytes) {
            throw new IOException(file.getFileName() + " has " + size + " bytes; at most " + maxFileBytes
                    + " go over a direct connection");
        }
        long id = nextId.getAndIncrement();
        String fileName = SaveName.clean(file.getFileName().toString());
        outgoing.put(id, new Outgoing(id, file, fileName, size, new AtomicBoolean()));
        try {
            send(new LinkLine.FileOffer(id, size, fileName));
        } catch (IOException e) {
            outgoing.remove(id);
            throw e;
        }
        return id;
    }

    /**
     * Takes file {@code id}, to be saved as {@code target} or, if that is taken when it has come,
     * as {@code name (1).ext} and so on beside it; never over a file there.
     *
     * @throws IOException when no file {@code id} waits, the directory cannot be written, or the connection is gone
     */
    void accept(long id, Path target) throws IOException {
        Incoming file = incoming.get(id);
        if (file == null || file.channel != null) {
            throw new IOException("no file " + id + " from " + peer + " waits for an answer");
        }
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        file.part = Files.createTempFile(directory, ".chat-", ".part");
        file.target = target.toAbsolutePath();
        file.channel = FileChannel.open(file.part, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        file.digest = sha256();
        send(new LinkLine.Accept(id));
    }

    /** Refuses file {@code id}. */
    void refuse(long id) throws IOException {
        Incoming file = incoming.remove(id);
        if (file == null) {
            throw new IOException("no file " + id + " from " + peer + " waits for an answer");
        }
        send(new LinkLine.Refuse(id, "not wanted"));
        tell.accept(new ClientEvent.FileFailed(peer, id, file.fileName, "you refused it", false));
    }

    /** Closes the connection; the reader thread tells the end. */
    void close() {
        closed.set(true);
        closeQuietly(socket);
    }

    /** Waits at most {@code timeout} for the reader thread to end. */
    boolean awaitClosed(Duration timeout) throws InterruptedException {
        return reader.join(timeout);
    }

    private void send(LinkLine line) throws IOException {
        synchronized (writeLock) {
            write(out, line);
        }
    }

    // ---- The reader thread ----

    private void readLoop(LineDecoder lines) {
        String reason = peer + " closed the direct connection";
        try {
            String line;
            while ((line = readSkippingOverlong(lines)) != null) {
                take(LinkLine.parse(line));
            }
        } catch (IOException e) {
            reason = closed.get() ? "closed" : "the direct connection with " + peer + " was lost";
            LOG.log(Level.FINE, "direct connection ended", e);
        } finally {
            closeQuietly(socket);
            if (closed.get()) {
                reason = "closed";
            }
            endTransfers();
            tell.accept(new ClientEvent.DirectClosed(peer, reason));
        }
    }

    private static String readSkippingOverlong(LineDecoder lines) throws IOException {
        while (true) {
            try {
                return lines.readLine();
            } catch (LineTooLongException e) {
                // Longer than any line of the protocol: dropped, the connection goes on.
            }
        }
    }

    private void take(LinkLine line) throws IOException {
        switch (line) {
            case LinkLine.Say say -> tell.accept(new ClientEvent.DirectMessage(peer, say.text(), false));
            case LinkLine.FileOffer offer -> offered(offer);
            case LinkLine.Accept accept -> {
                Outgoing file = outgoing.get(accept.id());
                if (file != null) {
                    Thread.ofPlatform().daemon().name("direct-send-" + peer).start(() -> transmit(file));
                }
            }
            case LinkLine.Refuse refuse -> {
                Outgoing file = outgoing.remove(refuse.id());
                if (file != null) {
                    tell.accept(new ClientEvent.FileFailed(peer, file.id(), file.fileName(), peer + " refused it"
                            + (refuse.reason().isEmpty() ? "" : ": " + refuse.reason()), true));
                }
            }
            case LinkLine.Received received -> {
                Outgoing file = outgoing.remove(received.id());
                if (file != null) {
                    tell.accept(new ClientEvent.FileDone(peer, file.id(), file.fileName(), null, true));
                }
            }
            case LinkLine.Data data -> received(data);
            case LinkLine.End end -> ended(end);
            case LinkLine.Cancel cancel -> cancelled(cancel);
            case LinkLine.Hello _, LinkLine.Proved _, LinkLine.Unknown _ -> {
                // Nothing more to prove; unknown lines are a newer client's.
            }
        }
    }

    private void offered(LinkLine.FileOffer offer) throws IOException {
        String fileName = SaveName.clean(offer.fileName());
        if (incoming.containsKey(offer.id())) {
            return;
        }
        if (offer.size() > maxFileBytes) {
            send(new LinkLine.Refuse(offer.id(), "larger than the receiver's limit of " + maxFileBytes + " bytes"));
            tell.accept(new ClientEvent.FileFailed(peer, offer.id(), fileName, "it has " + offer.size()
                    + " bytes, more than your limit of " + maxFileBytes + "; refused", false));
            return;
        }
        incoming.put(offer.id(), new Incoming(offer.id(), fileName, offer.size()));
        tell.accept(new ClientEvent.FileOffered(peer, offer.id(), fileName, offer.size()));
    }

    private void received(LinkLine.Data data) throws IOException {
        Incoming file = incoming.get(data.id());
        if (file == null || file.channel == null) {
            return;
        }
        if (file.received + data.bytes().length > file.size) {
            failIncoming(file, "more bytes came than were offered", true);
            return;
        }
        try {
            ByteBuffer bytes = ByteBuffer.wrap(data.bytes());
            while (bytes.hasRemaining()) {
                file.channel.write(bytes);
            }
        } catch (IOException e) {
            failIncoming(file, "it could not be written: " + e.getMessage(), true);
            return;
        }
        file.digest.update(data.bytes());
        file.received += data.bytes().length;
        int percent = percent(file.received, file.size);
        if (percent != file.percentTold) {
            file.percentTold = percent;
            tell.accept(new ClientEvent.FileProgress(peer, file.id, file.fileName, file.received, file.size, false));
        }
    }

    private void ended(LinkLine.End end) throws IOException {
        Incoming file = incoming.get(end.id());
        if (file == null || file.channel == null) {
            return;
        }
        if (file.received != file.size || !MessageDigest.isEqual(file.digest.digest(), end.sha256())) {
            failIncoming(file, "it did not arrive whole (its SHA-256 does not match)", true);
            return;
        }
        Path saved;
        try {
            file.channel.close();
            saved = moveToFreeName(file.part, file.target);
        } catch (IOException e) {
            failIncoming(file, "it could not be saved: " + e.getMessage(), true);
            return;
        }
        incoming.remove(file.id);
        send(new LinkLine.Received(file.id));
        tell.accept(new ClientEvent.FileDone(peer, file.id, file.fileName, saved, false));
    }

    private void cancelled(LinkLine.Cancel cancel) {
        String why = peer + " gave it up" + (cancel.reason().isEmpty() ? "" : ": " + cancel.reason());
        Outgoing mine = outgoing.remove(cancel.id());
        if (mine != null) {
            mine.cancelled().set(true);
            tell.accept(new ClientEvent.FileFailed(peer, mine.id(), mine.fileName(), why, true));
        }
        Incoming theirs = incoming.get(cancel.id());
        if (theirs != null) {
            try {
                failIncoming(theirs, why, false);
            } catch (IOException e) {
                // Only the other side's line failed, and it gave up already.
            }
        }
    }

    /** Gives up an incoming file: its part deleted, the user told, and the sender told when {@code tellSender}. */
    private void failIncoming(Incoming file, String reason, boolean tellSender) throws IOException {
        incoming.remove(file.id);
        discard(file);
        tell.accept(new ClientEvent.FileFailed(peer, file.id, file.fileName, reason, false));
        if (tellSender) {
            send(new LinkLine.Cancel(file.id, reason));
        }
    }

    /** The connection ended: every file under way is given up. */
    private void endTransfers() {
        for (Outgoing file : List.copyOf(outgoing.values())) {
            file.cancelled().set(true);
            tell.accept(new ClientEvent.FileFailed(peer, file.id(), file.fileName(), "the direct connection ended", true));
        }
        outgoing.clear();
        for (Incoming file : List.copyOf(incoming.values())) {
            discard(file);
            tell.accept(new ClientEvent.FileFailed(peer, file.id, file.fileName, "the direct connection ended", false));
        }
        incoming.clear();
    }

    private static void discard(Incoming file) {
        try {
            if (file.channel != null) {
                file.channel.close();
            }
            if (file.part != null) {
                Files.deleteIfExists(file.part);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot delete a partly received file", e);
        }
    }

    /** Moves {@code part} to {@code target}, or to the first free numbered name beside it; never replaces a file. */
    static Path moveToFreeName(Path part, Path target) throws IOException {
        for (int n = 0; n < 10_000; n++) {
            Path candidate = SaveName.numbered(target, n);
            try {
                return Files.move(part, candidate);
            } catch (FileAlreadyExistsException e) {
                // Taken: the next number.
            }
        }
        throw new IOException("no free name for " + target.getFileName() + " in " + target.getParent());
    }

    // ---- A sending thread ----

    /** Sends the file's bytes, then its SHA-256; on its own thread, so that the reader goes on reading. */
    private void transmit(Outgoing file) {
        MessageDigest digest = sha256();
        long sent = 0;
        int percentTold = -1;
        try (InputStream in = Files.newInputStream(file.file())) {
            byte[] buffer = new byte[LinkLine.CHUNK_BYTES];
            int read;
            while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                if (file.cancelled().get()) {
                    return;
                }
                if (sent + read > file.size()) {
                    throw new IOException("it grew while it was sent");
                }
                byte[] chunk = java.util.Arrays.copyOf(buffer, read);
                send(new LinkLine.Data(file.id(), chunk));
                digest.update(chunk);
                sent += read;
                int percent = percent(sent, file.size());
                if (percent != percentTold) {
                    percentTold = percent;
                    tell.accept(new ClientEvent.FileProgress(peer, file.id(), file.fileName(), sent, file.size(), true));
                }
            }
            if (sent != file.size()) {
                throw new IOException("it shrank while it was sent");
            }
            send(new LinkLine.End(file.id(), digest.digest()));
        } catch (IOException e) {
            if (outgoing.remove(file.id()) != null && !closed.get() && socket.isConnected() && !socket.isClosed()) {
                tell.accept(new ClientEvent.FileFailed(peer, file.id(), file.fileName(), "it could not be sent: "
                        + e.getMessage(), true));
                try {
                    send(new LinkLine.Cancel(file.id(), "the sender could not read it"));
                } catch (IOException lost) {
                    // The connection's end tells the rest.
                }
            }
        }
    }

    private static int percent(long done, long size) {
        return size == 0 ? 100 : (int) (done * 100 / size);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void closeQuietly(SSLSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing more to release.
        }
    }
}
