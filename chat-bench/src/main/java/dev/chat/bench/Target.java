package dev.chat.bench;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The servers under load: one, or the nodes of a cluster, each with where it listens and its
 * process (for CPU and memory; -1 when unknown); the cluster's NATS server's process (-1 when
 * there is none or it is unknown); and the protocol they speak.
 */
record Target(List<Node> nodes, long natsPid, Dialect dialect) {

    /** One server of the target, named for the reports. */
    record Node(String name, InetSocketAddress address, long pid) {
    }

    Target {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("a target needs at least one server");
        }
        nodes = List.copyOf(nodes);
    }

    /** One server on its own. */
    Target(InetSocketAddress address, long pid, Dialect dialect) {
        this(List.of(new Node("server", address, pid)), -1, dialect);
    }

    /** The node the {@code index}-th client connects to: round robin, so each has its share. */
    Node nodeOf(int index) {
        return nodes.get(index % nodes.size());
    }

    boolean isCluster() {
        return nodes.size() > 1 || natsPid > 0;
    }

    /** CPU seconds each node's process has used so far, in the order of {@link #nodes()}; NaN where unknown. */
    double[] nodesCpuSeconds() {
        return nodes.stream().mapToDouble(node -> ProcStats.cpuSeconds(node.pid())).toArray();
    }

    /** The resident memory of each node in KiB, in the order of {@link #nodes()}; -1 where unknown. */
    long[] nodesRssKiB() {
        return nodes.stream().mapToLong(node -> ProcStats.rssKiB(node.pid())).toArray();
    }
}
