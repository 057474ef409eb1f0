package dev.chat.server;

import dev.chat.protocol.ErrorCode;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The web listener: serves the web client's page and files from the classpath folder
 * {@code web/}, and the WebSocket at {@link #PATH} that carries its lines into an ordinary
 * {@link ClientSession}, over HTTPS and WSS when the server has a TLS identity. Owns Jetty
 * (core handlers, no servlets), whose work runs on virtual threads.
 */
final class WebServer {

    private static final Logger log = LogManager.getLogger(WebServer.class);

    /** Where the page opens its WebSocket. */
    static final String PATH = "/chat";
    /** The classpath folder of the page and its files. */
    private static final String RESOURCES = "web/";
    /**
     * The largest frame read at once; a longer one comes in pieces of this size, so memory
     * stays bounded however long a line is, and a line over the limit is dropped as on TCP.
     */
    private static final int MAX_FRAME_BYTES = 64 * 1024;
    /** How long an HTTP connection (not a WebSocket) may stay silent. */
    private static final Duration HTTP_IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** How long stopping Jetty may take, once every session has ended. */
    private static final Duration STOP_TIMEOUT = Duration.ofMillis(500);

    private final Server jetty;
    private final ServerConnector connector;
    private final boolean tls;

    private WebServer(Server jetty, ServerConnector connector, boolean tls) {
        this.jetty = jetty;
        this.connector = connector;
        this.tls = tls;
    }

    /**
     * Starts the web listener of {@code chat} on {@code config}'s address and web port; it is
     * listening when this returns.
     *
     * @param identity the TLS identity, for HTTPS and WSS; null for HTTP and WS
     * @throws BindException when the port is in use or the address cannot be bound
     * @throws IOException   when Jetty cannot start
     */
    static WebServer start(ChatServer chat, ServerConfig config, TlsIdentity identity) throws IOException {
        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("web");
        Server jetty = new Server(threads);
        jetty.setStopTimeout(STOP_TIMEOUT.toMillis());

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        ServerConnector connector;
        if (identity != null) {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // A self-signed certificate names this host; a browser may come by another name or address.
            secure.setSniHostCheck(false);
            http.addCustomizer(secure);
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(identity.context());
            ssl.setIncludeProtocols(TlsIdentity.PROTOCOLS);
            connector = new KeepAliveConnector(jetty, chat, ssl, new HttpConnectionFactory(http));
        } else {
            connector = new KeepAliveConnector(jetty, chat, null, new HttpConnectionFactory(http));
        }
        connector.setHost(config.bind());
        connector.setPort(config.web().port());
        connector.setIdleTimeout(HTTP_IDLE_TIMEOUT.toMillis());
        connector.setReuseAddress(true);
        jetty.addConnector(connector);

        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(jetty).newClassLoaderResource(RESOURCES));
        files.setWelcomeFiles("index.html");
        files.setDirAllowed(false);
        // The page changes with the server: a browser asks again (and gets 304 when it is the same).
        files.setCacheControl("no-cache");

        WebSocketUpgradeHandler upgrades = new WebSocketUpgradeHandler();
        upgrades.addMapping(PATH, new Negotiator(chat));
        upgrades.setHandler(new KeyBinding(chat, files));
        jetty.setHandler(upgrades);
        try {
            jetty.start();
        } catch (Exception e) {
            stopQuietly(jetty);
            if (e instanceof IOException io) {
                throw io.getCause() instanceof BindException bind ? bind : io;
            }
            throw new IOException("the web listener did not start: " + e.getMessage(), e);
        }
        return new WebServer(jetty, connector, identity != null);
    }

    /** The port listened on (the one picked, when started with port 0). */
    int port() {
        return connector.getLocalPort();
    }

    /** Whether the page and the WebSocket are served over TLS. */
    boolean tls() {
        return tls;
    }

    /** Stops taking connections; the open ones go on. */
    void stopAccepting() {
        connector.close();
    }

    /** Stops Jetty; connections still open are closed. Blocks for at most about {@link #STOP_TIMEOUT}. */
    void stop() {
        stopQuietly(jetty);
    }

    private static void stopQuietly(Server jetty) {
        try {
            jetty.stop();
        } catch (Exception e) {
            log.warn("stopping the web listener: {}", e.getMessage());
        }
    }

    /**
     * Accepted connections get TCP keepalive with the server's timings, as TCP clients do; one
     * from an address that has as many as {@link WebConnectionLimit} allows is closed before
     * anything is read from it.
     */
    private static final class KeepAliveConnector extends ServerConnector {
        private final ChatServer chat;
        private final WebConnectionLimit limit = new WebConnectionLimit();
        /** The connections {@link #limit} counted, with their address (a closed one no longer tells it). */
        private final Map<EndPoint, InetAddress> counted = new ConcurrentHashMap<>();

        KeepAliveConnector(Server jetty, ChatServer chat, SslContextFactory.Server ssl,
                HttpConnectionFactory http) {
            super(jetty, ssl, http);
            this.chat = chat;
        }

        @Override
        protected void configure(Socket socket) {
            super.configure(socket);
            try {
                KeepAlive.apply(socket, chat.config());
            } catch (IOException e) {
                log.debug("keepalive not set: {}", e.getMessage());
            }
        }

        @Override
        protected void onEndPointOpened(EndPoint endPoint) {
            super.onEndPointOpened(endPoint);
            if (!(endPoint.getRemoteSocketAddress() instanceof InetSocketAddress peer) || peer.getAddress() == null) {
                return;
            }
            switch (limit.tryAcquire(peer.getAddress(), chat.config())) {
                case COUNTED -> counted.put(endPoint, peer.getAddress());
                case EXEMPT -> {
                }
                case REFUSED -> {
                    chat.metrics().connectionRefused(ErrorCode.TOO_MANY_CONNECTIONS);
                    log.warn("{}: web connection refused, too many open from that address", peer);
                    endPoint.close();
                }
            }
        }

        @Override
        protected void onEndPointClosed(EndPoint endPoint) {
            InetAddress address = counted.remove(endPoint);
            if (address != null) {
                limit.release(address);
            }
            super.onEndPointClosed(endPoint);
        }
    }

    /**
     * Takes a WebSocket upgrade from an allowed origin, and makes its transport: the client's
     * address is the one its trusted proxy forwarded, if any.
     */
    private static final class Negotiator implements WebSocketNegotiator {
        private final ChatServer chat;

        Negotiator(ChatServer chat) {
            this.chat = chat;
        }

        @Override
        public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response,
                Callback callback) {
            ServerConfig config = chat.config();
            ServerConfig.Web web = config.web();
            SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
            if (!(peer instanceof InetSocketAddress peerAddress) || peerAddress.getAddress() == null) {
                Response.writeError(request, response, callback, HttpStatus.BAD_REQUEST_400, "no client address");
                return null;
            }
            boolean viaProxy = ForwardedAddress.isTrusted(peerAddress.getAddress(), web.trustedProxies());
            String origin = request.getHeaders().get(HttpHeader.ORIGIN);
            if (origin != null && !originAllowed(origin, request, web, viaProxy)) {
                log.info("{}: WebSocket from origin {} refused", peerAddress, origin);
                Response.writeError(request, response, callback, HttpStatus.FORBIDDEN_403,
                        "this origin may not open the chat's WebSocket");
                return null;
            }
            // No compression: it would cost every connection a deflater's memory, for short lines.
            response.setExtensions(List.of());
            InetAddress client = ForwardedAddress.of(peerAddress.getAddress(),
                    request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR), web.trustedProxies());
            String remote = peerAddress.getAddress().getHostAddress() + ":" + peerAddress.getPort();
            if (!client.equals(peerAddress.getAddress())) {
                remote = client.getHostAddress() + " via " + remote;
            }
            return new WebSocketTransport(chat, client, remote, config);
        }

        @Override
        public void customize(Configuration configuration) {
            configuration.setMaxFrameSize(MAX_FRAME_BYTES);
            configuration.setAutoFragment(true);
            // A quiet user is never dropped: TCP keepalive finds the ones that vanished.
            configuration.setIdleTimeout(Duration.ZERO);
        }
    }

    /**
     * Whether a page from {@code origin} may open the WebSocket: the page's own origin (the
     * scheme and the Host the request came to; behind a trusted proxy, the scheme it forwarded),
     * or one the admin listed.
     */
    static boolean originAllowed(String origin, Request request, ServerConfig.Web web, boolean viaProxy) {
        String normalized = origin.strip().toLowerCase(Locale.ROOT);
        if (web.origins().contains(normalized)) {
            return true;
        }
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (host == null) {
            return false;
        }
        String scheme = request.isSecure() ? "https" : "http";
        String forwardedScheme = request.getHeaders().get(HttpHeader.X_FORWARDED_PROTO);
        if (viaProxy && forwardedScheme != null) {
            scheme = forwardedScheme.strip().toLowerCase(Locale.ROOT);
        }
        String own = scheme + "://" + host.strip().toLowerCase(Locale.ROOT);
        return normalized.equals(own) || normalized.equals(withoutDefaultPort(own));
    }

    private static String withoutDefaultPort(String origin) {
        if (origin.startsWith("http://") && origin.endsWith(":80")) {
            return origin.substring(0, origin.length() - 3);
        }
        if (origin.startsWith("https://") && origin.endsWith(":443")) {
            return origin.substring(0, origin.length() - 4);
        }
        return origin;
    }
}
