package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A server with a password: right, wrong, missing, and guessing slowed down. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PasswordTest {

    private static final String SECRET = "correct horse 7";

    @RegisterExtension
    final TestServer server = TestServer.create().password(SECRET);

    @Test
    void rightPassword_leadsToTheNamePrompt() throws IOException {
        try (WireClient client = WireClient.connect(server.port())) {
            client.await(ServerLine.PasswordPrompt.class);
            client.send("/pass " + SECRET);
            client.await(ServerLine.NamePrompt.class);
            client.send("alice");
            assertThat(client.await(ServerLine.Welcome.class).name()).isEqualTo("alice");
        }
    }

    @Test
    void missingPassword_isAskedForAndNothingElseWorks() throws IOException {
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("alice");
            assertThat(client.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.PASSWORD_REQUIRED);
            client.send("/who");
            assertThat(client.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.PASSWORD_REQUIRED);
            assertThat(server.userCount()).isZero();
        }
    }

    @Test
    void wrongPassword_getsOneLineThenTheConnectionCloses_andRepeatedFailuresAreSlower() throws IOException {
        Duration first = timeToBeClosedAfterAWrongPassword();
        Duration second = timeToBeClosedAfterAWrongPassword();
        assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(second).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    private Duration timeToBeClosedAfterAWrongPassword() throws IOException {
        try (WireClient client = WireClient.connect(server.port())) {
            client.await(ServerLine.PasswordPrompt.class);
            long sent = System.nanoTime();
            client.send("/pass not it");
            List<String> rest = client.readToEnd();
            Duration took = Duration.ofNanos(System.nanoTime() - sent);
            assertThat(rest).hasSize(1);
            ServerLine.Error error = (ServerLine.Error) ServerLine.parse(rest.getFirst());
            assertThat(error.code()).isEqualTo(ErrorCode.PASSWORD_WRONG);
            assertThat(error.text()).doesNotContain("not it");
            return took;
        }
    }

    @Test
    void wrongPasswordOverTls_isStillSaidBeforeTheConnectionCloses() throws IOException {
        server.tls();
        try (WireClient client = WireClient.connectTls(server.tlsPort())) {
            client.await(ServerLine.PasswordPrompt.class);
            // As a client that sends the name without waiting for the password's answer.
            client.send("/pass not it\nalice");
            List<String> rest = client.readToEnd();
            assertThat(rest).hasSize(1);
            assertThat(((ServerLine.Error) ServerLine.parse(rest.getFirst())).code()).isEqualTo(ErrorCode.PASSWORD_WRONG);
        }
    }

    @Test
    void password_neverReachesALog() throws IOException {
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("/pass " + SECRET);
            client.send("bob");
            client.await(ServerLine.Welcome.class);
        }
        try (WireClient client = WireClient.connect(server.port())) {
            client.send("/pass wrong-" + SECRET);
            client.readToEnd();
        }
        for (String log : List.of("chat.log.file", "chat.diagnostic.file")) {
            assertThat(Files.readString(Path.of(System.getProperty(log)))).doesNotContain(SECRET);
        }
    }
}
