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
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@code main} runs it. */
    static CommandLine commandLine() {
        return new CommandLine(new BenchMain()).setExecutionExceptionHandler(BenchMain::failed);
    }

    /** A run that could not be made says why in one line, without a stack trace. */
    private static int failed(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) throws Exception {
        if (!(e instanceof java.io.IOException || e instanceof IllegalArgumentException)) {
            // A defect of the benchmark: its stack trace is what is needed to fix it.
            throw e;
        }
        // Some I/O failures (a closed channel, say) carry no message; their name says what happened.
        commandLine.getErr().println("chat-bench: " + (e.getMessage() != null ? e.getMessage() : e));
        return e instanceof IllegalArgumentException ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
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

        @Option(names = "--port", paramLabel = "PORT[,PORT…]", split = ",",
                description = "Load servers already listening on 127.0.0.1:PORT, e.g. the nodes of a running "
                        + "cluster, with the clients spread over them. Without it, servers are started for the run "
                        + "and stopped after it.")
        List<Integer> ports;

        @Option(names = "--pid", paramLabel = "PID[,PID…]", split = ",",
                description = "PIDs of the servers given with --port, in the same order, for their CPU time and "
                        + "memory.")
        List<Long> pids;

        @Option(names = "--nats-pid", paramLabel = "PID", defaultValue = "-1",
                description = "PID of the NATS server of the cluster given with --port, for its CPU time.")
        long natsPid;

        @Option(names = "--nodes", paramLabel = "N", defaultValue = "1",
                description = "Start a cluster of N chat servers and a nats-server -js of its own, all on free "
                        + "loopback ports, and spread the clients over the nodes round robin "
                        + "(default: ${DEFAULT-VALUE}, one server on its own).")
        int nodes;

        @Option(names = "--cluster",
                description = "Start the servers in cluster mode even with one node (--nodes 1), for comparison.")
        boolean cluster;

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

        /** Runs {@code scenario} against the servers named by these options, starting them if needed. */
        <T> T run(int clients, Scenario<T> scenario) throws Exception {
            Dialect dialect = dialect();
            if (ports != null) {
                if (nodes != 1 || cluster) {
                    throw new IllegalArgumentException("--nodes and --cluster start servers; with --port they run "
                            + "already (name a cluster's nodes with --port P1,P2 and --pid)");
                }
                return scenario.run(runningTarget(dialect), null);
            }
            if (!(dialect instanceof Dialect.Chat)) {
                throw new IllegalArgumentException("an IRC server must be started beforehand and named with --port");
            }
            List<String> jvm = serverJavaOptions.isBlank() ? List.of() : List.of(serverJavaOptions.trim().split("\\s+"));
            try (LocalServers servers = LocalServers.start(nodes, cluster, jvm, serverArgs, clients + 100)) {
                System.out.print(servers.description());
                return scenario.run(servers.target(dialect), servers);
            }
        }

        /** The servers named with --port and --pid. */
        private Target runningTarget(Dialect dialect) {
            if (pids != null && pids.size() != ports.size()) {
                throw new IllegalArgumentException("--pid names " + pids.size() + " processes for " + ports.size()
                        + " ports; give one PID a port, in the same order");
            }
            List<Target.Node> running = new ArrayList<>();
            for (int i = 0; i < ports.size(); i++) {
                running.add(new Target.Node(ports.size() == 1 ? "server" : "port-" + ports.get(i),
                        new InetSocketAddress("127.0.0.1", ports.get(i)), pids == null ? -1 : pids.get(i)));
            }
            return new Target(running, natsPid, dialect);
        }
    }

    /** A scenario run against a target; {@code servers} is null when the benchmark did not start them. */
    interface Scenario<T> {
        T run(Target target, LocalServers servers) throws Exception;
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
            Idle.Report report = target.run(clients, (t, servers) ->
                    Idle.run(t, settings, servers == null ? () -> -1 : servers::liveHeapKiB));
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
            Fanout.Report report = target.run(clients, (t, servers) -> Fanout.run(t, settings));
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
            Churn.Report report = target.run(workers, (t, servers) -> Churn.run(t, settings));
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
