package dev.chat.bench;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code chat-bench} command: runs one scenario against this server or an IRC server. */
@Command(name = "chat-bench", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        versionProvider = BenchMain.Version.class,
        description = "Load generator for the chat server (and IRC servers). Talks to loopback addresses only.",
        subcommands = {BenchMain.IdleCommand.class, BenchMain.FanoutCommand.class, BenchMain.ChurnCommand.class})
public final class BenchMain implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return CommandLine.ExitCode.USAGE;
    }

    /** Which server to load and how to reach it; shared by every scenario. */
    static final class TargetOptions {
        @Option(names = "--target", defaultValue = "chat", paramLabel = "chat|irc",
                description = "Protocol of the server: this chat server or IRC (default: ${DEFAULT-VALUE}).")
        String protocol;

        @Option(names = "--port", paramLabel = "PORT",
                description = "Load a server already listening on 127.0.0.1:PORT. Without it, a chat server is "
                        + "started for the run and stopped after it.")
        Integer port;

        @Option(names = "--pid", paramLabel = "PID", defaultValue = "-1",
                description = "PID of the server given with --port, for its CPU time and memory.")
        long pid;

        @Option(names = "--oper", paramLabel = "NAME:PASSWORD",
                description = "IRC: senders log in as operator (ngIRCd does not throttle operators).")
        String oper;

        @Option(names = "--server-java-opts", paramLabel = "OPTIONS", defaultValue = "",
                description = "JVM options for the started chat server, e.g. \"-XX:StartFlightRecording=filename=x.jfr\".")
        String serverJavaOptions;

        @Option(names = "--server-arg", paramLabel = "ARG",
                description = "An extra option for the started chat server (repeatable), e.g. --history=0; "
                        + "flood control is off already.")
        List<String> serverArgs = new ArrayList<>();

        @Option(names = "--source-addresses", defaultValue = "8", paramLabel = "K",
                description = "Spread client sockets over 127.0.0.1 … 127.0.0.K (default: ${DEFAULT-VALUE}).")
        int sourceAddresses;

        @Option(names = "--io-threads", defaultValue = "1", paramLabel = "T",
                description = "Generator threads reading the clients' sockets (default: ${DEFAULT-VALUE}).")
        int ioThreads;

        Dialect dialect() {
            return switch (protocol.toLowerCase(Locale.ROOT)) {
                case "chat" -> Dialect.chat();
                case "irc" -> {
                    String[] parts = oper == null ? new String[] {null, null} : oper.split(":", 2);
                    if (parts.length != 2) {
                        throw new CommandLine.ParameterException(new CommandLine(this), "--oper needs NAME:PASSWORD");
                    }
                    yield Dialect.irc(parts[0], parts[1]);
                }
                default -> throw new IllegalArgumentException("--target is chat or irc, not " + protocol);
            };
        }

        /** Runs {@code scenario} against the server named by these options, starting one if needed. */
        <T> T run(int clients, Scenario<T> scenario) throws Exception {
            Dialect dialect = dialect();
            if (port != null) {
                return scenario.run(new Target(new InetSocketAddress("127.0.0.1", port), pid, dialect), null);
            }
            if (!(dialect instanceof Dialect.Chat)) {
                throw new IllegalArgumentException("an IRC server must be started beforehand and named with --port");
            }
            List<String> jvm = serverJavaOptions.isBlank() ? List.of() : List.of(serverJavaOptions.trim().split("\\s+"));
            try (OurServer server = OurServer.start(jvm, serverArgs, clients + 100)) {
                System.out.printf(Locale.ROOT, "server: pid %d, port %d, started to listening in %.3f s, logs in %s%n",
                        server.pid(), server.port(), server.startSeconds(), server.directory());
                return scenario.run(new Target(new InetSocketAddress("127.0.0.1", server.port()), server.pid(),
                        dialect), server);
            }
        }
    }

    /** A scenario run against a target; {@code server} is null when the benchmark did not start it. */
    interface Scenario<T> {
        T run(Target target, OurServer server) throws Exception;
    }

    @Command(name = "idle", mixinStandardHelpOptions = true, description = "Open, register and hold N clients.")
    static final class IdleCommand implements Callable<Integer> {
        @Mixin
        TargetOptions target;

        @Option(names = "--clients", defaultValue = "1000", description = "Clients (default: ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--hold", defaultValue = "5", description = "Seconds to hold them (default: ${DEFAULT-VALUE}).")
        int hold;

        @Override
        public Integer call() throws Exception {
            Idle.Settings settings = new Idle.Settings(clients, Duration.ofSeconds(hold),
                    Duration.ofSeconds(600), target.sourceAddresses, target.ioThreads);
            Idle.Report report = target.run(clients, (t, server) ->
                    Idle.run(t, settings, server == null ? () -> -1 : server::liveHeapKiB));
            System.out.print(report.text());
            System.out.println(report.result());
            return report.established() == clients ? 0 : 1;
        }
    }

    @Command(name = "fanout", mixinStandardHelpOptions = true,
            description = "N clients in one room; K of them send at an aggregate rate; every delivery is timed.")
    static final class FanoutCommand implements Callable<Integer> {
        @Mixin
        TargetOptions target;

        @Option(names = "--clients", defaultValue = "100", description = "Clients (default: ${DEFAULT-VALUE}).")
        int clients;

        @Option(names = "--senders", defaultValue = "10", description = "Senders among them (default: ${DEFAULT-VALUE}).")
        int senders;

        @Option(names = "--rate", defaultValue = "1000", description = "Messages per second, all senders together "
                + "(default: ${DEFAULT-VALUE}).")
        int rate;

        @Option(names = "--duration", defaultValue = "10", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
        int duration;

        @Option(names = "--warm-up", defaultValue = "3", description = "Seconds sent before measuring "
                + "(default: ${DEFAULT-VALUE}).")
        int warmUp;

        @Option(names = "--padding", defaultValue = "0", description = "Extra characters per message "
                + "(default: ${DEFAULT-VALUE}).")
        int padding;

        @Option(names = "--drain-timeout", defaultValue = "10", description = "Seconds without a delivery after "
                + "which missing ones count as lost (default: ${DEFAULT-VALUE}).")
        int drainTimeout;

        @Override
        public Integer call() throws Exception {
            Fanout.Settings settings = new Fanout.Settings(clients, senders, rate, Duration.ofSeconds(warmUp),
                    Duration.ofSeconds(duration), Duration.ofSeconds(drainTimeout), target.sourceAddresses,
                    target.ioThreads, padding);
            Fanout.Report report = target.run(clients, (t, server) -> Fanout.run(t, settings));
            System.out.print(report.text());
            System.out.println(report.result());
            return report.lost() == 0 ? 0 : 1;
        }
    }

    @Command(name = "churn", mixinStandardHelpOptions = true,
            description = "Workers that connect, register and quit over and over.")
    static final class ChurnCommand implements Callable<Integer> {
        @Mixin
        TargetOptions target;

        @Option(names = "--workers", defaultValue = "8", description = "Clients at once (default: ${DEFAULT-VALUE}).")
        int workers;

        @Option(names = "--duration", defaultValue = "10", description = "Seconds (default: ${DEFAULT-VALUE}).")
        int duration;

        @Override
        public Integer call() throws Exception {
            Churn.Settings settings = new Churn.Settings(workers, Duration.ofSeconds(duration), target.sourceAddresses);
            Churn.Report report = target.run(workers, (t, server) -> Churn.run(t, settings));
            System.out.print(report.text());
            System.out.println(report.result());
            return report.failures() == 0 ? 0 : 1;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BenchMain.class.getPackage().getImplementationVersion();
            return new String[] {"chat-bench " + (version != null ? version : "(development build)")};
        }
    }
}
