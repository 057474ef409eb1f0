package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ErrorCode;
import dev.chat.testkit.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flood of plain HTTP connections to the web port, through real sockets: an address keeps its
 * WebSockets and a few connections for loading the page; more are closed unread, and other
 * addresses are served meanwhile.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebConnectionLimitTest {

    private static final int MAX_PER_ADDRESS = 2;

    @RegisterExtension
    final TestServer server = TestServer.create()
            .configure(config -> config.web(new ServerConfig.Web(0, List.of(), List.of()))
                    .exemptAddresses(List.of()).maxPerAddress(MAX_PER_ADDRESS));

    private final WebSocketCoreClient client = new WebSocketCoreClient();

    @BeforeEach
    void startClient() throws Exception {
        client.start();
    }

    @AfterEach
    void stopClient() throws Exception {
        client.stop();
    }

    private Socket open(String from) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        socket.connect(new InetSocketAddress("127.0.0.1", server.server().webPort()), 5_000);
        socket.setSoTimeout(5_000);
        return server.closeAfter(socket);
    }

    /** Asks for the page over {@code socket}, kept alive; whether the server answered. */
    private static boolean answered(Socket socket) throws IOException {
        try {
            socket.getOutputStream().write("HEAD / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            for (int b; !head.toString().endsWith("\r\n\r\n") && (b = in.read()) != -1; ) {
                head.append((char) b);
            }
            return head.toString().startsWith("HTTP/1.1 200");
        } catch (SocketException e) {
            return false;   // reset: the server closed it unread
        }
    }

    @Test
    void anAddressWithItsWebSocketsOpen_getsAFewPageConnectionsMore_andNoMore() throws Exception {
        URI socketUri = URI.create("ws://127.0.0.1:" + server.server().webPort() + "/chat");
        for (int i = 0; i < MAX_PER_ADDRESS; i++) {
            server.closeAfter(WebSocketUser.connect(client, socketUri, null)).register("web" + i);
        }
        List<Socket> pages = new ArrayList<>();
        for (int i = 0; i < WebConnectionLimit.PAGE_CONNECTIONS; i++) {
            Socket page = open("127.0.0.1");
            assertThat(answered(page)).as("page connection %d", i + 1).isTrue();
            pages.add(page);
        }
        assertThat(answered(open("127.0.0.1"))).as("one more than the address may have").isFalse();
        assertThat(server.server().metrics().connectionsRefused(ErrorCode.TOO_MANY_CONNECTIONS))
                .as("counted in chat_connections_refused_total").isEqualTo(1);
        assertThat(answered(open("127.0.0.2"))).as("another address meanwhile").isTrue();

        pages.getFirst().close();
        await().atMost(Duration.ofSeconds(10)).until(() -> answered(open("127.0.0.1")));
        assertThat(server.userCount()).isEqualTo(MAX_PER_ADDRESS);
    }

    @Test
    void aTrustedProxy_isNotLimited() throws Exception {
        server.configure(config -> config.web(new ServerConfig.Web(0, List.of(), List.of(AddressRange.parse("127.0.0.1/32")))));
        for (int i = 0; i < MAX_PER_ADDRESS + WebConnectionLimit.PAGE_CONNECTIONS + 2; i++) {
            assertThat(answered(open("127.0.0.1"))).as("page connection %d", i + 1).isTrue();
        }
        assertThat(answered(open("127.0.0.2"))).isTrue();
    }

    @Test
    void withoutALimitPerAddress_noneIsRefused() throws Exception {
        server.configure(config -> config.maxPerAddress(0));
        for (int i = 0; i < MAX_PER_ADDRESS + WebConnectionLimit.PAGE_CONNECTIONS + 2; i++) {
            assertThat(answered(open("127.0.0.1"))).as("page connection %d", i + 1).isTrue();
        }
    }
}
