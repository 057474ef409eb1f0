package dev.chat.server;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code chat-server} command: reads options, starts the server, and answers signals. */
@Command(name = "chat-server", mixinStandardHelpOptions = true, versionProvider = ServerMain.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Runs the chat server. SIGINT or SIGTERM stops it gracefully; SIGHUP reopens the log "
                + "files and reloads the configuration file and the greeting.")
public final class ServerMain implements Callable<Integer> {

    /** Exit status when the server cannot start (port in use, unreadable file). */
    static final int EXIT_CANNOT_START = 1;
    /** With {@code --cluster}: no NATS server could be reached, or it has no JetStream. */
    static final int EXIT_CLUSTER_UNREACHABLE = 3;
    /** With {@code --cluster}: a node of the same name is running in the cluster. */
    static final int EXIT_NODE_NAME_TAKEN = 4;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = ServerConfig.DEFAULT_BIND,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, every address).")
    String bind;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "5555",
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--no-plain", description = "Do not listen for plain-text connections (with --tls: TLS only).")
    boolean noPlain;

    @Option(names = "--tls", description = "Listen for TLS connections on --tls-port too.")
    boolean tls;

    @Option(names = "--tls-port", paramLabel = "PORT", defaultValue = "5556",
            description = "Port for TLS connections; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int tlsPort;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "A PKCS#12 keystore with the certificate and key (default: a self-signed certificate made "
                    + "at first start and kept in --data-dir).")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password-file", paramLabel = "FILE",
            description = "The file whose first line is the keystore's password.")
    Path tlsKeystorePasswordFile;

    @Option(names = "--web-port", paramLabel = "PORT",
            description = "Serve the web client (its page and its WebSocket) on this port; with --tls over HTTPS "
                    + "and WSS; 0 picks a free one (default: off).")
    Integer webPort;

    @Option(names = "--web-origins", paramLabel = "ORIGIN", split = ",",
            description = "Origins (scheme://host[:port]) whose pages may open the WebSocket besides the page's own, "
                    + "comma-separated (default: the page's own only).")
    List<String> webOrigins;

    @Option(names = "--web-trusted-proxies", paramLabel = "CIDR", split = ",",
            description = "Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated "
                    + "(default: none).")
    List<String> webTrustedProxies;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ".",
            description = "Where the server keeps what it makes, such as its self-signed certificate "
                    + "(default: the working directory).")
    Path dataDirectory;

    @Option(names = "--max-clients", paramLabel = "N", defaultValue = "10000",
            description = "Most connections at once; one more is told the server is full (default: ${DEFAULT-VALUE}).")
    int maxClients;

    @Option(names = "--max-per-ip", paramLabel = "N", defaultValue = "10",
            description = "Most connections at once from one IP address; 0 for no limit (default: ${DEFAULT-VALUE}).")
    int maxPerIp;

    @Option(names = "--exempt", paramLabel = "CIDR", split = ",", defaultValue = "127.0.0.0/8,::1",
            description = "Addresses --max-per-ip does not apply to, comma-separated (default: ${DEFAULT-VALUE}).")
    List<String> exempt;

    @Option(names = "--max-line", paramLabel = "BYTES", defaultValue = "4096",
            description = "Longest line a client may send (default: ${DEFAULT-VALUE}).")
    int maxLine;

    @Option(names = "--send-queue", paramLabel = "BYTES", defaultValue = "1048576",
            description = "Most bytes waiting for one client before it is dropped as too slow "
                    + "(default: ${DEFAULT-VALUE}).")
    int sendQueue;

    @Option(names = "--flood-burst", paramLabel = "LINES", defaultValue = "10",
            description = "Lines a client may send at once before it is slowed down (default: ${DEFAULT-VALUE}).")
    int floodBurst;

    @Option(names = "--flood-rate", paramLabel = "LINES", defaultValue = "5",
            description = "Lines per second a client may send after its burst; faster lines wait. "
                    + "0 turns flood control off (default: ${DEFAULT-VALUE}).")
    double floodRate;

    @Option(names = "--flood-backlog", paramLabel = "BYTES", defaultValue = "65536",
            description = "Unread input a slowed-down client may pile up before it is disconnected; 0 for no limit "
                    + "(default: ${DEFAULT-VALUE}).")
    int floodBacklog;

    @Option(names = "--registration-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long a connection may stay without a name; 0 for ever (default: ${DEFAULT-VALUE}).")
    int registrationTimeout;

    @Option(names = "--keepalive-idle", paramLabel = "SECONDS", defaultValue = "60",
            description = "Silence before TCP keepalive probes look for a vanished client; 0 turns keepalive off "
                    + "(default: ${DEFAULT-VALUE}).")
    int keepAliveIdle;

    @Option(names = "--keepalive-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Time between keepalive probes (default: ${DEFAULT-VALUE}).")
    int keepAliveInterval;

    @Option(names = "--keepalive-count", paramLabel = "N", defaultValue = "6",
            description = "Unanswered probes after which the client is gone (default: ${DEFAULT-VALUE}).")
    int keepAliveCount;

    @Option(names = "--greeting-file", paramLabel = "FILE",
            description = "Text every new connection reads before the name prompt (default: built in).")
    Path greetingFile;

    @Option(names = "--motd-file", paramLabel = "FILE",
            description = "The message of the day, shown to every user after registering (default: none).")
    Path motdFile;

    @Option(names = "--default-room", paramLabel = "#ROOM", defaultValue = "#lobby",
            description = "The room everyone is in after registering (default: ${DEFAULT-VALUE}).")
    String defaultRoom;

    @Option(names = "--history", paramLabel = "LINES", defaultValue = "20",
            description = "Lines each room replays to newcomers; 0 for none (default: ${DEFAULT-VALUE}).")
    int history;

    @Option(names = "--large-room-size", paramLabel = "MEMBERS", defaultValue = "1000",
            description = "Above this many members a room is large: joins and leaves are not announced, and who is "
                    + "in it is told as a count and asked for in pages or by prefix; 0 for never "
                    + "(default: ${DEFAULT-VALUE}).")
    int largeRoomSize;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "A file whose first line is the server's password: clients must send /pass PASSWORD "
                    + "before their name (default: no password).")
    Path passwordFile;

    @Option(names = "--operators-file", paramLabel = "FILE",
            description = "Operator accounts, one \"NAME HASH\" line each, made with --hash-password (default: none).")
    Path operatorsFile;

    @Option(names = "--bans-file", paramLabel = "FILE",
            description = "Where bans are kept (default: bans.tsv in --data-dir).")
    Path bansFile;

    @Option(names = "--registrations-file", paramLabel = "FILE",
            description = "Where registered names and their keys are kept (default: "
                    + ServerConfig.DEFAULT_REGISTRATIONS_FILE + " in --data-dir).")
    Path registrationsFile;

    @Option(names = "--no-registration",
            description = "Register no names: send no key challenge, and refuse /register and /publish.")
    boolean noRegistration;

    @Option(names = "--tls-proxy-fingerprint", paramLabel = "SHA256",
            description = "Behind a proxy that takes the clients' TLS and passes plain text on: the SHA-256 "
                    + "fingerprint of the certificate the clients see, which their key signatures cover.")
    String tlsProxyFingerprint;

    @Option(names = "--hash-password", paramLabel = "NAME",
            description = "Read a password (from the terminal, or one line of standard input), print a line for the "
                    + "operators file for account NAME, and exit.")
    String hashPasswordFor;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve metrics for Prometheus on http://METRICS-BIND:PORT/metrics; 0 picks a free port "
                    + "(default: off).")
    Integer metricsPort;

    @Option(names = "--metrics-bind", paramLabel = "ADDRESS", defaultValue = ServerConfig.Metrics.DEFAULT_BIND,
            description = "Address the metrics endpoint listens on (default: ${DEFAULT-VALUE}: the figures tell how "
                    + "the chat is used).")
    String metricsBind;

    @Option(names = "--cluster", paramLabel = "URL", split = ",", descriptionKey = "cluster.url",
            description = "Share one chat with the other servers using these NATS JetStream servers, e.g. "
                    + "nats://10.0.0.5:4222 (default: off, this server on its own).")
    List<String> clusterUrls;

    @Option(names = "--node-name", paramLabel = "NAME", descriptionKey = "cluster.node-name",
            description = "This server's name in the cluster, unique in it (default: the host name and the port).")
    String nodeName;

    @Option(names = "--cluster-credentials", paramLabel = "FILE", descriptionKey = "cluster.credentials",
            description = "A NATS credentials file (.creds), or a file whose first line is user:password or a token.")
    Path clusterCredentials;

    @Option(names = "--cluster-ca", paramLabel = "FILE", descriptionKey = "cluster.ca",
            description = "The PEM certificate of the authority that signed the NATS servers' certificates, for "
                    + "tls:// URLs (default: the JDK's authorities).")
    Path clusterCa;

    @Option(names = "--log-file", paramLabel = "FILE", defaultValue = "chat.log",
            description = "The chat log (default: ${DEFAULT-VALUE} in the working directory).")
    Path logFile;

    @Option(names = "--diagnostic-log", paramLabel = "FILE", defaultValue = "chat-server.log",
            description = "The diagnostic log (default: ${DEFAULT-VALUE} in the working directory).")
    Path diagnosticLog;

    @Option(names = "--log-config", paramLabel = "FILE",
            description = "A log4j2.xml to use instead of the built-in one.")
    Path logConfig;

    @Option(names = "--config", paramLabel = "FILE",
            description = "A properties file of defaults for these options (for example max-clients=500); "
                    + "options given here win. Read again on SIGHUP.")
    Path configFile;

    @Option(names = {"-v", "--verbose"}, description = "Log debugging detail to the diagnostic log.")
    boolean verbose;

    private final String[] args;
    private final CountDownLatch stop = new CountDownLatch(1);

    ServerMain(String[] args) {
        this.args = args.clone();
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses {@code args} (the configuration file's values under them) and runs the server. */
    static int run(String[] args) {
        // Log4j cannot start before the options name its files; what of it needs no option is
        // readied meanwhile on another core.
        LogWarmUp.start();
        ServerMain options = new ServerMain(args);
        CommandLine commandLine = commandLine(options, args);
        if (commandLine == null) {
            return CommandLine.ExitCode.USAGE;
        }
        return commandLine.execute(args);
    }

    /**
     * A picocli command line for {@code options}, with the defaults of the configuration file
     * that {@code args} names, if any; null (after saying why) when that file cannot be read.
     */
    private static CommandLine commandLine(ServerMain options, String[] args) {
        CommandLine commandLine = new CommandLine(options)
                .setParameterExceptionHandler(ServerMain::badOption);
        Path file = configFileIn(args);
        if (file != null) {
            if (!file.toFile().canRead()) {
                System.err.println("chat-server: cannot read configuration file " + file);
                return null;
            }
            commandLine.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(file.toFile()));
        }
        return commandLine;
    }

    /** The value of {@code --config} in {@code args}, found by a first lenient parse. */
    private static Path configFileIn(String[] args) {
        // A second picocli model costs about 5 % of the start: it is built only when --config
        // (or an @argument file, which picocli reads in) can be there.
        if (Arrays.stream(args).noneMatch(arg -> arg.startsWith("--config") || arg.startsWith("@"))) {
            return null;
        }
        ServerMain probe = new ServerMain(args);
        CommandLine lenient = new CommandLine(probe).setUnmatchedArgumentsAllowed(true);
        try {
            lenient.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return null;
        }
        return probe.configFile;
    }

    private static int badOption(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("chat-server: " + e.getMessage() + " (try --help)");
        return CommandLine.ExitCode.USAGE;
    }

    ServerConfig toConfig() {
        return new ServerConfig(bind, port, maxClients, maxPerIp, exempt.stream().map(AddressRange::parse).toList(),
                maxLine, sendQueue, floodBurst, floodRate, floodBacklog, Duration.ofSeconds(registrationTimeout),
                Duration.ofSeconds(keepAliveIdle), Duration.ofSeconds(keepAliveInterval), keepAliveCount,
                greetingFile, motdFile, defaultRoom, history, largeRoomSize, !noPlain,
                tls ? new ServerConfig.Tls(tlsPort, tlsKeystore, tlsKeystorePasswordFile, dataDirectory) : null,
                passwordFile, operatorsFile, bansFile != null ? bansFile
                        : dataDirectory.resolve(ServerConfig.DEFAULT_BANS_FILE),
                noRegistration ? null : registrationsFile != null ? registrationsFile
                        : dataDirectory.resolve(ServerConfig.DEFAULT_REGISTRATIONS_FILE),
                tlsProxyFingerprint,
                metricsPort == null ? null : new ServerConfig.Metrics(metricsBind, metricsPort),
                webPort == null ? null : new ServerConfig.Web(webPort, webOrigins == null ? List.of() : webOrigins,
                        webTrustedProxies == null ? List.of()
                                : webTrustedProxies.stream().map(AddressRange::parse).toList()),
                clusterUrls == null || clusterUrls.isEmpty() ? null
                        : new ServerConfig.Cluster(clusterUrls, nodeName != null ? nodeName : defaultNodeName(),
                                clusterCredentials, clusterCa));
    }

    /** The host name and the port: what tells two nodes apart when nobody names them. */
    private String defaultNodeName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "node";
        }
        int dot = host.indexOf('.');
        String shortHost = (dot > 0 ? host.substring(0, dot) : host).replaceAll("[^A-Za-z0-9_-]", "-");
        return shortHost + "-" + port;
    }

    @Override
    public Integer call() {
        if (hashPasswordFor != null) {
            return hashPassword(hashPasswordFor);
        }
        // Log4j reads these when it starts, which is at the first logger below.
        setLogFileProperties("chat.log", logFile);
        setLogFileProperties("chat.diagnostic", diagnosticLog);
        System.setProperty("chat.log.level", verbose ? "DEBUG" : "INFO");
        if (logConfig != null) {
            System.setProperty("log4j2.configurationFile", logConfig.toString());
        }
        Logger log = LogManager.getLogger(ServerMain.class);
        Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
                log.error("unexpected failure in thread {}", thread.getName(), e));

        ServerConfig config;
        try {
            config = toConfig();
        } catch (IllegalArgumentException e) {
            System.err.println("chat-server: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        warnIfOverFileLimit(config.maxClients(), log);
        ChatServer server;
        try {
            server = ChatServer.start(config);
        } catch (BindException e) {
            String ports = config.plain() ? Integer.toString(config.port()) : "";
            if (config.tls() != null) {
                ports += (ports.isEmpty() ? "" : " or ") + config.tls().port();
            }
            if (config.web() != null) {
                ports += (ports.isEmpty() ? "" : " or ") + config.web().port();
            }
            System.err.println("chat-server: cannot listen on " + config.bind() + ":" + ports + ": "
                    + e.getMessage());
            LogManager.shutdown();
            return EXIT_CANNOT_START;
        } catch (ClusterLink.UnreachableException e) {
            System.err.println("chat-server: cannot join the cluster: " + e.getMessage());
            LogManager.shutdown();
            return EXIT_CLUSTER_UNREACHABLE;
        } catch (ClusterLink.NodeNameTakenException e) {
            System.err.println("chat-server: cannot join the cluster: " + e.getMessage());
            LogManager.shutdown();
            return EXIT_NODE_NAME_TAKEN;
        } catch (IOException e) {
            System.err.println("chat-server: cannot start: " + e.getMessage());
            LogManager.shutdown();
            return EXIT_CANNOT_START;
        }
        // Before the "listening" line: whoever waits for it may send a signal straight away.
        Signals.handle("INT", stop::countDown);
        Signals.handle("TERM", stop::countDown);
        Signals.handle("HUP", () -> reload(server, log));
        if (server.port() >= 0) {
            System.out.println(ListeningLine.plain(config.bind(), server.port(), logFile));
        }
        if (server.tlsPort() >= 0) {
            System.out.println(ListeningLine.tls(config.bind(), server.tlsPort(), server.tlsFingerprint()));
        }
        if (server.metricsPort() >= 0) {
            System.out.println(ListeningLine.metrics(config.metrics().bind(), server.metricsPort()));
        }
        if (server.webPort() >= 0) {
            System.out.println(ListeningLine.web(config.bind(), server.webPort(), server.webTls()));
        }
        System.out.flush();

        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stop requested");
        server.close();
        LogManager.shutdown();
        return CommandLine.ExitCode.OK;
    }

    /** {@code --hash-password NAME}: prints an operators-file line; the password itself is never printed. */
    private static int hashPassword(String name) {
        if (!dev.chat.protocol.NameRules.isValid(name)) {
            System.err.println("chat-server: \"" + name + "\" is not a valid account name (the name rules apply)");
            return CommandLine.ExitCode.USAGE;
        }
        char[] password;
        java.io.Console console = System.console();
        if (console != null && console.isTerminal()) {
            password = console.readPassword("Password for operator %s: ", name);
        } else {
            String line;
            try {
                line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in,
                        java.nio.charset.StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                line = null;
            }
            password = line == null ? null : line.toCharArray();
        }
        if (password == null || password.length == 0) {
            System.err.println("chat-server: no password given");
            return CommandLine.ExitCode.USAGE;
        }
        System.out.println(Operators.entry(name, password));
        java.util.Arrays.fill(password, '\0');
        return CommandLine.ExitCode.OK;
    }

    /** Tells log4j2.xml where a log goes: the file, and its folder and name for deleting old ones. */
    private static void setLogFileProperties(String prefix, Path file) {
        Path absolute = file.toAbsolutePath();
        System.setProperty(prefix + ".file", absolute.toString());
        System.setProperty(prefix + ".directory", absolute.getParent().toString());
        System.setProperty(prefix + ".name", absolute.getFileName().toString());
    }

    /**
     * Says, on stderr and in the diagnostic log, when {@code --max-clients} is more than the
     * open-file limit allows. The JVM has already raised its soft limit to the hard one.
     */
    private static void warnIfOverFileLimit(int maxClients, Logger log) {
        OpenFileLimit.current().ifPresent(limit -> {
            String warning = OpenFileLimit.warningFor(maxClients, limit);
            if (warning != null) {
                System.err.println("chat-server: warning: " + warning);
                // INFO, not WARN: the line above is what the admin sees; WARN would print it twice.
                log.info(warning);
            }
        });
    }

    /** Answers SIGHUP: reopens the logs, then reads the configuration and the greeting again. */
    private void reload(ChatServer server, Logger log) {
        server.reopenLogs();
        ServerMain fresh = new ServerMain(args);
        CommandLine commandLine = commandLine(fresh, args);
        try {
            if (commandLine == null) {
                log.error("configuration not reloaded: cannot read {}", configFile);
                return;
            }
            commandLine.parseArgs(args);
            server.reload(fresh.toConfig());
        } catch (CommandLine.ParameterException | IllegalArgumentException | IOException e) {
            log.error("configuration not reloaded, the previous one stays: {}", e.getMessage());
        }
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ServerMain.class.getPackage().getImplementationVersion();
            return new String[] {"chat-server " + (version != null ? version : "(development build)")};
        }
    }
}
