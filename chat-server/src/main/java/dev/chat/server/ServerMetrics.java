package dev.chat.server;

import dev.chat.protocol.ErrorCode;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's counts of what happened since it started, kept whether or not metrics are
 * served. Each event costs one {@link LongAdder} step on the thread it happens on: no lock,
 * no allocation, and for a line sent to a room one step for all its recipients.
 * {@link MetricsEndpoint} reads them when scraped.
 */
final class ServerMetrics {

    /** The refusals of a connection at the door, as {@link ChatServer} answers them. */
    static final List<ErrorCode> REFUSALS = List.of(ErrorCode.SERVER_FULL,
            ErrorCode.TOO_MANY_CONNECTIONS, ErrorCode.BANNED);

    private final LongAdder connectionsAccepted = new LongAdder();
    /** Filled once, for every refusal; read-only after. */
    private final Map<ErrorCode, LongAdder> connectionsRefused = new EnumMap<>(ErrorCode.class);
    private final LongAdder roomMessages = new LongAdder();
    private final LongAdder privateMessages = new LongAdder();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder bytesReceived = new LongAdder();
    private final LongAdder bytesSent = new LongAdder();
    private final LongAdder slowClientsDropped = new LongAdder();
    private final LongAdder floodedClientsDropped = new LongAdder();
    private final LongAdder floodDelayedLines = new LongAdder();

    ServerMetrics() {
        REFUSALS.forEach(code -> connectionsRefused.put(code, new LongAdder()));
    }

    /** A connection came in and got a session. */
    void connectionAccepted() {
        connectionsAccepted.increment();
    }

    /** A connection was turned away at the door with {@code why}, one of {@link #REFUSALS}. */
    void connectionRefused(ErrorCode why) {
        LongAdder refusals = connectionsRefused.get(why);
        if (refusals != null) {
            refusals.increment();
        }
    }

    /** Someone said a line (or a {@code /me}) in a room. */
    void roomMessage() {
        roomMessages.increment();
    }

    /** A private message was queued for its recipient. */
    void privateMessage() {
        privateMessages.increment();
    }

    /** {@code lines} lines were queued for clients, one for each recipient. */
    void delivered(int lines) {
        if (lines > 0) {
            deliveries.add(lines);
        }
    }

    /** A client was dropped because its send queue was full. */
    void slowClientDropped() {
        slowClientsDropped.increment();
    }

    /** A client was dropped for piling up more input than flood control lets it. */
    void floodedClientDropped() {
        floodedClientsDropped.increment();
    }

    /** A client's line had to wait for flood control. */
    void floodDelayedLine() {
        floodDelayedLines.increment();
    }

    /** {@code in}, counting what is read from it as bytes received. */
    InputStream countReceived(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bytesReceived.increment();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = in.read(buffer, offset, length);
                if (n > 0) {
                    bytesReceived.add(n);
                }
                return n;
            }
        };
    }

    /** {@code out}, counting what is written to it as bytes sent. */
    OutputStream countSent(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                bytesSent.increment();
            }

            // FilterOutputStream would write an array a byte at a time.
            @Override
            public void write(byte[] buffer, int offset, int length) throws IOException {
                out.write(buffer, offset, length);
                bytesSent.add(length);
            }
        };
    }

    long connectionsAccepted() {
        return connectionsAccepted.sum();
    }

    long connectionsRefused(ErrorCode why) {
        return connectionsRefused.get(why).sum();
    }

    long roomMessages() {
        return roomMessages.sum();
    }

    long privateMessages() {
        return privateMessages.sum();
    }

    long deliveries() {
        return deliveries.sum();
    }

    long bytesReceived() {
        return bytesReceived.sum();
    }

    long bytesSent() {
        return bytesSent.sum();
    }

    long slowClientsDropped() {
        return slowClientsDropped.sum();
    }

    long floodedClientsDropped() {
        return floodedClientsDropped.sum();
    }

    long floodDelayedLines() {
        return floodDelayedLines.sum();
    }
}
