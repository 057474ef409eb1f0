package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReconnectorTest {

    private static final Duration SHORT = Duration.ofSeconds(5);

    /** What the reconnector told its listener, in order. */
    private final List<String> heard = new CopyOnWriteArrayList<>();

    private final Reconnector.Listener recorder = new Reconnector.Listener() {
        @Override
        public void onCountdown(int attempt, Duration remaining) {
            heard.add("countdown " + attempt + " " + remaining.toSeconds());
        }

        @Override
        public void onAttemptFailed(int attempt, String reason) {
            heard.add("failed " + attempt);
        }

        @Override
        public void onReconnected(String name) {
            heard.add("back " + name);
        }

        @Override
        public void onGaveUp(String reason) {
            heard.add("gave up");
        }
    };

    private final ChatClient client = new ChatClient(new ChatClient.Listener() {
        @Override
        public void onLine(ServerLine line) {
        }

        @Override
        public void onDisconnected(boolean byUs) {
        }
    });

    @Test
    void connectsAgainAndRegistersTheSameName() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) SHORT.toMillis());
            Reconnector reconnector = new Reconnector(client, "127.0.0.1", server.getLocalPort(), SHORT, SHORT);
            reconnector.start("alice", recorder);

            try (Socket session = server.accept()) {
                session.setSoTimeout((int) SHORT.toMillis());
                BufferedReader in = new BufferedReader(new InputStreamReader(session.getInputStream(), Protocol.CHARSET));
                assertThat(in.readLine()).isEqualTo("alice");
                OutputStream out = session.getOutputStream();
                out.write(new ServerLine.Welcome(LocalTime.NOON, "alice").toWire());
                out.flush();

                assertThat(reconnector.await(SHORT)).isTrue();
                assertThat(heard).containsExactly("countdown 1 1", "back alice");
                assertThat(client.name()).isEqualTo("alice");
                assertThat(client.isConnected()).isTrue();
            }
        } finally {
            client.close();
        }
    }

    @Test
    void aNameStillTakenIsAFailedAttemptAndAnInvalidOneEndsIt() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout((int) SHORT.toMillis());
            Reconnector reconnector = new Reconnector(client, "127.0.0.1", server.getLocalPort(), SHORT, SHORT);
            reconnector.start("alice", recorder);

            answerName(server, new ServerLine.Error(LocalTime.NOON, ErrorCode.NAME_TAKEN, "taken"));
            answerName(server, new ServerLine.Error(LocalTime.NOON, ErrorCode.NAME_INVALID, "bad"));

            assertThat(reconnector.await(SHORT)).isTrue();
            assertThat(heard).containsExactly("countdown 1 1", "failed 1", "countdown 2 2", "countdown 2 1", "gave up");
        } finally {
            client.close();
        }
    }

    @Test
    void cancelStopsTheCountdownWithoutConnecting() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Reconnector reconnector = new Reconnector(client, "127.0.0.1", server.getLocalPort(), SHORT, SHORT);
            reconnector.start("alice", recorder);
            reconnector.cancel();

            assertThat(reconnector.await(SHORT)).isTrue();
            assertThat(heard).noneMatch(event -> event.startsWith("back") || event.startsWith("failed"));
            assertThat(client.isConnected()).isFalse();
        }
    }

    private static void answerName(ServerSocket server, ServerLine answer) throws IOException {
        try (Socket session = server.accept()) {
            session.setSoTimeout((int) SHORT.toMillis());
            BufferedReader in = new BufferedReader(new InputStreamReader(session.getInputStream(), Protocol.CHARSET));
            assertThat(in.readLine()).isEqualTo("alice");
            OutputStream out = session.getOutputStream();
            out.write(answer.toWire());
            out.flush();
            // The reconnector closes this connection itself after a refusal.
            assertThat(in.readLine()).isNull();
        }
    }
}
