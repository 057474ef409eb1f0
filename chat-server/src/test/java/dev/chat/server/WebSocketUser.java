package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * A chat user on a WebSocket, through Jetty's WebSocket client: sends lines as text frames
 * (or any frame, for bad input) and reads the server's frames as lines. Every read waits at
 * most {@link #TIMEOUT}. Used by one test thread.
 */
final class WebSocketUser implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Put on the queue of lines when the connection closed. */
    private static final String CLOSED = new String("(closed)");

    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final List<String> seen = new ArrayList<>();
    private volatile CoreSession session;

    private WebSocketUser() {
    }

    /**
     * Opens the WebSocket at {@code uri} as a page from {@code origin} would (null: no Origin
     * header, as a program that is no browser).
     *
     * @throws Exception when the server refuses the upgrade (an {@code UpgradeException}) or the connection fails
     */
    static WebSocketUser connect(WebSocketCoreClient client, URI uri, String origin) throws Exception {
        return connect(client, uri, origin, headers -> { });
    }

    /** Opens the WebSocket as {@link #connect(WebSocketCoreClient, URI, String)} does, with {@code more} headers. */
    static WebSocketUser connect(WebSocketCoreClient client, URI uri, String origin,
            Consumer<HttpFields.Mutable> more) throws Exception {
        WebSocketUser user = new WebSocketUser();
        CoreClientUpgradeRequest request = CoreClientUpgradeRequest.from(client, uri, user.handler());
        // Quiet like a person: the client never closes for silence, so any close is the server's.
        Configuration.ConfigurationCustomizer patient = new Configuration.ConfigurationCustomizer();
        patient.setIdleTimeout(Duration.ZERO);
        request.setConfiguration(patient);
        request.headers(headers -> {
            if (origin != null) {
                headers.put(HttpHeader.ORIGIN, origin);
            }
            more.accept(headers);
        });
        user.session = client.connect(request).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return user;
    }

    private FrameHandler handler() {
        return new FrameHandler() {
            @Override
            public void onOpen(CoreSession coreSession, Callback callback) {
                // Frames may come before connect() returns: the session is known from here on.
                session = coreSession;
                callback.succeeded();
                coreSession.demand();
            }

            @Override
            public void onFrame(Frame frame, Callback callback) {
                if (frame.getOpCode() == OpCode.TEXT) {
                    lines.add(frame.getPayloadAsUTF8());
                }
                callback.succeeded();
                if (frame.getOpCode() != OpCode.CLOSE) {
                    session.demand();
                }
            }

            @Override
            public void onError(Throwable cause, Callback callback) {
                callback.succeeded();
            }

            @Override
            public void onClosed(CloseStatus closeStatus, Callback callback) {
                closed.complete(closeStatus);
                lines.add(CLOSED);
                callback.succeeded();
            }
        };
    }

    /** Sends {@code line} as one text frame. */
    void send(String line) throws Exception {
        sendFrame(OpCode.TEXT, line.getBytes(Protocol.CHARSET));
    }

    /** Sends one frame as it is: a binary frame, a text frame of invalid UTF-8. */
    void sendFrame(byte opCode, byte[] payload) throws Exception {
        Callback.Completable sent = new Callback.Completable();
        session.sendFrame(new Frame(opCode, ByteBuffer.wrap(payload)), sent, false);
        sent.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next line, or null once the connection closed; fails the test when none comes in time. */
    String readLine() throws InterruptedException {
        String line = lines.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(line).as("a line from the server within %s", TIMEOUT).isNotNull();
        if (line == CLOSED) {
            lines.add(CLOSED);
            return null;
        }
        seen.add(line);
        return line;
    }

    /** The next line, parsed; fails the test when the connection closed. */
    ServerLine next() throws InterruptedException {
        String line = readLine();
        assertThat(line).as("a line from the server (connection closed; seen %s)", seen).isNotNull();
        return ServerLine.parse(line);
    }

    /** Reads until a line that {@code wanted} accepts. */
    ServerLine await(Predicate<ServerLine> wanted) throws InterruptedException {
        while (true) {
            ServerLine line = next();
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    <T extends ServerLine> T await(Class<T> type) throws InterruptedException {
        return type.cast(await(type::isInstance));
    }

    /** Reads until a line whose body (without its stamp) is {@code body}. */
    ServerLine awaitBody(String body) throws InterruptedException {
        return await(line -> line.body().equals(body));
    }

    /** Sends {@code name} and reads through the welcome up to the hint about /help; fails if refused. */
    WebSocketUser register(String name) throws Exception {
        send(name);
        ServerLine answer = await(line -> line instanceof ServerLine.Welcome || line instanceof ServerLine.Error);
        assertThat(answer).as("the answer to the name %s", name).isInstanceOf(ServerLine.Welcome.class);
        await(ServerLine.Info.class);
        return this;
    }

    /** Reads the lines left until the server closes; returns them. */
    List<String> readToEnd() throws InterruptedException {
        List<String> rest = new ArrayList<>();
        for (String line; (line = readLine()) != null; ) {
            rest.add(line);
        }
        return rest;
    }

    /** Whether the connection is still open (the server may have closed it). */
    boolean isOpen() {
        return !closed.isDone();
    }

    /** How the connection was closed, waiting for it. */
    CloseStatus awaitClose() throws Exception {
        return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        CoreSession current = session;
        if (current != null && !current.isClosed()) {
            current.close(CloseStatus.NORMAL, null, Callback.NOOP);
        }
    }
}
