package dev.chat.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The idle scenario: opens {@code clients} connections, registers them, holds them, and
 * measures what they cost the server in resident memory (and heap, for a JVM server).
 */
final class Idle {

    record Settings(int clients, Duration hold, Duration connectTimeout, int sourceAddresses, int ioThreads) {
    }

    /**
     * Memory in KiB (-1 where unknown), times in seconds. {@code rssLoadedKiB} is read just after
     * registration (with its garbage); {@code rssAfterKiB} and {@code heapAfterKiB} after the
     * hold, for this server after a full collection, as before connecting.
     */
    record Report(Settings settings, int established, double connectSeconds, long rssBeforeKiB, long rssLoadedKiB,
            long rssAfterKiB, long heapBeforeKiB, long heapAfterKiB, double serverCpu, double generatorCpu) {

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
                    """, settings.clients(), settings.hold().toSeconds(), established, connectSeconds,
                    established / connectSeconds, rssBeforeKiB, rssLoadedKiB, rssAfterKiB, rssPerConnectionKiB(),
                    heapAfterKiB < 0 ? "n/a"
                            : String.format("%,d KiB before, %,d KiB after = %.2f KiB per connection",
                                    heapBeforeKiB, heapAfterKiB, heapPerConnectionKiB()),
                    serverCpu, generatorCpu);
        }

        String result() {
            return String.format(Locale.ROOT,
                    "RESULT scenario=idle clients=%d established=%d connect_s=%.2f rss_before_kib=%d "
                            + "rss_loaded_kib=%d rss_after_kib=%d rss_per_conn_kib=%.2f heap_before_kib=%d heap_after_kib=%d heap_per_conn_kib=%.2f "
                            + "server_cpu_s=%.2f generator_cpu_s=%.2f",
                    settings.clients(), established, connectSeconds, rssBeforeKiB, rssLoadedKiB, rssAfterKiB,
                    rssPerConnectionKiB(), heapBeforeKiB, heapAfterKiB, heapPerConnectionKiB(), serverCpu, generatorCpu);
        }
    }

    /** Let the server finish sending join announcements before memory is read. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private Idle() {
    }

    /**
     * @param liveHeapKiB the server's live heap in KiB after a full collection, or -1; asked before
     *                    connecting and after the hold, each time before RSS is read
     */
    static Report run(Target target, Settings settings, LongSupplier liveHeapKiB)
            throws IOException, InterruptedException {
        long heapBefore = liveHeapKiB.getAsLong();
        long rssBefore = ProcStats.rssKiB(target.pid());
        double serverCpuBefore = ProcStats.cpuSeconds(target.pid());
        double generatorCpuBefore = ProcStats.cpuSeconds(ProcStats.self());
        try (ClientPool pool = new ClientPool(target, settings.ioThreads(), false)) {
            long start = System.nanoTime();
            pool.connect(ClientPool.runPrefix(), settings.clients(), 0, settings.sourceAddresses(), settings.connectTimeout());
            double connectSeconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(SETTLE);
            long rssLoaded = ProcStats.rssKiB(target.pid());
            Thread.sleep(settings.hold());
            long heapAfter = liveHeapKiB.getAsLong();
            long rssAfter = ProcStats.rssKiB(target.pid());
            int established = pool.ready() - pool.lost();
            double serverCpu = ProcStats.cpuSeconds(target.pid()) - serverCpuBefore;
            double generatorCpu = ProcStats.cpuSeconds(ProcStats.self()) - generatorCpuBefore;
            return new Report(settings, established, connectSeconds, rssBefore, rssLoaded, rssAfter, heapBefore,
                    heapAfter,
                    serverCpu, generatorCpu);
        }
    }
}
