package dev.chat.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * A session's outgoing lines as WebSocket text frames: on {@link #flush()}, every line
 * written since (up to its LF) goes out as one frame without the LF, and the flush blocks
 * until they are sent, as a socket's write blocks while the client does not read. Bytes
 * after the last LF are no line (a telnet answer, which a WebSocket client never needs)
 * and are dropped. Used by the outbox's writer only.
 */
final class FrameOutput extends OutputStream {

    private static final byte LF = '\n';

    private final CoreSession session;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    FrameOutput(CoreSession session) {
        this.session = session;
    }

    @Override
    public void write(int b) {
        pending.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        pending.write(bytes, offset, length);
    }

    /**
     * Sends the lines written so far, one text frame each, and blocks until they are sent.
     *
     * @throws IOException when the connection failed or was closed
     */
    @Override
    public void flush() throws IOException {
        byte[] bytes = pending.toByteArray();
        pending.reset();
        int lines = 0;
        for (byte b : bytes) {
            if (b == LF) {
                lines++;
            }
        }
        List<CompletableFuture<Void>> sent = new ArrayList<>(lines);
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != LF) {
                continue;
            }
            Callback.Completable done = new Callback.Completable();
            // Batched but the last: the frames of one flush leave in as few writes as Jetty can.
            session.sendFrame(new Frame(OpCode.TEXT, ByteBuffer.wrap(bytes, start, i - start).slice()), done,
                    sent.size() < lines - 1);
            sent.add(done);
            start = i + 1;
        }
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending to the client");
        } catch (ExecutionException e) {
            throw new IOException("sending failed: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
