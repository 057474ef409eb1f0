package dev.chat.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The fanout scenario: {@code clients} in one room, the first {@code senders} of them saying
 * messages at an aggregate {@code rate} per second, each message carrying its send time and a
 * sequence number; every delivery is counted and timed by the receiving client.
 */
final class Fanout {

    /** What to run. */
    record Settings(int clients, int senders, int rate, Duration warmUp, Duration duration, Duration drainTimeout,
            int sourceAddresses, int ioThreads, int padding) {
    }

    /**
     * What was measured. Latencies in milliseconds, CPU in seconds; {@code serverCpu} is the sum
     * over {@code nodes}; {@code natsCpu} is NaN when the target has no NATS server of known PID.
     */
    record Report(Settings settings, long sent, long expected, long received, long clientsLost,
            double sendSeconds, double deliverySeconds, double p50, double p90, double p99, double p999,
            double max, double serverCpu, double generatorCpu, List<NodeLoad> nodes, double natsCpu) {

        long lost() {
            return Math.max(0, expected - received);
        }

        double deliveriesPerSecond() {
            return deliverySeconds > 0 ? received / deliverySeconds : 0;
        }

        double sentPerSecond() {
            return sendSeconds > 0 ? sent / sendSeconds : 0;
        }

        /** Server CPU seconds per million deliveries (NaN when the server's process is unknown). */
        double serverCpuPerMillion() {
            return received > 0 ? serverCpu / received * 1e6 : Double.NaN;
        }

        /** NATS CPU microseconds per message sent: its cost does not grow with the recipients. */
        double natsCpuMicrosPerMessage() {
            return sent > 0 ? natsCpu / sent * 1e6 : Double.NaN;
        }

        private boolean cluster() {
            return nodes.size() > 1 || !Double.isNaN(natsCpu);
        }

        double generatorCpuPerMillion() {
            return received > 0 ? generatorCpu / received * 1e6 : Double.NaN;
        }

        String text() {
            Settings s = settings;
            return String.format("""
                    fanout: %d clients, %d senders, %d msgs/s for %d s (after %d s warm-up)
                      messages sent        %,d (%.0f/s)
                      deliveries expected  %,d
                      deliveries received  %,d
                      lost                 %,d%s
                      deliveries/s         %,.0f
                      latency ms           p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f
                      server CPU           %.2f s = %.3f s per million deliveries%s
                    %s  generator CPU        %.2f s = %.3f s per million deliveries
                    """, s.clients(), s.senders(), s.rate(), s.duration().toSeconds(), s.warmUp().toSeconds(),
                    sent, sentPerSecond(), expected, received, lost(),
                    clientsLost > 0 ? "  (" + clientsLost + " clients disconnected)" : "",
                    deliveriesPerSecond(), p50, p90, p99, p999, max, serverCpu, serverCpuPerMillion(),
                    cluster() ? " (" + nodes.size() + " nodes together)" : "", clusterText(),
                    generatorCpu, generatorCpuPerMillion());
        }

        /** Per node, and the NATS server's CPU; empty for one server on its own. */
        private String clusterText() {
            if (!cluster()) {
                return "";
            }
            StringBuilder text = new StringBuilder();
            nodes.forEach(node -> text.append(node.text()));
            text.append(String.format("  NATS server CPU      %.2f s = %.2f µs per message sent%n", natsCpu,
                    natsCpuMicrosPerMessage()));
            return text.toString();
        }

        /** One line of key=value pairs for scripts. */
        String result() {
            return String.format(java.util.Locale.ROOT,
                    "RESULT scenario=fanout clients=%d senders=%d rate=%d seconds=%d sent=%d expected=%d received=%d "
                            + "lost=%d clients_lost=%d deliveries_per_s=%.0f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f "
                            + "p999_ms=%.3f max_ms=%.3f server_cpu_s=%.2f server_cpu_s_per_m=%.3f "
                            + "generator_cpu_s=%.2f",
                    settings.clients(), settings.senders(), settings.rate(), settings.duration().toSeconds(), sent,
                    expected, received, lost(), clientsLost, deliveriesPerSecond(), p50, p90, p99, p999, max,
                    serverCpu, serverCpuPerMillion(), generatorCpu) + clusterResult();
        }

        private String clusterResult() {
            if (!cluster()) {
                return "";
            }
            StringBuilder result = new StringBuilder(" nodes=" + nodes.size());
            for (int i = 0; i < nodes.size(); i++) {
                result.append(nodes.get(i).result(i + 1));
            }
            return result.append(String.format(java.util.Locale.ROOT, " nats_cpu_s=%.2f nats_cpu_us_per_msg=%.2f",
                    natsCpu, natsCpuMicrosPerMessage())).toString();
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(120);
    /** Let the join announcements settle before sending. */
    private static final Duration SETTLE = Duration.ofMillis(500);

    private Fanout() {
    }

    static Report run(Target target, Settings settings) throws IOException, InterruptedException {
        if (settings.senders() < 1 || settings.senders() > settings.clients() || settings.rate() < 1) {
            throw new IllegalArgumentException("need 1 to clients senders and a positive rate");
        }
        try (ClientPool pool = new ClientPool(target, settings.ioThreads(), true)) {
            pool.connect(ClientPool.runPrefix(), settings.clients(), settings.senders(), settings.sourceAddresses(), CONNECT_TIMEOUT);
            Thread.sleep(SETTLE);
            List<BenchClient> senders = pool.senders();
            int recipients = target.dialect().recipients(settings.clients());
            String padding = "x".repeat(Math.max(0, settings.padding()));

            Pacer warmUp = new Pacer(target.dialect(), senders, settings.rate(), IoLoop.WARM_UP, padding);
            warmUp.sendFor(settings.warmUp());
            awaitReceived(pool::warmUpReceived, warmUp.sent() * recipients, settings.drainTimeout());

            double[] nodesCpuBefore = target.nodesCpuSeconds();
            double natsCpuBefore = ProcStats.cpuSeconds(target.natsPid());
            double generatorCpuBefore = ProcStats.cpuSeconds(ProcStats.self());
            long lostBefore = pool.lost();
            long start = System.nanoTime();
            Pacer measured = new Pacer(target.dialect(), senders, settings.rate(), IoLoop.MEASURED, padding);
            measured.sendFor(settings.duration());
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            long expected = measured.sent() * recipients;
            awaitReceived(pool::measuredReceived, expected, settings.drainTimeout());
            double[] nodesCpuAfter = target.nodesCpuSeconds();
            double natsCpu = ProcStats.cpuSeconds(target.natsPid()) - natsCpuBefore;
            double generatorCpu = ProcStats.cpuSeconds(ProcStats.self()) - generatorCpuBefore;
            long received = pool.measuredReceived();
            double deliverySeconds = (pool.lastMeasuredNanos() - start) / 1e9;
            long clientsLost = pool.lost() - lostBefore;
            LatencyHistogram latencies = pool.stop();
            List<NodeLoad> nodes = NodeLoad.of(target, pool.clientsByNode(), pool.measuredReceivedByNode(),
                    nodesCpuBefore, nodesCpuAfter);
            double serverCpu = nodes.stream().mapToDouble(NodeLoad::cpuSeconds).sum();
            return new Report(settings, measured.sent(), expected, received, clientsLost, sendSeconds,
                    deliverySeconds, latencies.percentileMillis(0.50), latencies.percentileMillis(0.90),
                    latencies.percentileMillis(0.99), latencies.percentileMillis(0.999), latencies.maxMillis(),
                    serverCpu, generatorCpu, nodes, natsCpu);
        }
    }

    /** Waits until {@code received} reaches {@code expected}, or it made no progress for {@code timeout}. */
    private static void awaitReceived(java.util.function.LongSupplier received, long expected, Duration timeout)
            throws InterruptedException {
        long last = -1;
        long progressAt = System.nanoTime();
        while (true) {
            long now = received.getAsLong();
            if (now >= expected) {
                return;
            }
            if (now != last) {
                last = now;
                progressAt = System.nanoTime();
            } else if (System.nanoTime() - progressAt > timeout.toNanos()) {
                return;
            }
            Thread.sleep(5);
        }
    }

    /** Sends messages round-robin over the senders, at a steady aggregate rate, from the calling thread. */
    private static final class Pacer {
        private final Dialect dialect;
        private final List<BenchClient> senders;
        private final int rate;
        private final char phase;
        private final String padding;
        private final String mark = new String(IoLoop.MARK, java.nio.charset.StandardCharsets.US_ASCII);
        private long sent;

        Pacer(Dialect dialect, List<BenchClient> senders, int rate, char phase, String padding) {
            this.dialect = dialect;
            this.senders = senders;
            this.rate = rate;
            this.phase = phase;
            this.padding = padding;
        }

        long sent() {
            return sent;
        }

        void sendFor(Duration duration) throws IOException {
            long start = System.nanoTime();
            long total = duration.toSeconds() * rate;
            while (sent < total) {
                long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L);
                while (sent < due) {
                    BenchClient sender = senders.get((int) (sent % senders.size()));
                    // The send time is taken last, just before the write, so it excludes formatting.
                    sender.write(dialect.say(mark + phase + sent + " " + System.nanoTime() + padding));
                    sent++;
                }
                long nextDue = start + (sent + 1) * 1_000_000_000L / rate;
                long wait = nextDue - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
        }
    }
}
