package dev.chat.testkit;

import dev.chat.protocol.ServerLine;
import dev.chat.server.ChatServer;
import dev.chat.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A chat server in this JVM on 127.0.0.1 and a free port, for a test: a JUnit 5 extension
 * that stops the server after each test (or after the class, when the field is static),
 * with every wire client it handed out.
 *
 * <pre>{@code
 * @RegisterExtension
 * final TestServer server = TestServer.create().configure(config -> config.floodRate(0));
 *
 * @Test
 * void hello() throws IOException {
 *     WireClient alice = server.register("alice");
 * }
 * }</pre>
 *
 * <p>The server starts when a test first asks for it (its port, a client), so a test may
 * {@link #configure} it further first. It has a folder of its own for the files a server is
 * given ({@link #file}), deleted after it. Used by the test thread.
 */
public final class TestServer implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final String LOOPBACK = "127.0.0.1";

    private final List<UnaryOperator<ServerConfig.Builder>> configuration = new ArrayList<>();
    private final List<AutoCloseable> handedOut = new ArrayList<>();
    /** Set when the extension is registered on a static field: one server for the whole class. */
    private boolean classWide;
    private Path directory;
    private ChatServer server;
    /** The config the last server started with, with its ports fixed; null before the first start. */
    private ServerConfig lastConfig;

    private TestServer() {
    }

    /**
     * A server with the defaults (see {@link ServerConfig#defaults()}) but for where it listens,
     * and its bans and registered names kept in its own folder.
     */
    public static TestServer create() {
        return new TestServer();
    }

    /**
     * Adds to the server's configuration: in the field's initializer for every test, or in a
     * test (or a {@code @BeforeEach}) for that test. Before the server starts only.
     *
     * @throws IllegalStateException when the server has started
     */
    public TestServer configure(UnaryOperator<ServerConfig.Builder> more) {
        if (lastConfig != null) {
            throw new IllegalStateException("configure the test server before it starts");
        }
        configuration.add(more);
        return this;
    }

    /**
     * Makes the server a node called {@code nodeName} of the cluster that shares one chat
     * through {@code nats}, with flood control off (tests send fast).
     */
    public TestServer inCluster(NatsServer nats, String nodeName) {
        return configure(config -> config.floodRate(0).cluster(new ServerConfig.Cluster(List.of(nats.url()), nodeName,
                null, null)));
    }

    /** Asks for the server's password: {@code password}, written to a file of the server's folder. */
    public TestServer password(String password) {
        return configure(config -> config.passwordFile(file("password", password + "\n")));
    }

    /**
     * Gives the server one operator account, {@code account} with {@code password}, in an
     * operators file of the server's folder, as {@code --hash-password} writes it (with fewer
     * iterations, which the server takes from the line: a test's login need not take a third
     * of a second).
     */
    public TestServer operator(String account, String password) {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        int iterations = 1_000;
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        byte[] hash;
        try {
            hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        }
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        String line = account + " pbkdf2-sha256:" + iterations + ":" + base64.encodeToString(salt) + ":"
                + base64.encodeToString(hash) + "\n";
        return configure(config -> config.operatorsFile(file("operators", line)));
    }

    /**
     * Listens for TLS too, on a free port, with a self-signed certificate made in the server's
     * folder (once: a restarted server keeps its certificate).
     */
    public TestServer tls() {
        return configure(config -> config.tls(new ServerConfig.Tls(0, null, null, directory().resolve("tls"))));
    }

    /**
     * Starts the server, if it is not running; one stopped before starts again on the same
     * ports, as a restarted server would.
     *
     * @throws IOException when the server cannot start
     */
    public ChatServer start() throws IOException {
        if (server != null) {
            return server;
        }
        if (lastConfig == null) {
            ServerConfig.Builder builder = ServerConfig.defaults().toBuilder().bansFile(directory().resolve("bans.tsv"))
                    .registrationsFile(directory().resolve(ServerConfig.DEFAULT_REGISTRATIONS_FILE));
            for (UnaryOperator<ServerConfig.Builder> step : configuration) {
                builder = step.apply(builder);
            }
            ServerConfig config = builder.bind(LOOPBACK).port(0).build();
            server = ChatServer.start(config);
            // Started again, it takes the ports it was given this time.
            ServerConfig.Tls tls = config.tls();
            ServerConfig.Web web = config.web();
            lastConfig = config.toBuilder().port(config.plain() ? server.port() : config.port())
                    .tls(tls == null ? null : new ServerConfig.Tls(server.tlsPort(), tls.keystore(),
                            tls.passwordFile(), tls.dataDirectory()))
                    .web(web == null ? null : new ServerConfig.Web(server.webPort(), web.origins(),
                            web.trustedProxies()))
                    .build();
        } else {
            server = ChatServer.start(lastConfig);
        }
        return server;
    }

    /** Stops the server now, as {@link ChatServer#close()} does; {@link #start()} starts it again. */
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The running server, started if need be. */
    public ChatServer server() {
        try {
            return start();
        } catch (IOException e) {
            throw new UncheckedIOException("the test server did not start", e);
        }
    }

    /** The plain-text port, on 127.0.0.1. */
    public int port() {
        return server().port();
    }

    /** Serves the web client too, on a free port (see {@link ChatServer#webPort()}), to its own page's origin only. */
    public TestServer web() {
        return configure(config -> config.web(new ServerConfig.Web(0, java.util.List.of(), java.util.List.of())));
    }

    /** The TLS port, on 127.0.0.1; -1 without {@link #tls()}. */
    public int tlsPort() {
        return server().tlsPort();
    }

    /** How many users are registered. */
    public int userCount() {
        return server().userCount();
    }

    /** How many connections are open, with or without a name. */
    public int connectionCount() {
        return server().connectionCount();
    }

    /** A wire client connected to the server, closed after the test. */
    public WireClient connect() throws IOException {
        return closeAfter(WireClient.connect(port()));
    }

    /** A wire client with a small receive buffer (see {@link WireClient#connect(int, int)}), closed after the test. */
    public WireClient connect(int receiveBufferBytes) throws IOException {
        return closeAfter(WireClient.connect(port(), receiveBufferBytes));
    }

    /** A wire client connected from {@code local}, one of 127.0.0.0/8, closed after the test. */
    public WireClient connectFrom(InetAddress local) throws IOException {
        return closeAfter(WireClient.connectFrom(local, port()));
    }

    /** A wire client registered as {@code name} (see {@link WireClient#register(String)}), closed after the test. */
    public WireClient register(String name) throws IOException {
        return connect().register(name);
    }

    /**
     * A wire client registered as {@code name} once the name is free, trying for up to 5 s: a
     * node of a cluster frees a name just after it announces the leave, so a user of another
     * node may hear of the leave a moment before the name is free.
     */
    public WireClient registerWhenFree(String name) throws IOException {
        WireClient wire = connect();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> {
            wire.send(name);
            return wire.await(line -> line instanceof ServerLine.Welcome || line instanceof ServerLine.Error)
                    instanceof ServerLine.Welcome;
        });
        return wire;
    }

    /** Closes {@code closeable} after the test, before the server stops; returns it. */
    public <T extends AutoCloseable> T closeAfter(T closeable) {
        handedOut.add(closeable);
        return closeable;
    }

    /** The server's own folder, made on first use and deleted after the server stops for good. */
    public Path directory() {
        if (directory == null) {
            try {
                directory = Files.createTempDirectory("chat-test-server-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return directory;
    }

    /** Writes {@code content} to the file {@code name} of the server's folder, and returns its path. */
    public Path file(String name, String content) {
        try {
            return Files.writeString(directory().resolve(name), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Only a static field's extension is called here: its server serves the whole class.
        classWide = true;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        closeHandedOut();
        if (!classWide) {
            stopForGood();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        closeHandedOut();
        stopForGood();
    }

    private void closeHandedOut() throws Exception {
        Exception failure = null;
        for (AutoCloseable closeable : handedOut.reversed()) {
            try {
                closeable.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        handedOut.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private void stopForGood() throws IOException {
        stop();
        if (directory != null) {
            Folders.deleteTree(directory);
            directory = null;
        }
    }
}
