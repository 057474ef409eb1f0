package dev.chat.server;

import dev.chat.protocol.Protocol;
import dev.chat.protocol.RoomNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a server is told at start and, for the settings marked reloadable, again on SIGHUP.
 * For every limit, 0 turns it off.
 *
 * @param bind                the address to listen on
 * @param port                the port to listen on; 0 picks a free one
 * @param maxClients          how many connections at once, registered or not (reloadable)
 * @param maxPerAddress       how many connections at once from one IP address (reloadable)
 * @param exemptAddresses     addresses {@code maxPerAddress} does not apply to (reloadable)
 * @param maxLineBytes        the longest line a client may send, without its terminator
 *                            (reloadable, for new connections)
 * @param sendQueueBytes      how much may wait for one slow client before it is dropped
 *                            (reloadable, for new connections)
 * @param floodBurst          how many lines a client may send at once before it is slowed
 *                            down (reloadable, for new connections)
 * @param floodRate           how many lines per second a client may send after its burst;
 *                            faster lines wait ("fake lag") (reloadable, for new connections)
 * @param floodBacklogBytes   how much unread input a slowed-down client may pile up before it
 *                            is disconnected (reloadable, for new connections)
 * @param registrationTimeout how long a connection may go without a name (reloadable)
 * @param keepAliveIdle       how long a connection is silent before TCP keepalive probes
 *                            start, to find peers that vanished (reloadable, for new connections)
 * @param keepAliveInterval   the time between keepalive probes
 * @param keepAliveCount      how many unanswered probes mean the peer is gone
 * @param greetingFile        text sent to every new connection before the name prompt, or
 *                            null for the built-in greeting (reloadable)
 * @param motdFile            the message of the day, sent to every user after registering,
 *                            or null for none (reloadable)
 * @param defaultRoom         the room everyone is in after registering
 * @param historyLength       how many lines each room keeps to replay to newcomers; 0 none
 * @param largeRoomSize       above how many members a room is large: it stops announcing joins
 *                            and leaves, and names its members by count and in pages; 0 for
 *                            never (reloadable)
 * @param plain               whether to listen for plain-text connections on {@code port}
 * @param tls                 how to listen for TLS connections, or null for not at all
 * @param passwordFile        a file whose first line every client must send with {@code /pass}
 *                            before its name, or null for no password (reloadable)
 * @param operatorsFile       the operator accounts, or null for none (reloadable)
 * @param bansFile            where bans are kept (read again on SIGHUP)
 * @param registrationsFile   where registered names and their keys are kept (read again on
 *                            SIGHUP), or null for a server that does not register names
 * @param proxyFingerprint    the SHA-256 fingerprint of the certificate clients see when a
 *                            TLS-terminating proxy takes their TLS and passes plain text on:
 *                            the signatures of plain connections are checked over it; null
 *                            when plain connections are plain to the client too (reloadable)
 * @param metrics             where to serve metrics for Prometheus, or null for not at all
 * @param web                 how to serve the web client and its WebSocket, or null for not at all
 * @param cluster             the NATS servers this node shares its chat through, or null for a
 *                            server on its own
 */
public record ServerConfig(String bind, int port, int maxClients, int maxPerAddress,
        List<AddressRange> exemptAddresses, int maxLineBytes, int sendQueueBytes, int floodBurst,
        double floodRate, int floodBacklogBytes, Duration registrationTimeout, Duration keepAliveIdle,
        Duration keepAliveInterval, int keepAliveCount, Path greetingFile, Path motdFile, String defaultRoom,
        int historyLength, int largeRoomSize, boolean plain, Tls tls, Path passwordFile, Path operatorsFile,
        Path bansFile, Path registrationsFile, String proxyFingerprint, Metrics metrics, Web web,
        Cluster cluster) {

    /**
     * The TLS listener's settings.
     *
     * @param port          the port; 0 picks a free one
     * @param keystore      a PKCS#12 keystore with the certificate and key, or null for a
     *                      self-signed one kept in {@code dataDirectory}
     * @param passwordFile  the file whose first line is the keystore's password (with {@code keystore})
     * @param dataDirectory where the self-signed certificate is made and kept
     */
    public record Tls(int port, Path keystore, Path passwordFile, Path dataDirectory) {
        public static final int DEFAULT_PORT = 5556;

        public Tls {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("tls-port must be 0 to 65535: " + port);
            }
            if (keystore != null && passwordFile == null) {
                throw new IllegalArgumentException("a keystore needs its password file (tls-keystore-password-file)");
            }
        }
    }

    /**
     * Where the metrics endpoint listens.
     *
     * @param bind the address; loopback by default, since the figures tell how the chat is used
     * @param port the port; 0 picks a free one
     */
    public record Metrics(String bind, int port) {
        public static final String DEFAULT_BIND = "127.0.0.1";

        public Metrics {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("metrics-port must be 0 to 65535: " + port);
            }
        }
    }

    /**
     * The web listener's settings: the web client's page and the WebSocket that carries its
     * lines, over HTTPS and WSS when TLS is on.
     *
     * @param port           the port; 0 picks a free one
     * @param origins        the origins (e.g. {@code https://chat.example.org}) whose pages may
     *                       open the WebSocket besides the page's own; empty for that one only
     * @param trustedProxies the reverse proxies whose {@code X-Forwarded-For} names the client's
     *                       address; empty to trust none
     */
    public record Web(int port, List<String> origins, List<AddressRange> trustedProxies) {
        public Web {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("web-port must be 0 to 65535: " + port);
            }
            origins = origins.stream().map(Web::normalizeOrigin).toList();
            trustedProxies = List.copyOf(trustedProxies);
        }

        /** An origin as browsers send it: scheme, host and port if not the default, lower case, no path. */
        private static String normalizeOrigin(String origin) {
            String trimmed = origin.strip().toLowerCase(java.util.Locale.ROOT);
            while (trimmed.endsWith("/")) {
                trimmed = trimmed.substring(0, trimmed.length() - 1);
            }
            if (!trimmed.matches("https?://[^/\\s]+")) {
                throw new IllegalArgumentException("web-origins: not an origin (scheme://host[:port]): " + origin);
            }
            return trimmed;
        }
    }

    /**
     * How this server joins a cluster of servers that share one chat through NATS JetStream.
     *
     * @param urls        the NATS servers, e.g. {@code nats://10.0.0.5:4222}; tried in turn
     * @param nodeName    this server's name in the cluster, unique in it
     * @param credentials a NATS credentials file ({@code .creds}), or a file whose first line is
     *                    {@code user:password} or a token; null for none
     * @param caFile      the PEM certificate of the authority that signed the NATS servers'
     *                    certificates, for {@code tls://} URLs; null for the JDK's own authorities
     */
    public record Cluster(List<String> urls, String nodeName, Path credentials, Path caFile) {
        public Cluster {
            urls = List.copyOf(urls);
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("cluster: no NATS server given");
            }
            for (String url : urls) {
                if (!url.matches("(nats|tls)://[^\\s/]+")) {
                    throw new IllegalArgumentException("cluster: not a NATS URL (nats://HOST:PORT or tls://HOST:PORT): "
                            + url);
                }
            }
            if (!nodeName.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("node-name: 1 to 64 letters, digits, - or _: " + nodeName);
            }
        }
    }

    public static final String DEFAULT_BIND = "0.0.0.0";
    public static final int DEFAULT_MAX_CLIENTS = 10_000;
    public static final int DEFAULT_MAX_PER_ADDRESS = 10;
    public static final List<String> DEFAULT_EXEMPT_ADDRESSES = List.of("127.0.0.0/8", "::1");
    public static final int DEFAULT_SEND_QUEUE_BYTES = 1024 * 1024;
    public static final int DEFAULT_FLOOD_BURST = 10;
    public static final double DEFAULT_FLOOD_RATE = 5;
    public static final int DEFAULT_FLOOD_BACKLOG_BYTES = 64 * 1024;
    public static final Duration DEFAULT_REGISTRATION_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_KEEPALIVE_IDLE = Duration.ofSeconds(60);
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_KEEPALIVE_COUNT = 6;
    public static final int DEFAULT_HISTORY_LENGTH = 20;
    public static final int DEFAULT_LARGE_ROOM_SIZE = 1000;
    public static final String DEFAULT_BANS_FILE = "bans.tsv";
    public static final String DEFAULT_REGISTRATIONS_FILE = "registrations.txt";

    public ServerConfig {
        exemptAddresses = List.copyOf(exemptAddresses);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535: " + port);
        }
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("max-line must be at least 1: " + maxLineBytes);
        }
        requireNotNegative("max-clients", maxClients);
        requireNotNegative("max-per-ip", maxPerAddress);
        requireNotNegative("send-queue", sendQueueBytes);
        requireNotNegative("flood-burst", floodBurst);
        requireNotNegative("flood-backlog", floodBacklogBytes);
        requireNotNegative("keepalive-count", keepAliveCount);
        requireNotNegative("history", historyLength);
        requireNotNegative("large-room-size", largeRoomSize);
        if (proxyFingerprint != null && !proxyFingerprint.replace(":", "").matches("[0-9A-Fa-f]{64}")) {
            throw new IllegalArgumentException("tls-proxy-fingerprint is not a SHA-256 fingerprint (64 hex digits): "
                    + proxyFingerprint);
        }
        if (!plain && tls == null && web == null) {
            throw new IllegalArgumentException("nothing to listen on: plain listening is off and TLS is not on");
        }
        if (!RoomNames.isValid(defaultRoom)) {
            throw new IllegalArgumentException("default-room: " + RoomNames.explanation() + ": " + defaultRoom);
        }
        if (!(floodRate >= 0) || Double.isInfinite(floodRate)) {
            throw new IllegalArgumentException("flood-rate must be 0 or more: " + floodRate);
        }
        if (floodRate > 0 && floodBurst == 0) {
            throw new IllegalArgumentException("flood-burst must be at least 1 when flood-rate is set");
        }
        for (Duration duration : List.of(registrationTimeout, keepAliveIdle, keepAliveInterval)) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative: " + duration);
            }
        }
    }

    private static void requireNotNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more: " + value);
        }
    }

    /** The defaults: every address, port 5555, the documented limits, the built-in greeting. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_BIND, Protocol.DEFAULT_PORT, DEFAULT_MAX_CLIENTS, DEFAULT_MAX_PER_ADDRESS,
                DEFAULT_EXEMPT_ADDRESSES.stream().map(AddressRange::parse).toList(),
                Protocol.DEFAULT_MAX_LINE_BYTES, DEFAULT_SEND_QUEUE_BYTES, DEFAULT_FLOOD_BURST, DEFAULT_FLOOD_RATE,
                DEFAULT_FLOOD_BACKLOG_BYTES, DEFAULT_REGISTRATION_TIMEOUT, DEFAULT_KEEPALIVE_IDLE,
                DEFAULT_KEEPALIVE_INTERVAL, DEFAULT_KEEPALIVE_COUNT, null, null, RoomNames.DEFAULT_ROOM,
                DEFAULT_HISTORY_LENGTH, DEFAULT_LARGE_ROOM_SIZE, true, null, null, null, Path.of(DEFAULT_BANS_FILE),
                Path.of(DEFAULT_REGISTRATIONS_FILE), null, null, null, null);
    }

    /** Whether flood control is on. */
    public boolean floodControl() {
        return floodRate > 0;
    }

    /** Whether TCP keepalive probing is on. */
    public boolean keepAlive() {
        return !keepAliveIdle.isZero() && !keepAliveInterval.isZero() && keepAliveCount > 0;
    }

    public ServerConfig withBind(String value) {
        return toBuilder().bind(value).build();
    }

    public ServerConfig withPort(int value) {
        return toBuilder().port(value).build();
    }

    public ServerConfig withMaxClients(int value) {
        return toBuilder().maxClients(value).build();
    }

    public ServerConfig withMaxLineBytes(int value) {
        return toBuilder().maxLineBytes(value).build();
    }

    public ServerConfig withSendQueueBytes(int value) {
        return toBuilder().sendQueueBytes(value).build();
    }

    public ServerConfig withGreetingFile(Path value) {
        return toBuilder().greetingFile(value).build();
    }

    /** The same settings with flood control off, for clients that send fast on purpose (tests, benchmarks). */
    public ServerConfig withoutFloodControl() {
        return toBuilder().floodRate(0).build();
    }

    /** A builder that starts from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes some settings of a {@link ServerConfig}; {@link #build()} checks them all. */
    public static final class Builder {
        private String bind;
        private int port;
        private int maxClients;
        private int maxPerAddress;
        private List<AddressRange> exemptAddresses;
        private int maxLineBytes;
        private int sendQueueBytes;
        private int floodBurst;
        private double floodRate;
        private int floodBacklogBytes;
        private Duration registrationTimeout;
        private Duration keepAliveIdle;
        private Duration keepAliveInterval;
        private int keepAliveCount;
        private Path greetingFile;
        private Path motdFile;
        private String defaultRoom;
        private int historyLength;
        private int largeRoomSize;
        private boolean plain;
        private Tls tls;
        private Path passwordFile;
        private Path operatorsFile;
        private Path bansFile;
        private Path registrationsFile;
        private String proxyFingerprint;
        private Metrics metrics;
        private Cluster cluster;
        private Web web;

        private Builder(ServerConfig from) {
            bind = from.bind;
            port = from.port;
            maxClients = from.maxClients;
            maxPerAddress = from.maxPerAddress;
            exemptAddresses = from.exemptAddresses;
            maxLineBytes = from.maxLineBytes;
            sendQueueBytes = from.sendQueueBytes;
            floodBurst = from.floodBurst;
            floodRate = from.floodRate;
            floodBacklogBytes = from.floodBacklogBytes;
            registrationTimeout = from.registrationTimeout;
            keepAliveIdle = from.keepAliveIdle;
            keepAliveInterval = from.keepAliveInterval;
            keepAliveCount = from.keepAliveCount;
            greetingFile = from.greetingFile;
            motdFile = from.motdFile;
            defaultRoom = from.defaultRoom;
            historyLength = from.historyLength;
            largeRoomSize = from.largeRoomSize;
            plain = from.plain;
            tls = from.tls;
            passwordFile = from.passwordFile;
            operatorsFile = from.operatorsFile;
            bansFile = from.bansFile;
            registrationsFile = from.registrationsFile;
            proxyFingerprint = from.proxyFingerprint;
            metrics = from.metrics;
            cluster = from.cluster;
            web = from.web;
        }

        public Builder bind(String value) {
            bind = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder maxClients(int value) {
            maxClients = value;
            return this;
        }

        public Builder maxPerAddress(int value) {
            maxPerAddress = value;
            return this;
        }

        public Builder exemptAddresses(List<AddressRange> value) {
            exemptAddresses = value;
            return this;
        }

        public Builder maxLineBytes(int value) {
            maxLineBytes = value;
            return this;
        }

        public Builder sendQueueBytes(int value) {
            sendQueueBytes = value;
            return this;
        }

        public Builder floodBurst(int value) {
            floodBurst = value;
            return this;
        }

        public Builder floodRate(double value) {
            floodRate = value;
            return this;
        }

        public Builder floodBacklogBytes(int value) {
            floodBacklogBytes = value;
            return this;
        }

        public Builder registrationTimeout(Duration value) {
            registrationTimeout = value;
            return this;
        }

        public Builder keepAlive(Duration idle, Duration interval, int count) {
            keepAliveIdle = idle;
            keepAliveInterval = interval;
            keepAliveCount = count;
            return this;
        }

        public Builder greetingFile(Path value) {
            greetingFile = value;
            return this;
        }

        public Builder motdFile(Path value) {
            motdFile = value;
            return this;
        }

        public Builder defaultRoom(String value) {
            defaultRoom = value;
            return this;
        }

        public Builder historyLength(int value) {
            historyLength = value;
            return this;
        }

        public Builder largeRoomSize(int value) {
            largeRoomSize = value;
            return this;
        }

        public Builder plain(boolean value) {
            plain = value;
            return this;
        }

        public Builder tls(Tls value) {
            tls = value;
            return this;
        }

        public Builder passwordFile(Path value) {
            passwordFile = value;
            return this;
        }

        public Builder operatorsFile(Path value) {
            operatorsFile = value;
            return this;
        }

        public Builder bansFile(Path value) {
            bansFile = value;
            return this;
        }

        /** Where registered names are kept; null for a server that does not register names. */
        public Builder registrationsFile(Path value) {
            registrationsFile = value;
            return this;
        }

        /** The certificate fingerprint clients of a TLS-terminating proxy see; null for none. */
        public Builder proxyFingerprint(String value) {
            proxyFingerprint = value;
            return this;
        }

        /** Where to serve metrics; null for not at all. */
        public Builder metrics(Metrics value) {
            metrics = value;
            return this;
        }

        /** How to serve the web client; null for not at all. */
        public Builder web(Web value) {
            web = value;
            return this;
        }

        /** The cluster to join; null for a server on its own. */
        public Builder cluster(Cluster value) {
            cluster = value;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(bind, port, maxClients, maxPerAddress, exemptAddresses, maxLineBytes,
                    sendQueueBytes, floodBurst, floodRate, floodBacklogBytes, registrationTimeout, keepAliveIdle,
                    keepAliveInterval, keepAliveCount, greetingFile, motdFile, defaultRoom, historyLength, largeRoomSize,
                    plain, tls, passwordFile, operatorsFile, bansFile, registrationsFile, proxyFingerprint,
                    metrics, web, cluster);
        }
    }
}
