package dev.chat.server;

import dev.chat.protocol.ErrorCode;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.Executors;
import java.util.function.LongSupplier;

/**
 * Serves the server's metrics in Prometheus' text format on {@code /metrics}, from the JDK's
 * own HTTP server. Every figure is read when it is scraped: the counters from
 * {@link ServerMetrics}, the gauges from the server's state as it is then.
 */
final class MetricsEndpoint implements Closeable {

    private final HTTPServer http;

    private MetricsEndpoint(HTTPServer http) {
        this.http = http;
    }

    /**
     * Starts serving the metrics of {@code server} where {@code where} says; they can be scraped
     * when this returns.
     *
     * @throws IOException when it cannot listen there (the address is in use, say), saying where
     */
    static MetricsEndpoint start(ServerConfig.Metrics where, ChatServer server) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        register(registry, server);
        try {
            HTTPServer http = HTTPServer.builder()
                    .inetAddress(InetAddress.getByName(where.bind()))
                    .port(where.port())
                    .registry(registry)
                    // A scrape is rare and short: a virtual thread each, named for what it serves.
                    .executorService(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("chat-metrics-", 1)
                            .factory()))
                    .buildAndStart();
            return new MetricsEndpoint(http);
        } catch (IOException e) {
            // Not a BindException: the chat's own address is not the one at fault.
            throw new IOException("cannot serve metrics on " + where.bind() + ":" + where.port() + ": "
                    + e.getMessage(), e);
        }
    }

    /** The port the endpoint listens on (the one picked, when started with port 0). */
    int port() {
        return http.getPort();
    }

    /** Stops listening; a scrape under way is cut short. */
    @Override
    public void close() {
        http.close();
    }

    private static void register(PrometheusRegistry registry, ChatServer server) {
        ServerMetrics counts = server.metrics();
        gauge(registry, "chat_connections_open", "Open connections, with or without a name.",
                server::connectionCount);
        counter(registry, "chat_connections_accepted", "Connections accepted, each given a session.",
                counts::connectionsAccepted);
        CounterWithCallback.builder().name("chat_connections_refused")
                .help("Connections turned away at once: the server was full, the address had too many, or was banned.")
                .labelNames("reason")
                .callback(callback -> {
                    for (ErrorCode why : ServerMetrics.REFUSALS) {
                        callback.call(counts.connectionsRefused(why), why.token());
                    }
                })
                .register(registry);
        gauge(registry, "chat_users", "Users signed on: connections that have a name.", server::userCount);
        counter(registry, "chat_sign_ons", "Connections that took a name (registrations).",
                () -> server.registry().signOns());
        CounterWithCallback.builder().name("chat_messages")
                .help("Lines users said: in a room (plain lines and /me), or privately (/msg).")
                .labelNames("kind")
                .callback(callback -> {
                    callback.call(counts.roomMessages(), "room");
                    callback.call(counts.privateMessages(), "private");
                })
                .register(registry);
        counter(registry, "chat_deliveries",
                "Lines queued for clients, one per recipient: a room line to 10 members is 10 deliveries.",
                counts::deliveries);
        CounterWithCallback.builder().name("chat_received_bytes").unit(Unit.BYTES)
                .help("Bytes read from clients (as they sent them, without TLS's own).")
                .callback(callback -> callback.call(counts.bytesReceived()))
                .register(registry);
        CounterWithCallback.builder().name("chat_sent_bytes").unit(Unit.BYTES)
                .help("Bytes written to clients (as they receive them, without TLS's own).")
                .callback(callback -> callback.call(counts.bytesSent()))
                .register(registry);
        CounterWithCallback.builder().name("chat_clients_dropped")
                .help("Clients the server disconnected: slow_consumer when its send queue was full, flooding when "
                        + "it sent far faster than flood control lets it.")
                .labelNames("reason")
                .callback(callback -> {
                    callback.call(counts.slowClientsDropped(), "slow_consumer");
                    callback.call(counts.floodedClientsDropped(), "flooding");
                })
                .register(registry);
        counter(registry, "chat_flood_delayed_lines", "Lines that waited for flood control (clients slowed down).",
                counts::floodDelayedLines);
        GaugeWithCallback.builder().name("chat_send_queue_bytes").unit(Unit.BYTES)
                .help("Bytes waiting in the send queues of all clients.")
                .callback(callback -> callback.call(queuedBytes(server)))
                .register(registry);
        GaugeWithCallback.builder().name("chat_send_queue_max_bytes").unit(Unit.BYTES)
                .help("Bytes waiting in the longest send queue of one client (it is dropped past --send-queue).")
                .callback(callback -> callback.call(longestQueue(server)))
                .register(registry);
        gauge(registry, "chat_rooms", "Rooms, the default room included.", () -> server.rooms().count());
    }

    private static void counter(PrometheusRegistry registry, String name, String help, LongSupplier value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.getAsLong()))
                .register(registry);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help, LongSupplier value) {
        GaugeWithCallback.builder().name(name).help(help)
                .callback(callback -> callback.call(value.getAsLong()))
                .register(registry);
    }

    /** Bytes waiting in all send queues: a walk over the open sessions, at a scrape, taking no lock. */
    private static long queuedBytes(ChatServer server) {
        long total = 0;
        for (ClientSession session : server.sessions()) {
            total += session.outbox().queuedBytes();
        }
        return total;
    }

    /** Bytes waiting in the longest send queue, found as {@link #queuedBytes} finds the total. */
    private static long longestQueue(ChatServer server) {
        long longest = 0;
        for (ClientSession session : server.sessions()) {
            longest = Math.max(longest, session.outbox().queuedBytes());
        }
        return longest;
    }
}
