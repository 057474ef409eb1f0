package dev.chat.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.stream.DoubleStream;
import java.util.stream.LongStream;

/**
 * The idle scenario: opens {@code clients} connections, registers them, holds them, and
 * measures what they cost the server in resident memory (and heap, for a JVM server).
 */
final class Idle {

    record Settings(int clients, Duration hold, Duration connectTimeout, int sourceAddresses, int ioThreads) {
    }

    /** One node's resident memory in KiB (-1 where unknown) before connecting and after the hold. */
    record NodeMemory(String name, int clients, long rssBeforeKiB, long rssAfterKiB) {

        /** Growth over this node's own clients, though it also keeps what it knows of the others'. */
        double rssPerOwnConnectionKiB() {
            return clients > 0 && rssAfterKiB >= 0 && rssBeforeKiB >= 0
                    ? (rssAfterKiB - rssBeforeKiB) / (double) clients : Double.NaN;
        }
    }

    /**
     * Memory in KiB (-1 where unknown), times in seconds, each the sum over the target's nodes.
     * {@code rssLoadedKiB} is read just after registration (with its garbage); {@code rssAfterKiB}
     * and {@code heapAfterKiB} after the hold, for this server after a full collection, as before
     * connecting.
     */
    record Report(Settings settings, int established, double connectSeconds, long rssBeforeKiB, long rssLoadedKiB,
            long rssAfterKiB, long heapBeforeKiB, long heapAfterKiB, double serverCpu, double generatorCpu,
            List<NodeMemory> nodes) {

        double rssPerConnectionKiB() {
            return established > 0 && rssAfterKiB >= 0 ? (rssAfterKiB - rssBeforeKiB) / (double) established : Double.NaN;
        }

        double heapPerConnectionKiB() {
            return established > 0 && heapAfterKiB >= 0
                    ? (heapAfterKiB - heapBeforeKiB) / (double) established : Double.NaN;
        }

        String text() {
            return String.format("""
                    idle: %d clients held %d s
                      established          %,d
                      connect + register   %.2f s (%,.0f clients/s)
                      server RSS           %,d KiB before, %,d KiB just after registering, %,d KiB after the hold
                                           = %.2f KiB per connection
                      server heap (live)   %s
                      server CPU           %.2f s, generator CPU %.2f s
                    %s""", settings.clients(), settings.hold().toSeconds(), established, connectSeconds,
                    established / connectSeconds, rssBeforeKiB, rssLoadedKiB, rssAfterKiB, rssPerConnectionKiB(),
                    heapAfterKiB < 0 ? "n/a"
                            : String.format("%,d KiB before, %,d KiB after = %.2f KiB per connection",
                                    heapBeforeKiB, heapAfterKiB, heapPerConnectionKiB()),
                    serverCpu, generatorCpu, nodesText());
        }

        /** Each node's share, for a cluster; empty for one server. */
        private String nodesText() {
            if (nodes.size() < 2) {
                return "";
            }
            StringBuilder text = new StringBuilder();
            for (NodeMemory node : nodes) {
                text.append(String.format("  node %-15s %,d clients, RSS %,d KiB before, %,d KiB after the hold "
                        + "= %.2f KiB per own connection%n", node.name(), node.clients(), node.rssBeforeKiB(),
                        node.rssAfterKiB(), node.rssPerOwnConnectionKiB()));
            }
            return text.toString();
        }

        String result() {
            return String.format(Locale.ROOT,
                    "RESULT scenario=idle clients=%d established=%d connect_s=%.2f rss_before_kib=%d "
                            + "rss_loaded_kib=%d rss_after_kib=%d rss_per_conn_kib=%.2f heap_before_kib=%d heap_after_kib=%d heap_per_conn_kib=%.2f "
                            + "server_cpu_s=%.2f generator_cpu_s=%.2f",
                    settings.clients(), established, connectSeconds, rssBeforeKiB, rssLoadedKiB, rssAfterKiB,
                    rssPerConnectionKiB(), heapBeforeKiB, heapAfterKiB, heapPerConnectionKiB(), serverCpu, generatorCpu)
                    + (nodes.size() < 2 ? "" : " nodes=" + nodes.size());
        }
    }

    /** Let the server finish sending join announcements before memory is read. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private Idle() {
    }

    /**
     * @param liveHeapKiB the servers' live heap in KiB after a full collection, or -1; asked before
     *                    connecting and after the hold, each time before RSS is read
     */
    static Report run(Target target, Settings settings, LongSupplier liveHeapKiB)
            throws IOException, InterruptedException {
        long heapBefore = liveHeapKiB.getAsLong();
        long[] rssBefore = target.nodesRssKiB();
        double serverCpuBefore = DoubleStream.of(target.nodesCpuSeconds()).sum();
        double generatorCpuBefore = ProcStats.cpuSeconds(ProcStats.self());
        try (ClientPool pool = new ClientPool(target, settings.ioThreads(), false)) {
            long start = System.nanoTime();
            pool.connect(ClientPool.runPrefix(), settings.clients(), 0, settings.sourceAddresses(), settings.connectTimeout());
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(SETTLE);
            long rssLoaded = sumKiB(target.nodesRssKiB());
            Thread.sleep(settings.hold());
            long heapAfter = liveHeapKiB.getAsLong();
            long[] rssAfter = target.nodesRssKiB();
            int established = pool.ready() - pool.lost();
            double serverCpu = DoubleStream.of(target.nodesCpuSeconds()).sum() - serverCpuBefore;
            double generatorCpu = ProcStats.cpuSeconds(ProcStats.self()) - generatorCpuBefore;
            int[] clients = pool.clientsByNode();
            List<NodeMemory> nodes = new ArrayList<>();
            for (int i = 0; i < clients.length; i++) {
                nodes.add(new NodeMemory(target.nodes().get(i).name(), clients[i], rssBefore[i], rssAfter[i]));
            }
            return new Report(settings, established, connectSeconds, sumKiB(rssBefore), rssLoaded, sumKiB(rssAfter),
                    heapBefore, heapAfter, serverCpu, generatorCpu, nodes);
        }
    }

    /** The sum of the nodes' readings; -1 when any is unknown. */
    private static long sumKiB(long[] kib) {
        return LongStream.of(kib).anyMatch(value -> value < 0) ? -1 : LongStream.of(kib).sum();
    }
}
