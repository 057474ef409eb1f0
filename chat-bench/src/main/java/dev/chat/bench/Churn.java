package dev.chat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.DoubleStream;

/**
 * The churn scenario: {@code workers} clients at once, each over and over connecting,
 * registering and quitting, for {@code duration}; counts completed cycles.
 */
final class Churn {

    record Settings(int workers, Duration duration, int sourceAddresses) {
    }

    record Report(Settings settings, long cycles, long failures, double seconds, double p50, double p99,
            double max, double serverCpu, double generatorCpu, String firstFailure) {

        double cyclesPerSecond() {
            return seconds > 0 ? cycles / seconds : 0;
        }

        String text() {
            return String.format("""
                    churn: %d workers for %d s
                      cycles               %,d (%,.0f/s)
                      failures             %,d%s
                      cycle time ms        p50 %.3f  p99 %.3f  max %.3f
                      server CPU           %.2f s = %.1f µs per cycle
                      generator CPU        %.2f s
                    """, settings.workers(), settings.duration().toSeconds(), cycles, cyclesPerSecond(), failures,
                    firstFailure == null ? "" : " (first: " + firstFailure + ")", p50, p99, max, serverCpu,
                    cycles > 0 ? serverCpu / cycles * 1e6 : Double.NaN, generatorCpu);
        }

        String result() {
            return String.format(Locale.ROOT,
                    "RESULT scenario=churn workers=%d seconds=%d cycles=%d cycles_per_s=%.0f failures=%d p50_ms=%.3f "
                            + "p99_ms=%.3f max_ms=%.3f server_cpu_s=%.2f generator_cpu_s=%.2f",
                    settings.workers(), settings.duration().toSeconds(), cycles, cyclesPerSecond(), failures, p50, p99,
                    max, serverCpu, generatorCpu);
        }
    }

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private Churn() {
    }

    static Report run(Target target, Settings settings) throws InterruptedException {
        AtomicLong cycles = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        AtomicInteger nextSource = new AtomicInteger();
        double serverCpuBefore = DoubleStream.of(target.nodesCpuSeconds()).sum();
        double generatorCpuBefore = ProcStats.cpuSeconds(ProcStats.self());
        long start = System.nanoTime();
        long deadline = start + settings.duration().toNanos();
        List<Thread> workers = new ArrayList<>();
        List<LatencyHistogram> histograms = new ArrayList<>();
        for (int w = 0; w < settings.workers(); w++) {
            int worker = w;
            LatencyHistogram histogram = new LatencyHistogram();
            histograms.add(histogram);
            workers.add(Thread.ofVirtual().name("bench-churn-" + w).start(() -> {
                for (int cycle = 0; System.nanoTime() < deadline; cycle++) {
                    long began = System.nanoTime();
                    try {
                        // Names stay within 9 characters, the shortest nick limit among common IRC servers.
                        cycle(target.nodeOf(worker).address(), target.dialect(),
                                "c" + worker + "_" + cycle % 100_000,
                                nextSource.getAndIncrement() % settings.sourceAddresses());
                        histogram.record(System.nanoTime() - began);
                        cycles.incrementAndGet();
                    } catch (IOException e) {
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, e.getMessage());
                    }
                }
            }));
        }
        for (Thread thread : workers) {
            thread.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        LatencyHistogram all = new LatencyHistogram();
        histograms.forEach(all::add);
        return new Report(settings, cycles.get(), failures.get(), seconds, all.percentileMillis(0.5),
                all.percentileMillis(0.99), all.maxMillis(), DoubleStream.of(target.nodesCpuSeconds()).sum() - serverCpuBefore,
                ProcStats.cpuSeconds(ProcStats.self()) - generatorCpuBefore, firstFailure.get());
    }

    /** Connects to {@code server}, registers as {@code name}, quits, and waits for the server to close. */
    private static void cycle(InetSocketAddress server, Dialect dialect, String name, int source) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(ClientPool.sourceAddress(source, Integer.MAX_VALUE), 0));
            socket.connect(server, READ_TIMEOUT_MILLIS);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out.write(dialect.hello(name, false));
            for (String line; ; ) {
                line = in.readLine();
                if (line == null) {
                    throw new IOException(name + ": closed before the welcome");
                }
                if (dialect.isWelcome(line)) {
                    break;
                }
                if (line.startsWith("PING ")) {
                    out.write(("PONG " + line.substring(5) + "\r\n").getBytes(StandardCharsets.UTF_8));
                } else if (line.contains("!!! ") || line.startsWith("ERROR")) {
                    throw new IOException(name + ": " + line);
                }
            }
            out.write(dialect.quit());
            while (in.readLine() != null) {
                // Reads up to the server's close.
            }
        }
    }
}
