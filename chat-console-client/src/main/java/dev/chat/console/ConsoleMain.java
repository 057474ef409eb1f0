package dev.chat.console;

import dev.chat.client.Fingerprint;
import dev.chat.client.KnownServers;
import dev.chat.client.ServerAddress;
import dev.chat.client.identity.IdentityFile;
import dev.chat.client.identity.KnownKeys;
import dev.chat.protocol.PasswordFile;
import dev.chat.protocol.Protocol;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code chat console} command: reads the options, picks the screen, runs one session and exits with its status. */
@Command(name = "chat console",
        mixinStandardHelpOptions = true,
        versionProvider = ConsoleMain.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = "Chat from a terminal: messages arrive above the line you are typing.%n"
                + "When input is not a terminal, every input line is sent, received lines are printed plain, "
                + "and the client leaves at the end of input.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:you left (/quit, Ctrl+D, Ctrl+C, end of input)",
            "1:the server went away",
            "2:cannot connect, a bad command line, or your key cannot be used (see --no-keys)",
            "3:the name was refused (input is not a terminal)",
            "4:--wait-for saw no matching line in time",
            "5:the server password is wrong, or needed and not given (input is not a terminal)",
            "6:the server's certificate is not trusted (you said no, or a script met an unknown server)",
            "7:the server's certificate has changed since you trusted it",
            "70:a bug in the client (details with -v)"})
public final class ConsoleMain implements Callable<Integer> {

    /** Status for a command line that cannot be used; the same as for a failed connection. */
    static final int USAGE_ERROR = 2;

    /** Status for a bug in the client (EX_SOFTWARE of sysexits.h). */
    static final int INTERNAL_ERROR = 70;

    /** Where received files go by default, under the home directory. */
    static final Path DOWNLOADS_RELATIVE = Path.of(".chat", "downloads");

    /** Kept so that the configuration of the loggers is not collected. */
    private static final Logger PACKAGE_LOG = Logger.getLogger("dev.chat");
    private static final Logger JLINE_LOG = Logger.getLogger("org.jline");

    @Option(names = "--host", paramLabel = "HOST[,HOST…]", defaultValue = "localhost",
            description = "server host (default: ${DEFAULT-VALUE}); several, as a,b:5556,c, to sign on to the first "
                    + "that answers and move on to the next when it goes away (HOST:PORT for another port than --port)")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "server port, for hosts given without one (default: " + Protocol.DEFAULT_PORT
                    + ", with --tls " + Protocol.DEFAULT_TLS_PORT + ")")
    Integer port;

    @Option(names = "--tls", description = "connect with TLS; a certificate no authority vouches for is shown by "
            + "its fingerprint and asked about the first time, then remembered")
    boolean tls;

    @Option(names = "--password", paramLabel = "PASSWORD",
            description = "the server's password, for servers that ask for one (others are not sent it); "
                    + "asked for without echo when left out and input is a terminal")
    String password;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "read the server's password from the first line of FILE (not shown by ps)")
    Path passwordFile;

    @Option(names = "--known-servers", paramLabel = "FILE",
            description = "the file of trusted server fingerprints (default: ~/.chat/known-servers)")
    Path knownServers;

    @Option(names = "--trust-fingerprint", paramLabel = "SHA256",
            description = "with --tls: trust a server not known yet if its certificate has this SHA-256 "
                    + "fingerprint, and remember it (for scripts)")
    String trustFingerprint;

    @Option(names = "--downloads", paramLabel = "DIR",
            description = "where files received over direct connections are saved (default: ~/.chat/downloads)")
    Path downloads;

    @Option(names = "--name", paramLabel = "NAME", description = "the name to chat under; asked for when left out")
    String name;

    @Option(names = "--no-keys",
            description = "run without keys: no ~/.chat/identity is made or read, no name can be registered, "
                    + "and private messages go unencrypted")
    boolean noKeys;

    @Option(names = "--reconnect",
            description = "when the server goes away, try again (1 s doubling to 30 s) and register the same name "
                    + "(always on with several servers in --host, which are tried in turn)")
    boolean reconnect;

    @Option(names = "--connect-timeout", defaultValue = "5s", converter = DurationConverter.class,
            paramLabel = "DURATION", description = "give up connecting after this long (default: ${DEFAULT-VALUE})")
    Duration connectTimeout;

    @Option(names = "--no-color", description = "no colours (also when NO_COLOR is set or output is not a terminal)")
    boolean noColor;

    @Option(names = {"-v", "--verbose"}, description = "show debug details, such as why a connection failed")
    boolean verbose;

    @Option(names = "--wait-for", paramLabel = "PATTERN",
            description = "scripts: at the end of input, wait for a received line matching this regular expression "
                    + "before leaving")
    String waitFor;

    @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "how long --wait-for waits (default: ${DEFAULT-VALUE})")
    Duration timeout;

    private final ConsoleEnvironment environment;
    private final boolean ownProcess;

    ConsoleMain(ConsoleEnvironment environment, boolean ownProcess) {
        this.environment = environment;
        this.ownProcess = ownProcess;
    }

    public static void main(String[] args) {
        System.exit(run(args, ConsoleEnvironment.system(), true));
    }

    /**
     * Runs the client with {@code args} in {@code environment}, blocking the calling thread
     * until the session ends.
     *
     * @param ownProcess whether this is the whole process (then Ctrl+C outside a read still says goodbye)
     * @return the exit status
     */
    static int run(String[] args, ConsoleEnvironment environment, boolean ownProcess) {
        CommandLine commandLine = new CommandLine(new ConsoleMain(environment, ownProcess))
                .setOut(new java.io.PrintWriter(environment.out(), true))
                .setErr(new java.io.PrintWriter(environment.err(), true))
                .setParameterExceptionHandler((e, arguments) -> {
                    e.getCommandLine().getErr().println(e.getMessage() + " (see --help)");
                    return USAGE_ERROR;
                })
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    // A bug, not a network failure: still one line, details only with -v.
                    PACKAGE_LOG.log(Level.SEVERE, "unexpected failure", e);
                    line.getErr().println("Unexpected error: " + e + " (details with -v)");
                    return INTERNAL_ERROR;
                });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws InterruptedException {
        Pattern pattern;
        try {
            pattern = waitFor == null ? null : Pattern.compile(waitFor);
        } catch (PatternSyntaxException e) {
            environment.err().println("--wait-for: not a regular expression: " + e.getDescription() + " (see --help)");
            return USAGE_ERROR;
        }
        int serverPort = port != null ? port : tls ? Protocol.DEFAULT_TLS_PORT : Protocol.DEFAULT_PORT;
        if (serverPort < 1 || serverPort > 65535) {
            environment.err().println("--port must be between 1 and 65535 (see --help)");
            return USAGE_ERROR;
        }
        List<ServerAddress> servers;
        try {
            servers = ServerAddress.parseList(host, serverPort);
        } catch (IllegalArgumentException e) {
            environment.err().println("--host: " + e.getMessage() + " (see --help)");
            return USAGE_ERROR;
        }
        String fingerprint = null;
        if (trustFingerprint != null) {
            fingerprint = Fingerprint.parse(trustFingerprint).orElse(null);
            if (fingerprint == null || !tls) {
                environment.err().println(fingerprint == null
                        ? "--trust-fingerprint: not a SHA-256 fingerprint (32 hex pairs, e.g. 9E:1E:…:9A:17)"
                        : "--trust-fingerprint needs --tls (see --help)");
                return USAGE_ERROR;
            }
        }
        String serverPassword = password;
        if (passwordFile != null) {
            if (password != null) {
                environment.err().println("--password and --password-file: give one (see --help)");
                return USAGE_ERROR;
            }
            try {
                serverPassword = PasswordFile.read(passwordFile);
            } catch (IOException e) {
                environment.err().println("--password-file: " + e.getMessage());
                return USAGE_ERROR;
            }
        }
        if (serverPassword != null && serverPassword.isBlank()) {
            environment.err().println("The server password is empty (see --help)");
            return USAGE_ERROR;
        }
        Path known = knownServers != null ? knownServers
                : environment.home().resolve(KnownServers.DEFAULT_RELATIVE);
        silenceLogging();
        Terminal terminal;
        try {
            terminal = environment.terminals().open();
        } catch (IOException e) {
            environment.err().println("Cannot open the terminal: " + e.getMessage());
            return USAGE_ERROR;
        }
        if (terminal == null && name == null) {
            environment.err().println("--name is needed when input or output is not a terminal (see --help)");
            return USAGE_ERROR;
        }
        ConsoleOptions options = new ConsoleOptions(servers, name, reconnect || servers.size() > 1, connectTimeout,
                noColor, verbose, pattern, timeout, tls, known, fingerprint, serverPassword,
                downloads != null ? downloads : environment.home().resolve(DOWNLOADS_RELATIVE));
        AtomicReference<ConsoleSession> session = new AtomicReference<>();
        try (ConsoleView view = terminal == null
                ? new PlainView(environment.in(), environment.out(), environment.err())
                : terminalView(terminal, session)) {
            configureLogging(view);
            IdentityFile.Opened keys = null;
            if (!noKeys) {
                keys = openKeys(view);
                if (keys == null) {
                    return USAGE_ERROR;
                }
            }
            session.set(new ConsoleSession(options, view, environment.err(), keys == null ? null : keys.identity(),
                    keys == null ? null : KnownKeys.inHome(environment.home())));
            Thread goodbye = Thread.ofPlatform().name("chat-shutdown").unstarted(() -> session.get().leaveQuietly());
            if (ownProcess) {
                Runtime.getRuntime().addShutdownHook(goodbye);
            }
            try {
                return session.get().run().code();
            } finally {
                if (ownProcess) {
                    Runtime.getRuntime().removeShutdownHook(goodbye);
                }
            }
        }
    }

    /**
     * The user's keys from {@code ~/.chat/identity}, made there on first use; asks for the
     * passphrase only when the file has one. Returns null, after saying why on stderr, when they
     * cannot be used.
     */
    private IdentityFile.Opened openKeys(ConsoleView view) {
        IdentityFile file = IdentityFile.inHome(environment.home());
        try {
            IdentityFile.Opened opened = file.open((path, wrong) -> {
                if (!view.interactive()) {
                    return null;
                }
                if (wrong) {
                    view.notice("Wrong passphrase.");
                }
                return view.readSecret("Passphrase of your key (" + path + "): ") instanceof ConsoleView.Input.Line line
                        ? line.text().toCharArray() : null;
            });
            if (opened == null) {
                environment.err().println("Your key in " + file.file() + " has a passphrase"
                        + (view.interactive() ? ", and none was given" : ", which a script cannot give")
                        + ": give it, or run with --no-keys.");
                return null;
            }
            if (opened.created() && view.interactive()) {
                view.notice("Made your key in " + file.file() + " (fingerprint "
                        + opened.identity().publicIdentity().fingerprint() + ").");
                view.notice("Private messages to others whose clients have keys are now encrypted end to end;"
                        + " /register keeps your name yours. Keep the file to yourself.");
            }
            return opened;
        } catch (IOException e) {
            environment.err().println("Your key cannot be used: " + e.getMessage() + " (or run with --no-keys).");
            return null;
        }
    }

    private TerminalView terminalView(Terminal terminal, AtomicReference<ConsoleSession> session) {
        boolean colour = !noColor && !environment.noColorVariable() && supportsColour(terminal);
        ChatCompleter completer = new ChatCompleter(() -> session.get().online(), () -> session.get().name(),
                () -> session.get().knownRooms(), prefix -> session.get().findNames(prefix));
        return new TerminalView(terminal, new LineStyle(colour), completer,
                environment.home().resolve(".chat").resolve("console-history"));
    }

    private static boolean supportsColour(Terminal terminal) {
        Integer colours = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
        return colours != null && colours >= 8;
    }

    /** Until a view is there to show it, nothing is logged: no library may print to stderr as it likes. */
    private static void silenceLogging() {
        for (Logger logger : new Logger[] {PACKAGE_LOG, JLINE_LOG}) {
            logger.setUseParentHandlers(false);
            for (var handler : logger.getHandlers()) {
                logger.removeHandler(handler);
            }
            logger.setLevel(Level.OFF);
        }
    }

    /** With {@code -v}, the client's debug log and JLine's warnings go through the view. */
    private void configureLogging(ConsoleView view) {
        if (!verbose) {
            return;
        }
        ViewLogHandler handler = new ViewLogHandler(view);
        handler.setLevel(Level.ALL);
        PACKAGE_LOG.setLevel(Level.FINE);
        PACKAGE_LOG.addHandler(handler);
        JLINE_LOG.setLevel(Level.WARNING);
        JLINE_LOG.addHandler(handler);
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ConsoleMain.class.getPackage().getImplementationVersion();
            return new String[] {"chat console " + (version == null ? "(development build)" : version)};
        }
    }
}
