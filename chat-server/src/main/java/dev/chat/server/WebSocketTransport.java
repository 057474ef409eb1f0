package dev.chat.server;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A session carried by a WebSocket: each text message the client sends is one line (its
 * bytes and an LF), each line the session sends is one text frame without its LF. Built on
 * Jetty's WebSocket core, which hands over the frames' bytes as they came, so the session's
 * {@code LineDecoder} treats them exactly as a TCP client's bytes: the same line limit, the
 * same replacement of invalid UTF-8, the same flood control. A binary message is no line: the
 * client is told so and disconnected.
 *
 * <p>Jetty calls the {@link FrameHandler} methods on its thread for the connection, one at a
 * time; the {@link Transport} methods are the session's.
 */
final class WebSocketTransport implements FrameHandler, Transport {

    private static final Logger log = LogManager.getLogger(WebSocketTransport.class);

    /** How long a closing client has to answer the server's close frame before its connection is cut. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    /** Input waiting for the handler, past which no frame is read, when flood control sets no backlog. */
    private static final int DEFAULT_INPUT_BYTES = 64 * 1024;

    private final ChatServer server;
    private final InetAddress address;
    private final String remote;
    private final int inputCapacity;
    private volatile CoreSession connection;
    private volatile FrameInput input;
    private volatile FrameOutput output;
    /** The chat session this connection carries; null when it was refused. */
    private volatile ClientSession session;
    /** Whether the message being received is binary (its continuation frames too). Jetty's thread only. */
    private boolean binaryMessage;
    /** Set once a close was begun, gracefully or not. */
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Completed when the connection is closed. */
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /**
     * @param address the client's address (behind a trusted proxy, the one it forwarded)
     * @param remote  how the logs name the client
     */
    WebSocketTransport(ChatServer server, InetAddress address, String remote, ServerConfig config) {
        this.server = server;
        this.address = address;
        this.remote = remote;
        this.inputCapacity = config.floodBacklogBytes() > 0 ? config.floodBacklogBytes() + 1 : DEFAULT_INPUT_BYTES;
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        connection = coreSession;
        input = new FrameInput(inputCapacity, coreSession::demand);
        output = new FrameOutput(coreSession);
        callback.succeeded();
        session = server.admit(this);
        // Refused too: its close frame's answer is read, and nothing else waits for its frames.
        coreSession.demand();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte opCode = frame.getOpCode();
        boolean data = opCode == OpCode.TEXT || opCode == OpCode.BINARY || opCode == OpCode.CONTINUATION;
        if (!data) {
            // Ping, pong, close: Jetty answers them once the callback is done.
            callback.succeeded();
            if (opCode != OpCode.CLOSE) {
                connection.demand();
            }
            return;
        }
        if (opCode != OpCode.CONTINUATION) {
            binaryMessage = opCode == OpCode.BINARY;
        }
        if (binaryMessage) {
            callback.succeeded();
            if (frame.isFin()) {
                refuseBinary();
            }
            connection.demand();
            return;
        }
        ByteBuffer payload = frame.getPayload();
        int length = payload == null ? 0 : payload.remaining();
        byte[] bytes = new byte[length + (frame.isFin() ? 1 : 0)];
        if (length > 0) {
            payload.get(bytes, 0, length);
        }
        if (frame.isFin()) {
            bytes[length] = '\n';
        }
        callback.succeeded();
        if (input.offer(bytes)) {
            connection.demand();
        }
    }

    private void refuseBinary() {
        ClientSession current = session;
        if (current != null) {
            log.info("{}: a binary WebSocket message; closing", remote);
            current.closeWith(new ServerLine.Error(server.now(), ErrorCode.BINARY_FRAME,
                    "this server takes text frames only, one line each; disconnected"), "dropped: binary frame");
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        log.debug("{}: WebSocket error: {}", remote, cause.toString());
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus closeStatus, Callback callback) {
        FrameInput current = input;
        if (current != null) {
            current.end();
        }
        closed.complete(null);
        callback.succeeded();
    }

    @Override
    public boolean open() {
        return true;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public InetAddress address() {
        return address;
    }

    @Override
    public String remote() {
        return remote;
    }

    /** Over HTTPS, the WebSocket is WSS with the server's certificate. */
    @Override
    public boolean tls() {
        return server.webTls();
    }

    @Override
    public void shutdownInput() {
        input.shutdown();
    }

    /** Sends the close frame after the last line; the client answers with its own. */
    @Override
    public void shutdownOutput() {
        if (closing.compareAndSet(false, true)) {
            connection.close(CloseStatus.NORMAL, null, Callback.NOOP);
        }
    }

    /**
     * Cuts the connection at once; or, when the close frame is on its way already, once the
     * client answered it or after {@link #CLOSE_GRACE}.
     */
    @Override
    public void close() {
        input.shutdown();
        if (closing.compareAndSet(false, true)) {
            connection.abort();
            return;
        }
        closed.orTimeout(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS).whenComplete((done, timedOut) -> {
            if (timedOut != null) {
                connection.abort();
            }
        });
    }
}
