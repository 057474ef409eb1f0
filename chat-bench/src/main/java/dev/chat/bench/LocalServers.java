package dev.chat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The servers a run started itself: one chat server on its own, or a {@code nats-server -js}
 * and N chat servers in cluster mode named {@code bench-1} … {@code bench-N}. All are stopped on
 * close, the nodes before NATS, and by a shutdown hook when the run is ended with Ctrl-C.
 */
final class LocalServers implements AutoCloseable {

    /**
     * Guards {@link #stopped}, and hands {@link #nats} and {@link #nodes} to the shutdown hook;
     * only the thread that starts them writes them, and it reads them without the lock.
     */
    private final Object lock = new Object();
    private NatsProcess nats;
    private final List<OurServer> nodes = new ArrayList<>();
    private boolean stopped;
    private final Thread stopOnExit = Thread.ofPlatform().name("bench-stop-servers").unstarted(this::stop);

    private LocalServers() {
    }

    /**
     * Starts the servers one after the other, each with {@code jvmOptions} and {@code serverArgs}
     * and room for {@code maxClients}; a cluster when {@code cluster} or when {@code nodes > 1}.
     * What was started is stopped again when a later start fails.
     *
     * @throws IOException when nats-server is missing or a server does not start
     */
    static LocalServers start(int nodes, boolean cluster, List<String> jvmOptions, List<String> serverArgs,
            int maxClients) throws IOException, InterruptedException {
        if (nodes < 1) {
            throw new IllegalArgumentException("--nodes is 1 or more, not " + nodes);
        }
        LocalServers servers = new LocalServers();
        // From here on Ctrl-C stops whatever has started so far.
        Runtime.getRuntime().addShutdownHook(servers.stopOnExit);
        try {
            if (cluster || nodes > 1) {
                servers.started(NatsProcess.start());
            }
            for (int i = 1; i <= nodes; i++) {
                List<String> args = new ArrayList<>(serverArgs);
                String url = servers.natsUrl();
                if (url != null) {
                    args.addAll(List.of("--cluster", url, "--node-name", "bench-" + i));
                }
                servers.started(OurServer.start(jvmOptions, args, maxClients));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            servers.close();
            throw e;
        }
        return servers;
    }

    private void started(NatsProcess process) {
        synchronized (lock) {
            nats = process;
        }
    }

    private void started(OurServer node) {
        synchronized (lock) {
            nodes.add(node);
        }
    }

    private String natsUrl() {
        synchronized (lock) {
            return nats == null ? null : nats.url();
        }
    }

    /** Stops the nodes, then NATS (a node that loses NATS first would tell its users so); once. */
    private void stop() {
        List<OurServer> snapshot;
        NatsProcess natsToStop;
        synchronized (lock) {
            if (stopped) {
                return;
            }
            stopped = true;
            snapshot = List.copyOf(nodes);
            natsToStop = nats;
        }
        // SIGTERM to every node at once, then wait: each takes a moment to say goodbye.
        snapshot.forEach(OurServer::signalStop);
        snapshot.forEach(OurServer::close);
        if (natsToStop != null) {
            natsToStop.close();
        }
    }

    /** The target these servers make, speaking {@code dialect}. */
    Target target(Dialect dialect) {
        List<Target.Node> targetNodes = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            OurServer node = nodes.get(i);
            targetNodes.add(new Target.Node(nats == null ? "server" : "bench-" + (i + 1),
                    new InetSocketAddress("127.0.0.1", node.port()), node.pid()));
        }
        return new Target(targetNodes, nats == null ? -1 : nats.pid(), dialect);
    }

    /** What the run prints about them before it starts, one line a process. */
    String description() {
        StringBuilder text = new StringBuilder();
        if (nats != null) {
            text.append(String.format(Locale.ROOT, "nats-server: pid %d, %s, log in %s%n", nats.pid(), nats.url(),
                    nats.directory()));
        }
        for (int i = 0; i < nodes.size(); i++) {
            OurServer node = nodes.get(i);
            text.append(String.format(Locale.ROOT, "%s: pid %d, port %d, started to listening in %.3f s, logs in %s%n",
                    nats == null ? "server" : "node bench-" + (i + 1), node.pid(), node.port(), node.startSeconds(),
                    node.directory()));
        }
        return text.toString();
    }

    /** The live heap of all nodes together in KiB, after a full collection in each; -1 when any is unknown. */
    long liveHeapKiB() {
        long sum = 0;
        for (OurServer node : nodes) {
            long heap = node.liveHeapKiB();
            if (heap < 0) {
                return -1;
            }
            sum += heap;
        }
        return sum;
    }

    /** Stops every node, then the NATS server; does nothing the second time. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running or has run.
        }
    }
}
