package dev.chat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many registered clients, spread over several loopback source addresses (so the count is not
 * capped by one address's ephemeral ports), over a few {@link IoLoop}s, and round robin over the
 * target's servers.
 */
final class ClientPool implements AutoCloseable {

    /** Handshakes in progress at once: keeps the server's accept queue from overflowing. */
    private static final int IN_FLIGHT = 256;

    private final Target target;
    private final List<IoLoop> loops = new ArrayList<>();
    private final List<BenchClient> clients = new ArrayList<>();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final AtomicInteger readyCount = new AtomicInteger();
    private final AtomicInteger lostCount = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();

    ClientPool(Target target, int ioThreads, boolean parsing) throws IOException {
        this.target = target;
        for (int i = 0; i < ioThreads; i++) {
            loops.add(new IoLoop(i, target.dialect(), parsing));
        }
    }

    /**
     * A name prefix of this run, e.g. {@code b3k_}: a server may still hold the names of a
     * previous run's clients for a moment after they went.
     */
    static String runPrefix() {
        return "b" + Long.toString(ProcessHandle.current().pid() % (36 * 36 * 36), 36) + "_";
    }

    /** The loopback address the {@code index}-th client binds to: 127.0.0.1, 127.0.0.2, … */
    static InetAddress sourceAddress(int index, int sourceAddresses) throws IOException {
        int host = 1 + index % sourceAddresses;
        return InetAddress.getByAddress(new byte[] {127, 0, (byte) (host >> 8), (byte) host});
    }

    /**
     * Connects and registers {@code count} more clients named {@code prefix0}, {@code prefix1}, …;
     * the first {@code senders} of them are senders. Returns once all are ready.
     *
     * @throws IOException when a connection fails, the server refuses one, or not all are ready
     *                     within {@code timeout}
     */
    void connect(String prefix, int count, int senders, int sourceAddresses, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int wanted = clients.size() + count;
        for (int i = 0; i < count; i++) {
            if (!inFlight.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IOException("timed out connecting: " + readyCount.get() + " of " + wanted + " ready");
            }
            checkFailure();
            int index = clients.size();
            Target.Node node = target.nodeOf(index);
            SocketChannel channel = SocketChannel.open();
            try {
                channel.bind(new InetSocketAddress(sourceAddress(index, sourceAddresses), 0));
                channel.connect(node.address());
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                BenchClient client = new BenchClient(prefix + index, i < senders, channel, this,
                        index % target.nodes().size());
                client.write(target.dialect().hello(client.name(), client.sender()));
                channel.configureBlocking(false);
                clients.add(client);
                loops.get(index % loops.size()).add(client);
            } catch (IOException e) {
                channel.close();
                throw new IOException("client " + index + " could not connect to " + node.name() + " at "
                        + node.address() + ": "
                        + e.getMessage(), e);
            }
        }
        while (readyCount.get() < wanted) {
            checkFailure();
            if (System.nanoTime() > deadline) {
                throw new IOException("timed out registering: " + readyCount.get() + " of " + wanted + " ready");
            }
            Thread.sleep(10);
        }
    }

    private void checkFailure() throws IOException {
        String reason = failure.get();
        if (reason != null) {
            throw new IOException(reason);
        }
    }

    List<BenchClient> clients() {
        return clients;
    }

    List<BenchClient> senders() {
        return clients.stream().filter(BenchClient::sender).toList();
    }

    List<IoLoop> loops() {
        return loops;
    }

    int ready() {
        return readyCount.get();
    }

    /** Clients whose connection the server closed (or that failed) after they connected. */
    int lost() {
        return lostCount.get();
    }

    /** How many clients each node has, in the order of the target's nodes. */
    int[] clientsByNode() {
        int[] counts = new int[target.nodes().size()];
        clients.forEach(client -> counts[client.node()]++);
        return counts;
    }

    /**
     * Measured deliveries per node, in the order of the target's nodes; read only after
     * {@link #stop()}, as the I/O threads count them.
     */
    long[] measuredReceivedByNode() {
        long[] counts = new long[target.nodes().size()];
        for (BenchClient client : clients) {
            counts[client.node()] += client.measuredReceived();
        }
        return counts;
    }

    long measuredReceived() {
        return loops.stream().mapToLong(IoLoop::measuredReceived).sum();
    }

    long warmUpReceived() {
        return loops.stream().mapToLong(IoLoop::warmUpReceived).sum();
    }

    long lastMeasuredNanos() {
        return loops.stream().mapToLong(IoLoop::lastMeasuredNanos).max().orElse(0);
    }

    void readied(BenchClient client) {
        readyCount.incrementAndGet();
        inFlight.release();
    }

    void failed(BenchClient client, String line) {
        failure.compareAndSet(null, client.name() + " was refused: " + line);
    }

    void lost(BenchClient client) {
        lostCount.incrementAndGet();
        if (!client.isReady()) {
            failure.compareAndSet(null, client.name() + ": the server closed the connection during the handshake");
        }
    }

    /** Stops the I/O threads and closes every socket; returns the merged latencies. */
    LatencyHistogram stop() throws IOException {
        LatencyHistogram all = new LatencyHistogram();
        for (IoLoop loop : loops) {
            loop.close();
            all.add(loop.latencies());
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
