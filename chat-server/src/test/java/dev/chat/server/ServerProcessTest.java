package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ServerLine;
import dev.chat.testkit.ServerProcess;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The server as an admin runs it: a process, its options, its exit status and its signals. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerProcessTest {

    private static final Duration START = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    private ServerProcess start(String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0", "--flood-rate", "0"));
        args.addAll(List.of(extra));
        return ServerProcess.start(directory, args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void stopSignal_tellsClientsExitsZeroAndLosesNothingFromChatLog(String signal) throws Exception {
        try (ServerProcess server = start()) {
            int port = server.awaitPort(START);
            server.assumeHandles(signal);
            try (WireClient alice = WireClient.register(port, "alice");
                    WireClient bob = WireClient.register(port, "bob")) {
                for (int i = 0; i < 50; i++) {
                    alice.send("message " + i);
                    bob.send("reply " + i);
                }
                alice.send("/msg bob last words");
                alice.await(ServerLine.PrivateSent.class);
                // Every line has been accepted once it is echoed: wait until bob has all 100.
                for (int chats = 0; chats < 100; ) {
                    if (bob.next() instanceof ServerLine.Chat) {
                        chats++;
                    }
                }

                alice.sendRaw("half typed, never finished".getBytes(StandardCharsets.UTF_8));
                long signalled = System.nanoTime();
                server.signal(signal);
                assertThat(ServerLine.parse(alice.readToEnd().getLast())).isInstanceOf(ServerLine.ShuttingDown.class);
                assertThat(ServerLine.parse(bob.readToEnd().getLast())).isInstanceOf(ServerLine.ShuttingDown.class);
                assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(5));
            }
            List<String> log = Files.readAllLines(directory.resolve("chat.log"), StandardCharsets.UTF_8);
            assertThat(log).allSatisfy(line -> assertThat(line).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d .*"));
            assertThat(log.getFirst()).contains("*** server started on 127.0.0.1:");
            for (int i = 0; i < 50; i++) {
                int n = i;
                assertThat(log).filteredOn(line -> line.endsWith(" <alice> message " + n)).hasSize(1);
                assertThat(log).filteredOn(line -> line.endsWith(" <bob> reply " + n)).hasSize(1);
            }
            assertThat(log).anyMatch(line -> line.endsWith(" <alice -> bob> last words"));
            assertThat(log).anyMatch(line -> line.endsWith(" *** alice left (server shutdown)"));
            assertThat(log).noneMatch(line -> line.contains("half typed"));
            assertThat(log.getLast()).endsWith(" *** server stopped");
        }
    }

    @Test
    void largeRoomSize_comesFromTheConfigurationFile_andAHangUpChangesIt() throws Exception {
        Path config = directory.resolve("chat-server.properties");
        Files.writeString(config, "large-room-size=1\n");
        try (ServerProcess server = start("--config", config.toString())) {
            int port = server.awaitPort(START);
            server.assumeHandles("HUP");
            try (WireClient alice = WireClient.register(port, "alice");
                    WireClient bob = WireClient.register(port, "bob")) {
                assertThat(bob.seen()).anyMatch(line -> line.endsWith("*** Online: 2 people in #lobby"));

                Files.writeString(config, "large-room-size=0\n");
                server.signal("HUP");
                // Each newcomer tries until the reload has happened: then the room is large no more.
                int[] tries = {0};
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    try (WireClient newcomer = WireClient.register(port, "carol" + tries[0]++)) {
                        return newcomer.seen().stream().anyMatch(line -> line.contains("*** Online ("));
                    }
                });
                assertThat(alice.await(ServerLine.Online.class).names()).contains("alice", "bob");
            }
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void hangUp_reopensLogsReloadsConfigurationAndKeepsEveryoneConnected() throws Exception {
        Path greeting = directory.resolve("greeting.txt");
        Files.writeString(greeting, "First greeting\n");
        Path motd = directory.resolve("motd.txt");
        Files.writeString(motd, "Old news\n");
        Path config = directory.resolve("chat-server.properties");
        Files.writeString(config, "greeting-file=" + greeting + "\nmotd-file=" + motd + "\n");
        try (ServerProcess server = start("--config", config.toString())) {
            int port = server.awaitPort(START);
            server.assumeHandles("HUP");
            try (WireClient alice = WireClient.register(port, "alice")) {
                alice.send("before rotation");
                alice.await(ServerLine.Chat.class);

                // What logrotate does: move the file away, then ask the server to reopen.
                Path chatLog = directory.resolve("chat.log");
                Path rotated = directory.resolve("chat.log.1");
                Files.move(chatLog, rotated);
                Path newGreeting = directory.resolve("greeting2.txt");
                Files.writeString(newGreeting, "Second greeting\n");
                Files.writeString(config, "greeting-file=" + newGreeting + "\nmotd-file=" + motd + "\n");
                Files.writeString(motd, "Fresh news\n");
                server.signal("HUP");

                await().atMost(Duration.ofSeconds(10)).until(() -> greetingOfNewConnection(port).equals("Second greeting"));
                try (WireClient bob = WireClient.connect(port)) {
                    bob.send("bob");
                    bob.await(ServerLine.Welcome.class);
                    bob.await(ServerLine.Info.class);   // the hint about /help
                    assertThat(bob.await(ServerLine.Info.class).text()).isEqualTo("Fresh news");
                }
                alice.send("after rotation");
                assertThat(alice.await(ServerLine.Chat.class).text()).isEqualTo("after rotation");
                assertThat(server.isAlive()).isTrue();

                assertThat(Files.readString(rotated)).contains("<alice> before rotation").doesNotContain("after rotation");
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Files.exists(chatLog) && Files.readString(chatLog).contains("<alice> after rotation"));

                // logrotate comes back the next day: the second reopen must work as the first did.
                Path rotatedAgain = directory.resolve("chat.log.2");
                Files.move(chatLog, rotatedAgain);
                server.signal("HUP");
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(chatLog));
                alice.send("after the second rotation");
                alice.await(ServerLine.Chat.class);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Files.readString(chatLog).contains("<alice> after the second rotation"));
                assertThat(Files.readString(rotatedAgain)).doesNotContain("second rotation");
            }
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    private static String greetingOfNewConnection(int port) throws IOException {
        try (WireClient client = WireClient.connect(port)) {
            return ((ServerLine.Info) client.next()).text();
        }
    }

    @Test
    void removedChatLog_isStartedAgain() throws Exception {
        try (ServerProcess server = start()) {
            int port = server.awaitPort(START);
            Path chatLog = directory.resolve("chat.log");
            try (WireClient alice = WireClient.register(port, "alice")) {
                Files.delete(chatLog);
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(chatLog));
                alice.send("into the new file");
                alice.await(ServerLine.Chat.class);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> Files.readString(chatLog).contains("<alice> into the new file"));
            }
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void startedWithHangUpIgnored_saysSoInsteadOfSilentlyNotReloading() throws Exception {
        // nohup starts the server with SIGHUP ignored, and the JVM leaves it ignored.
        try (ServerProcess server = ServerProcess.start(List.of("nohup"), directory, List.of(),
                "--bind", "127.0.0.1", "--port", "0")) {
            server.awaitPort(START);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stderr().stream()
                    .anyMatch(line -> line.contains("WARN") && line.contains("SIGHUP is ignored by this process")));
            assertThat(server.stderr()).noneMatch(line -> line.contains("SIGTERM"));
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void bansFile_isReadAgainOnHangUp() throws Exception {
        Path bans = directory.resolve("bans.tsv");
        try (ServerProcess server = start("--bans-file", bans.toString())) {
            int port = server.awaitPort(START);
            server.assumeHandles("HUP");
            java.net.InetAddress address = java.net.InetAddress.getByName("127.0.0.4");
            try (WireClient before = WireClient.connectFrom(address, port)) {
                assertThat(before.next()).isInstanceOf(ServerLine.Info.class);
            }
            Files.writeString(bans, "address\t127.0.0.4\tnever\tadmin\tedited by hand\n");
            server.signal("HUP");
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (WireClient after = WireClient.connectFrom(address, port)) {
                    return after.next() instanceof ServerLine.Error error && error.text().contains("edited by hand");
                }
            });
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    @Test
    void registeredNames_surviveARestart_andTheFileIsReadAgainOnHangUp() throws Exception {
        TestKey aliceKey = new TestKey();
        TestKey carolKey = new TestKey();
        Path registrations = directory.resolve("registrations.txt");
        try (ServerProcess server = start("--data-dir", directory.toString())) {
            int port = server.awaitPort(START);
            try (WireClient alice = WireClient.connect(port)) {
                String challenge = alice.await(ServerLine.Challenge.class).challenge();
                alice.register("alice");
                alice.send("/register " + aliceKey.token() + " " + aliceKey.sign(challenge, "alice"));
                alice.await(ServerLine.Registered.class);
            }
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
        }
        assertThat(Files.readAllLines(registrations)).contains("alice " + aliceKey.token());
        try (ServerProcess server = start("--data-dir", directory.toString())) {
            int port = server.awaitPort(START);
            assertThat(nameRefusal(port, "alice")).isEqualTo(dev.chat.protocol.ErrorCode.NAME_REGISTERED);
            server.assumeHandles("HUP");
            Files.writeString(registrations, Files.readString(registrations) + "carol " + carolKey.token() + "\n");
            server.signal("HUP");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> nameRefusal(port, "carol") == dev.chat.protocol.ErrorCode.NAME_REGISTERED);
            try (WireClient carol = WireClient.connect(port)) {
                String challenge = carol.await(ServerLine.Challenge.class).challenge();
                carol.send("/sign carol " + carolKey.sign(challenge, "carol"));
                assertThat(carol.await(ServerLine.Welcome.class).name()).isEqualTo("carol");
            }
            server.signal("TERM");
            assertThat(server.awaitExit(Duration.ofSeconds(10))).isZero();
        }
    }

    /** Proposes {@code name} on a new connection: the error code it is refused with, or null when it is taken. */
    private static dev.chat.protocol.ErrorCode nameRefusal(int port, String name) throws IOException {
        try (WireClient client = WireClient.connect(port)) {
            client.send(name);
            ServerLine answer = client.await(line -> line instanceof ServerLine.Welcome || line instanceof ServerLine.Error);
            return answer instanceof ServerLine.Error error ? error.code() : null;
        }
    }

    @Test
    void hashPassword_printsAnOperatorsLineWithoutThePassword() throws Exception {
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), "--hash-password", "admin")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().write("hunter2 is long\n".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(out).startsWith("admin pbkdf2-sha256:").doesNotContain("hunter2");
        Path operators = directory.resolve("operators");
        Files.writeString(operators, out + "\n");
        assertThat(Operators.load(operators).verify("admin", "hunter2 is long")).isTrue();
    }

    @Test
    void portInUse_saysSoInOneLineAndExitsOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerProcess server = ServerProcess.start(directory, "--bind", "127.0.0.1",
                        "--port", Integer.toString(taken.getLocalPort()))) {
            assertThat(server.awaitExit(START)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.stderr().isEmpty());
            assertThat(server.stderr()).hasSize(1);
            assertThat(server.stderr().getFirst()).startsWith("chat-server: cannot listen on 127.0.0.1:")
                    .contains("in use");
        }
    }

    @Test
    void maxClientsOverTheOpenFileLimit_isWarnedAboutAtStart() throws Exception {
        long limit = OpenFileLimit.current().orElse(-1);
        org.junit.jupiter.api.Assumptions.assumeTrue(limit > 0, "no /proc/self/limits here");
        String tooMany = Long.toString(limit + 1);
        try (ServerProcess server = start("--max-clients", tooMany)) {
            server.awaitPort(START);
            await().atMost(Duration.ofSeconds(10)).until(() -> server.stderr().stream()
                    .anyMatch(line -> line.startsWith("chat-server: warning: max-clients is " + tooMany)));
        }
        try (ServerProcess server = start("--max-clients", "10")) {
            server.awaitPort(START);
            // The warning would come before the listening line; give stderr's reader time to pass it on.
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                    .until(() -> server.stderr().stream().noneMatch(line -> line.contains("max-clients is")));
        }
    }

    @Test
    void badOption_saysSoInOneLineAndExitsTwo() throws Exception {
        try (ServerProcess server = ServerProcess.start(directory, "--no-such-option")) {
            assertThat(server.awaitExit(START)).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> !server.stderr().isEmpty());
            assertThat(server.stderr()).hasSize(1);
            assertThat(server.stderr().getFirst()).contains("--no-such-option", "--help");
        }
    }

    @Test
    void helpAndVersion_exitZero() throws Exception {
        try (ServerProcess help = ServerProcess.start(directory, "--help");
                ServerProcess version = ServerProcess.start(directory, "--version")) {
            assertThat(help.awaitExit(START)).isZero();
            assertThat(version.awaitExit(START)).isZero();
        }
    }
}
