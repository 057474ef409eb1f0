package dev.chat.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.chat.client.ChatClient;
import dev.chat.client.ClientEvent;
import dev.chat.client.Endpoint;
import dev.chat.client.Login;
import dev.chat.client.Privacy;
import dev.chat.client.Verification;
import dev.chat.client.identity.Challenge;
import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.client.identity.PublicIdentity;
import dev.chat.client.identity.SealedMessage;
import dev.chat.protocol.ServerLine;
import dev.chat.testkit.TestServer;
import dev.chat.testkit.WireClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The browser client's keys against the Java clients' through a real server: sealed private
 * messages both ways, the same safety number on both sides, a changed key flagged on both sides,
 * a registered name; and the page's ChaCha20-Poly1305 against RFC 8439's vectors in Chromium.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WebKeysTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    final TestServer server = TestServer.create().web();

    @BeforeAll
    static void browserInstalled() {
        Browser.assumeInstalled();
    }

    private Browser browser() throws Exception {
        return server.closeAfter(Browser.open("http://127.0.0.1:" + server.server().webPort() + "/", 1100, 700));
    }

    /** A Java client with keys of its own, signed on as {@code name}, which records what it is told. */
    private JavaUser javaUser(String name, Identity keys) throws Exception {
        List<ClientEvent> events = new CopyOnWriteArrayList<>();
        KnownKeys known = new KnownKeys(Files.createTempDirectory(server.directory(), "known-").resolve("known-keys"));
        ChatClient client = server.closeAfter(new ChatClient(ChatClient.Settings.defaults().withReconnect(false)
                .withIdentity(keys, known), events::add));
        assertThat(client.signOn(Endpoint.plain("127.0.0.1", server.port()), name, null, Login.Prompts.NOBODY))
                .isEqualTo(new Login.Outcome.SignedOn(name));
        return new JavaUser(client, events);
    }

    private record JavaUser(ChatClient client, List<ClientEvent> events) {

        /** Waits for the private message from {@code from} whose opened text is {@code text}, and returns it. */
        ClientEvent.PrivateLine awaitPrivate(String from, String text) {
            return (ClientEvent.PrivateLine) await().atMost(WAIT).until(() -> events.stream()
                    .filter(e -> e instanceof ClientEvent.PrivateLine pm && pm.line() instanceof ServerLine.PrivateMessage m
                            && m.from().equals(from) && m.text().equals(text))
                    .findFirst().orElse(null), java.util.Objects::nonNull);
        }

        List<String> privateTexts() {
            return events.stream().filter(e -> e instanceof ClientEvent.PrivateLine pm
                            && pm.line() instanceof ServerLine.PrivateMessage)
                    .map(e -> ((ServerLine.PrivateMessage) ((ClientEvent.PrivateLine) e).line()).text()).toList();
        }
    }

    @Test
    void aBrowserAndAJavaClient_exchangeSealedMessagesBothWays_theServerLogsNoText_andSafetyNumbersMatch()
            throws Exception {
        JavaUser bob = javaUser("bob", Identity.generate());
        Browser alice = browser().signOn("alice");
        alice.awaitMembers("alice", "bob");
        String toBob = "from the browser " + UUID.randomUUID();
        String toAlice = "from java " + UUID.randomUUID();

        alice.say("/msg bob " + toBob);
        alice.awaitSelected("@bob");
        assertThat(bob.awaitPrivate("alice", toBob).privacy()).isEqualTo(Privacy.SEALED);
        alice.awaitLine("[sealed] alice: " + toBob);

        bob.client().send("/msg alice " + toAlice);
        alice.awaitLine("[sealed] bob: " + toAlice);

        Path chatLog = Path.of(System.getProperty("chat.log.file"));
        await().atMost(WAIT).until(() -> Files.readString(chatLog, StandardCharsets.UTF_8)
                .contains("*** sealed private message from bob to alice"));
        assertThat(Files.readString(chatLog, StandardCharsets.UTF_8))
                .contains("*** sealed private message from alice to bob")
                .doesNotContain(toBob).doesNotContain(toAlice).doesNotContain("e2e1:");

        Verification javaSide = bob.client().verification("alice").get(20, TimeUnit.SECONDS);
        List<String> groups = javaSide.number().groups();
        alice.say("/verify bob");
        alice.awaitLine("Safety number of you (alice) and bob:");
        alice.awaitLine(String.join(" ", groups.subList(0, 6)));
        alice.awaitLine(String.join(" ", groups.subList(6, 12)));

        alice.clickLineButton("mark bob verified");
        alice.awaitLine("bob is verified: their messages show [sealed, verified].");
        bob.client().send("/msg alice once more");
        alice.awaitLine("[sealed, verified] bob: once more");
    }

    @Test
    void aChangedKey_isFlaggedLoudly_byTheBrowserAndByTheJavaClient_andMessagesWaitUntilAccepted() throws Exception {
        JavaUser bob = javaUser("bob", Identity.generate());
        Browser alice = browser().signOn("alice");
        alice.say("/msg bob first");
        bob.awaitPrivate("alice", "first");
        bob.client().close();
        await().atMost(WAIT).until(() -> server.userCount() == 1);

        JavaUser newBob = javaUser("bob", Identity.generate());
        alice.say("/msg bob second");
        alice.awaitLine("WARNING: the key of bob has CHANGED");
        alice.awaitLine("1 message waits");
        alice.say("/accept bob");
        alice.awaitLine("Accepted the new key of bob");
        assertThat(newBob.awaitPrivate("alice", "second").privacy()).isEqualTo(Privacy.SEALED);
        assertThat(newBob.privateTexts()).as("nothing reached bob before the change was accepted").containsExactly("second");

        // A new browser profile is a new key for alice; bob's client pinned the old one.
        alice.say("/quit");
        alice.awaitStatus("Disconnected");
        Browser newAlice = browser().signOn("alice");
        newAlice.say("/msg bob it is me, on another computer");
        ClientEvent.KeyChanged changed = (ClientEvent.KeyChanged) await().atMost(WAIT).until(() -> newBob.events()
                .stream().filter(e -> e instanceof ClientEvent.KeyChanged).findFirst().orElse(null), java.util.Objects::nonNull);
        assertThat(changed.name()).isEqualTo("alice");
        assertThat(newBob.privateTexts()).doesNotContain("it is me, on another computer");
    }

    @Test
    void withAUserWithoutKey_privateMessagesGoPlain_markedSo_andAPinnedContactWithoutKeyIsHeld() throws Exception {
        WireClient carol = server.register("carol");
        Browser alice = browser().signOn("alice");
        alice.say("/msg carol plain to nc");
        carol.awaitBody("[PM] alice: plain to nc");
        alice.awaitLine("[not encrypted] alice: plain to nc");
        carol.send("/msg alice plain from nc");
        alice.awaitLine("[not encrypted] carol: plain from nc");

        // bob had a key when alice pinned it; someone without one comes under his name.
        JavaUser bob = javaUser("bob", Identity.generate());
        alice.say("/msg bob sealed to bob");
        bob.awaitPrivate("alice", "sealed to bob");
        bob.client().close();
        await().atMost(WAIT).until(() -> server.userCount() == 2);
        WireClient notBob = server.register("bob");
        notBob.send("/msg alice it is really me");
        alice.awaitLine("[NOT ENCRYPTED, though they have a key] bob: it is really me");
        alice.awaitLine("WARNING: that message from bob was not encrypted");
        alice.say("/msg bob are you?");
        alice.awaitLine("WARNING: the server says bob has NO KEY any more");
        alice.say("/accept bob");
        alice.awaitLine("Forgot the key of bob; 1 waiting message sent unencrypted.");
        notBob.awaitBody("[PM] alice: are you?");
        assertThat(notBob.seen()).noneMatch(line -> line.contains("[PM] alice: sealed to bob"));
    }

    @Test
    void sealedMessagesThePageCannotOpen_areNoticesWithTheirReason_neverText() throws Exception {
        Identity bobKeys = Identity.generate();
        WireClient bob = server.connect();
        Challenge challenge = Challenge.parse(bob.await(ServerLine.Challenge.class).challenge()).orElseThrow();
        bob.register("bob");
        bob.send("/publish " + bobKeys.publicIdentity().token() + " " + bobKeys.signChallenge(challenge, "bob", null));
        bob.await(ServerLine.Published.class);
        Browser alice = browser().signOn("alice");
        bob.send("/key alice");
        PublicIdentity aliceKey = PublicIdentity.parse(bob.await(ServerLine.KeyOf.class).key()).orElseThrow();

        String genuine = SealedMessage.seal(bobKeys, "bob", aliceKey, "alice", "genuine");
        bob.send("/msg alice " + genuine);
        alice.awaitTab("@bob");
        alice.clickTab("@bob");
        alice.awaitLine("[sealed] bob: genuine");

        bob.send("/msg alice " + genuine);
        alice.awaitLine("could not be read: it is a copy of a message you already received");
        String sealed = SealedMessage.seal(bobKeys, "bob", aliceKey, "alice", "changed on the way");
        // A character of the ciphertext, well before the tag's last one (whose low bits are unused).
        int at = sealed.length() - 40;
        String changed = sealed.substring(0, at) + (sealed.charAt(at) == 'A' ? 'B' : 'A') + sealed.substring(at + 1);
        bob.send("/msg alice " + changed);
        alice.awaitLine("could not be read: it was changed on the way, or not sealed by the sender");
        bob.send("/msg alice e2e2:from-a-newer-client");
        alice.awaitLine("could not be read: it was sealed by a newer version of the client");
        bob.send("/msg alice " + SealedMessage.seal(bobKeys, "bob", Identity.generate().publicIdentity(), "alice", "for another key"));
        alice.awaitLine("could not be read: it was sealed for another key than yours");
        assertThat(alice.lines()).as("shown as text")
                .noneMatch(line -> line.contains("bob: changed on the way") || line.contains("bob: for another key")
                        || line.contains("e2e"));
    }

    @Test
    void aNameRegisteredInTheBrowser_isItsAgainAfterLeaving_andRefusedToAnotherBrowser() throws Exception {
        Browser alice = browser().signOn("alice");
        alice.say("/register");
        alice.awaitLine("Registered alice to key");
        alice.clickButton("leave");
        alice.awaitStatus("Disconnected");
        alice.clickButton("connect-again");
        alice.awaitStatus("Online as alice");

        Browser impostor = browser();
        impostor.submitConnectForm("alice", "");
        assertThat(impostor.awaitConnectError()).contains("registered");

        // The key the name is registered to, which the server gives others, is the one kept in alice's browser.
        JavaUser carol = javaUser("carol", Identity.generate());
        Verification ofAlice = carol.client().verification("alice").get(20, TimeUnit.SECONDS);
        assertThat(alice.run("""
                const store = await import('/js/keystore.js');
                return (await store.loadIdentity()).publicKeys.fingerprint;
                """)).isEqualTo(ofAlice.key().fingerprint());
    }

    @Test
    void overHttps_thePageSignsOverTheServersCertificate_soItsNameIsRegisteredAndGivenBack() throws Exception {
        server.tls();
        String page = "https://127.0.0.1:" + server.server().webPort() + "/";
        // The server's certificate is self-signed; the browser is told to take it, as a user who checked its fingerprint.
        Browser alice = server.closeAfter(Browser.open(page, 1100, 700, List.of("--ignore-certificate-errors")));
        alice.signOn("alice");
        alice.say("/register");
        alice.awaitLine("Registered alice to key");
        alice.clickButton("leave");
        alice.awaitStatus("Disconnected");
        alice.clickButton("connect-again");
        alice.awaitStatus("Online as alice");
    }

    @Test
    void chacha20Poly1305_inTheBrowser_givesRfc8439sTestVectors() throws Exception {
        Browser page = browser();
        Map<?, ?> results = (Map<?, ?>) page.run("""
                const c = await import('/js/chacha20poly1305.js');
                const hex = s => Uint8Array.from(s.match(/../g), h => parseInt(h, 16));
                const toHex = b => [...b].map(x => x.toString(16).padStart(2, '0')).join('');
                const range = (from, n) => Uint8Array.from({length: n}, (_, i) => from + i);
                const sunscreen = new TextEncoder().encode("Ladies and Gentlemen of the class of '99: If I could offer"
                  + " you only one tip for the future, sunscreen would be it.");
                const state = new Uint32Array([0x11111111, 0x01020304, 0x9b8d6f43, 0x01234567]);
                c.quarterRound(state, 0, 1, 2, 3);
                const key = range(0x80, 32);
                const nonce = hex('070000004041424344454647');
                const aad = hex('50515253c0c1c2c3c4c5c6c7');
                const sealed = c.seal(key, nonce, sunscreen, aad);
                const tampered = sealed.slice();
                tampered[0] ^= 1;
                return {
                  quarterRound: [...state].map(w => w.toString(16).padStart(8, '0')).join(' '),
                  block: toHex(c.chacha20Block(range(0, 32), 1, hex('000000090000004a00000000'))),
                  encryption: toHex(c.chacha20(range(0, 32), 1, hex('000000000000004a00000000'), sunscreen)),
                  poly1305: toHex(c.poly1305(hex('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b'),
                    new TextEncoder().encode('Cryptographic Forum Research Group'))),
                  keyGen: toHex(c.poly1305KeyGen(key, hex('000000000001020304050607'))),
                  aead: toHex(sealed),
                  opened: new TextDecoder().decode(c.open(key, nonce, sealed, aad)),
                  tampered: c.open(key, nonce, tampered, aad),
                  otherAad: c.open(key, nonce, sealed, hex('50515253c0c1c2c3c4c5c6c8')),
                };
                """);
        // Section 2.1.1.
        assertThat(results.get("quarterRound")).isEqualTo("ea2a92f4 cb1cf8ce 4581472e 5881c4bb");
        // Section 2.3.2.
        assertThat(results.get("block")).isEqualTo("10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
                + "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
        // Section 2.4.2.
        assertThat(results.get("encryption")).isEqualTo("6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
                + "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc51"
                + "4d16ccf806818ce91ab77937365af90bbf74a35be6b40b8eedf2785e42874d");
        // Section 2.5.2.
        assertThat(results.get("poly1305")).isEqualTo("a8061dc1305136c6c22b8baf0c0127a9");
        // Section 2.6.2.
        assertThat(results.get("keyGen")).isEqualTo("8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646");
        // Section 2.8.2: the ciphertext, then the tag.
        assertThat(results.get("aead")).isEqualTo("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab3"
                + "24e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
                + "1ae10b594f09e26a7e902ecbd0600691");
        assertThat(results.get("opened")).asString().startsWith("Ladies and Gentlemen").endsWith("sunscreen would be it.");
        assertThat(results.get("tampered")).as("a changed ciphertext byte").isNull();
        assertThat(results.get("otherAad")).as("other associated data").isNull();
    }
}
