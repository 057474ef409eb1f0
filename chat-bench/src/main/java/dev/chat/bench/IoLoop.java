package dev.chat.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One platform thread with a selector that reads for many clients: finishes their handshakes,
 * answers PINGs, and times every benchmark message it finds. A few of these serve thousands of
 * clients with little CPU, which matters as the generator shares the cores with the server.
 */
final class IoLoop implements AutoCloseable {

    /**
     * Starts a benchmark message of this run: "@@", the run's name prefix, then phase, sequence,
     * " ", send time in nanoseconds. The prefix keeps a server's backlog of an earlier run out.
     */
    static final byte[] MARK = ("@@" + ClientPool.runPrefix()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    /** Phase letter of messages sent while warming up; they are counted but not timed. */
    static final char WARM_UP = 'w';
    /** Phase letter of measured messages. */
    static final char MEASURED = 'm';

    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final long SELECT_TIMEOUT_MILLIS = 100;

    private final Dialect dialect;
    private final Selector selector;
    private final Thread thread;
    private final Queue<BenchClient> added = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final LatencyHistogram latencies = new LatencyHistogram();
    private volatile boolean running = true;
    /** Whether ready clients' lines are read at all; idle only drains them. */
    private final boolean parsing;

    // Written by this loop's thread only; read by others for progress.
    private volatile long measuredReceived;
    private volatile long warmUpReceived;
    private volatile long lastMeasuredNanos;
    private long measuredCount;
    private long warmUpCount;

    IoLoop(int index, Dialect dialect, boolean parsing) throws IOException {
        this.dialect = dialect;
        this.parsing = parsing;
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().name("bench-io-" + index).daemon().start(this::run);
    }

    /** Hands a connected, non-blocking client to this loop. Any thread. */
    void add(BenchClient client) {
        added.add(client);
        selector.wakeup();
    }

    long measuredReceived() {
        return measuredReceived;
    }

    long warmUpReceived() {
        return warmUpReceived;
    }

    long lastMeasuredNanos() {
        return lastMeasuredNanos;
    }

    /** The latencies so far; call only after {@link #close()}. */
    LatencyHistogram latencies() {
        return latencies;
    }

    private void run() {
        try {
            while (running) {
                selector.select(SELECT_TIMEOUT_MILLIS);
                for (BenchClient client; (client = added.poll()) != null; ) {
                    client.channel().register(selector, SelectionKey.OP_READ, client);
                }
                var keys = selector.selectedKeys();
                for (SelectionKey key : keys) {
                    read((BenchClient) key.attachment(), key);
                }
                keys.clear();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void read(BenchClient client, SelectionKey key) {
        try {
            while (true) {
                readBuffer.clear();
                int n = client.channel().read(readBuffer);
                if (n < 0) {
                    key.cancel();
                    client.channel().close();
                    client.closed();
                    return;
                }
                if (n == 0) {
                    return;
                }
                if (client.isReady() && !parsing) {
                    continue;
                }
                lines(client, readBuffer.array(), n);
                if (n < READ_BUFFER_BYTES) {
                    return;
                }
            }
        } catch (IOException e) {
            key.cancel();
            client.closed();
        }
    }

    /** Splits {@code n} bytes into lines, joining the client's unfinished line from the last read. */
    private void lines(BenchClient client, byte[] bytes, int n) throws IOException {
        long now = System.nanoTime();
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (client.partialLength > 0) {
                append(client, bytes, start, i);
                line(client, client.partial, 0, client.partialLength, now);
                client.partialLength = 0;
            } else {
                line(client, bytes, start, i, now);
            }
            start = i + 1;
        }
        if (start < n) {
            append(client, bytes, start, n);
        }
        publish();
    }

    private static void append(BenchClient client, byte[] bytes, int from, int to) {
        int length = to - from;
        if (client.partial == null || client.partial.length < client.partialLength + length) {
            client.partial = Arrays.copyOf(client.partial == null ? new byte[0] : client.partial,
                    Math.max(256, 2 * (client.partialLength + length)));
        }
        System.arraycopy(bytes, from, client.partial, client.partialLength, length);
        client.partialLength += length;
    }

    private void line(BenchClient client, byte[] bytes, int from, int to, long now) throws IOException {
        int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
        if (!client.isReady()) {
            byte[] answer = dialect.handshake(client, new String(bytes, from, end - from, StandardCharsets.UTF_8));
            if (answer != null) {
                client.write(answer);
            }
            return;
        }
        int mark = indexOf(bytes, from, end);
        if (mark < 0) {
            byte[] answer = dialect.keepAlive(bytes, from, end);
            if (answer != null) {
                client.write(answer);
            }
            return;
        }
        int at = mark + MARK.length;
        if (at >= end) {
            return;
        }
        byte phase = bytes[at++];
        // The sequence number is skipped: loss is counted per delivery, and it keeps lines unique.
        while (at < end && bytes[at] != ' ') {
            at++;
        }
        long sent = 0;
        for (at++; at < end && bytes[at] >= '0' && bytes[at] <= '9'; at++) {
            sent = sent * 10 + (bytes[at] - '0');
        }
        if (phase == MEASURED) {
            measuredCount++;
            client.measured();
            latencies.record(now - sent);
            lastMeasuredNanos = now;
        } else if (phase == WARM_UP) {
            warmUpCount++;
        }
    }

    private void publish() {
        measuredReceived = measuredCount;
        warmUpReceived = warmUpCount;
    }

    private static int indexOf(byte[] bytes, int from, int to) {
        outer:
        for (int i = from; i <= to - MARK.length; i++) {
            for (int j = 0; j < MARK.length; j++) {
                if (bytes[i + j] != MARK[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Stops the thread and closes every client's socket. Does nothing the second time. */
    @Override
    public void close() throws IOException {
        if (!selector.isOpen()) {
            return;
        }
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        for (BenchClient client; (client = added.poll()) != null; ) {
            client.channel().close();
        }
        selector.close();
    }
}
