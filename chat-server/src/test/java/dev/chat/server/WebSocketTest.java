package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web listener: WebSocket sessions through Jetty's WebSocket client against a real
 * server, chatting with TCP users, and the same limits and errors as on TCP.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WebSocketTest {

    @RegisterExtension
    final TestServer server = TestServer.create()
            .configure(config -> config.web(new ServerConfig.Web(0, List.of("https://chat.example.org"), List.of())));

    private final WebSocketCoreClient client = new WebSocketCoreClient();

    @BeforeEach
    void startClient() throws Exception {
        client.start();
    }

    @AfterEach
    void stopClient() throws Exception {
        client.stop();
    }

    private String page() {
        return "http://127.0.0.1:" + server.server().webPort();
    }

    private URI socketUri() {
        return URI.create("ws://127.0.0.1:" + server.server().webPort() + "/chat");
    }

    private WebSocketUser connect() throws Exception {
        return server.closeAfter(WebSocketUser.connect(client, socketUri(), page()));
    }

    @Test
    void webSocketTcpAndRawSocketUsers_chatInTheSameRoomAndPrivately() throws Exception {
        WebSocketUser web = connect().register("webby");
        WireClient tcp = server.register("tcp");
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            raw.setSoTimeout(10_000);
            OutputStream rawOut = raw.getOutputStream();
            BufferedReader rawIn = new BufferedReader(new InputStreamReader(raw.getInputStream(), Protocol.CHARSET));
            rawOut.write("ncuser\n".getBytes(Protocol.CHARSET));
            awaitRawLine(rawIn, "*** Welcome, ncuser!");

            web.awaitBody("*** ncuser joined");
            web.send("hello from the browser");
            assertThat(tcp.awaitBody("webby: hello from the browser")).isInstanceOf(ServerLine.Chat.class);
            awaitRawLine(rawIn, "webby: hello from the browser");

            tcp.send("hi webby");
            web.awaitBody("tcp: hi webby");
            rawOut.write("and from nc\n".getBytes(Protocol.CHARSET));
            web.awaitBody("ncuser: and from nc");

            web.send("/msg tcp psst");
            web.awaitBody("[PM to tcp] psst");
            tcp.awaitBody("[PM] webby: psst");
            tcp.send("/msg webby back at you");
            web.awaitBody("[PM] tcp: back at you");

            web.send("/join #dev");
            web.await(line -> line instanceof ServerLine.InRoom(String room, ServerLine.Online online)
                    && room.equals("#dev"));
            tcp.join("#dev");
            web.send("/in #dev /me waves");
            assertThat(tcp.awaitBody("#dev * webby waves")).isNotNull();
        }
    }

    private static void awaitRawLine(BufferedReader in, String body) throws java.io.IOException {
        for (String line; (line = in.readLine()) != null; ) {
            if (ServerLine.parse(line).body().equals(body)) {
                return;
            }
        }
        throw new AssertionError("the connection ended before " + body);
    }

    @Test
    void lineOverTheLimit_isAnsweredAsOnTcpAndTheSessionGoesOn() throws Exception {
        WebSocketUser web = connect().register("longwinded");
        WireClient tcp = server.register("listener");
        web.send("x".repeat(Protocol.DEFAULT_MAX_LINE_BYTES + 1));
        ServerLine.Error error = web.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.LINE_TOO_LONG);
        web.send("short now");
        tcp.awaitBody("longwinded: short now");
    }

    @Test
    void lineLongerThanAFrame_isDroppedAsItArrives() throws Exception {
        WebSocketUser web = connect().register("huge");
        web.send("y".repeat(300_000));
        assertThat(web.await(ServerLine.Error.class).code()).isEqualTo(ErrorCode.LINE_TOO_LONG);
        web.send("still here");
        web.awaitBody("huge: still here");
    }

    @Test
    void invalidUtf8_becomesReplacementCharactersAsOnTcp() throws Exception {
        WebSocketUser web = connect().register("mangled");
        WireClient tcp = server.register("reader");
        web.sendFrame(OpCode.TEXT, new byte[] {'c', 'a', 'f', (byte) 0xC3, ' ', (byte) 0xFE, 'x'});
        assertThat(tcp.await(ServerLine.Chat.class).text()).isEqualTo("caf\uFFFD \uFFFDx");
    }

    @Test
    void binaryFrame_isRefusedWithAClearErrorAndTheConnectionCloses() throws Exception {
        WebSocketUser web = connect().register("binary");
        WireClient tcp = server.register("witness");
        web.sendFrame(OpCode.BINARY, new byte[] {1, 2, 3});
        ServerLine.Error error = web.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.BINARY_FRAME);
        assertThat(web.readToEnd()).isEmpty();
        assertThat(web.awaitClose().getCode()).isEqualTo(CloseStatus.NORMAL);
        tcp.awaitBody("*** binary left (dropped: binary frame)");
    }

    @Test
    void otherOrigin_isRefusedAndTheOwnAndListedOnesAreTaken() throws Exception {
        assertThatThrownBy(() -> WebSocketUser.connect(client, socketUri(), "http://evil.example"))
                .hasStackTraceContaining("403");
        assertThatThrownBy(() -> WebSocketUser.connect(client, socketUri(), "http://127.0.0.1:1"))
                .hasStackTraceContaining("403");
        server.closeAfter(WebSocketUser.connect(client, socketUri(), "https://chat.example.org")).register("listed");
        server.closeAfter(WebSocketUser.connect(client, socketUri(), page())).register("own");
        server.closeAfter(WebSocketUser.connect(client, socketUri(), null)).register("noBrowser");
        assertThat(server.userCount()).isEqualTo(3);
    }

    @Test
    void shutdown_tellsWebSocketUsersAndClosesTheirConnections() throws Exception {
        WebSocketUser web = connect().register("stayer");
        server.stop();
        assertThat(web.readToEnd()).extracting(line -> ServerLine.parse(line).body())
                .containsExactly("*** Server is shutting down.");
        assertThat(web.awaitClose().getCode()).isEqualTo(CloseStatus.NORMAL);
    }

    @Test
    void quit_endsTheSessionWithGoodbyeAndACleanClose() throws Exception {
        WireClient tcp = server.register("stays");
        WebSocketUser web = connect().register("leaver");
        web.send("/quit");
        assertThat(web.readToEnd()).extracting(line -> ServerLine.parse(line).body())
                .containsExactly("*** Goodbye!");
        assertThat(web.awaitClose().getCode()).isEqualTo(CloseStatus.NORMAL);
        tcp.awaitBody("*** leaver left (quit)");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 1);
    }

    @Test
    void browserClosingItsTab_leavesAsAConnectionClosed() throws Exception {
        WebSocketUser web = connect().register("tabcloser");
        WireClient tcp = server.register("watcher");
        web.close();
        tcp.awaitBody("*** tabcloser left (connection closed)");
    }

    @Test
    void page_isServedWithItsFiles() throws Exception {
        try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
            HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(page() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/html"));
            HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(page() + "/nothing.js")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
        }
    }

    @Test
    void connectionsFromOneAddress_countTogetherOverTcpAndWebSocket() throws Exception {
        server.configure(config -> config.exemptAddresses(List.of()).maxPerAddress(2));
        server.register("tcpfirst");
        connect().register("websecond");
        WebSocketUser third = connect();
        ServerLine.Error error = third.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.TOO_MANY_CONNECTIONS);
        assertThat(third.readToEnd()).isEmpty();
        assertThat(server.connectionCount()).isEqualTo(2);
    }

    @Test
    void forwardedAddressOfATrustedProxy_isTheOneBansAndLimitsSee() throws Exception {
        server.configure(config -> config.web(new ServerConfig.Web(0, List.of(), List.of(AddressRange.parse("127.0.0.1/32"))))
                .bansFile(server.file("bans.tsv", "address\t192.0.2.7\tnever\top\tbots\n")));
        WebSocketUser banned = server.closeAfter(WebSocketUser.connect(client, socketUri(), page(),
                headers -> headers.put("X-Forwarded-For", "192.0.2.7")));
        ServerLine.Error error = banned.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.BANNED);
        assertThat(banned.readToEnd()).isEmpty();
        // The client is the last address no trusted proxy added; what it claimed before that is its own business.
        server.closeAfter(WebSocketUser.connect(client, socketUri(), page(),
                headers -> headers.put("X-Forwarded-For", "192.0.2.7, 198.51.100.1"))).register("fine");
    }

    @Test
    void behindATrustedProxyEndingTls_thePageOverHttpsIsItsOwnOrigin_asItsForwardedProtoSays() throws Exception {
        server.configure(config -> config.web(new ServerConfig.Web(0, List.of(), List.of(AddressRange.parse("127.0.0.1/32")))));
        // The proxy takes the browser's HTTPS and comes to the server over plain HTTP, Host kept.
        String pageOverHttps = "https://127.0.0.1:" + server.server().webPort();
        server.closeAfter(WebSocketUser.connect(client, socketUri(), pageOverHttps,
                headers -> headers.put("X-Forwarded-Proto", "https"))).register("proxied");
        assertThatThrownBy(() -> WebSocketUser.connect(client, socketUri(), pageOverHttps))
                .as("no X-Forwarded-Proto: the scheme is the connection's, http").hasStackTraceContaining("403");
        assertThatThrownBy(() -> WebSocketUser.connect(client, socketUri(), page(),
                headers -> headers.put("X-Forwarded-Proto", "https")))
                .as("a page over http, where the proxy says https").hasStackTraceContaining("403");
        assertThat(server.userCount()).isEqualTo(1);
    }

    @Test
    void forwardedProto_fromAnAddressThatIsNoTrustedProxy_isNotBelieved() throws Exception {
        server.configure(config -> config.web(new ServerConfig.Web(0, List.of(), List.of(AddressRange.parse("192.0.2.0/24")))));
        String pageOverHttps = "https://127.0.0.1:" + server.server().webPort();
        assertThatThrownBy(() -> WebSocketUser.connect(client, socketUri(), pageOverHttps,
                headers -> headers.put("X-Forwarded-Proto", "https"))).hasStackTraceContaining("403");
        server.closeAfter(WebSocketUser.connect(client, socketUri(), page(),
                headers -> headers.put("X-Forwarded-Proto", "https"))).register("direct");
    }

    @Test
    void floodOfFrames_isSlowedAndThenDisconnectedAsOnTcp() throws Exception {
        server.configure(config -> config.floodBurst(1).floodRate(1).floodBacklogBytes(2000));
        WebSocketUser web = connect().register("flooder");
        WireClient tcp = server.register("victim");
        String line = "z".repeat(99);
        for (int i = 0; i < 60 && web.isOpen(); i++) {
            web.send(line);
        }
        ServerLine.Error error = web.await(ServerLine.Error.class);
        assertThat(error.code()).isEqualTo(ErrorCode.FLOODING);
        tcp.awaitBody("*** flooder left (dropped: flooding)");
    }

    @Test
    void withTls_thePageAndTheWebSocketAreServedOverHttpsAndWss() throws Exception {
        server.tls();
        HttpClient https = new HttpClient();
        https.setSslContextFactory(new SslContextFactory.Client(true));
        WebSocketCoreClient secure = new WebSocketCoreClient(https, null);
        secure.start();
        try {
            int port = server.server().webPort();
            assertThat(server.server().webTls()).isTrue();
            assertThat(https.GET("https://127.0.0.1:" + port + "/").getStatus()).isEqualTo(200);
            WebSocketUser web = server.closeAfter(WebSocketUser.connect(secure,
                    URI.create("wss://127.0.0.1:" + port + "/chat"), "https://127.0.0.1:" + port));
            web.register("secured");
            WireClient tcp = server.register("plain");
            web.send("over wss");
            tcp.awaitBody("secured: over wss");
            assertThatThrownBy(() -> WebSocketUser.connect(client, socketUri(), page()))
                    .as("plain ws on the TLS port").isNotNull();
        } finally {
            secure.stop();
        }
    }

    @Test
    void keyBinding_overPlainHttpWithoutAProxy_namesNoCertificate() throws Exception {
        HttpClient plain = new HttpClient();
        plain.start();
        try {
            var answer = plain.GET(page() + KeyBinding.PATH);
            assertThat(answer.getStatus()).isEqualTo(200);
            assertThat(answer.getContentAsString()).isEmpty();
            assertThat(answer.getHeaders().get("Cache-Control")).isEqualTo("no-store");
        } finally {
            plain.stop();
        }
    }

    @Test
    void keyBinding_overHttps_isTheFingerprintOfTheServersCertificate() throws Exception {
        server.tls();
        HttpClient https = new HttpClient();
        https.setSslContextFactory(new SslContextFactory.Client(true));
        https.start();
        try {
            String fingerprint = https.GET("https://127.0.0.1:" + server.server().webPort() + KeyBinding.PATH)
                    .getContentAsString();
            assertThat(fingerprint).isEqualTo(server.server().tlsFingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        } finally {
            https.stop();
        }
    }
}
