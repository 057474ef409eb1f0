package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KnownServersTest {

    private static final String A = "9E:1E:34:AB:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:01:23:45:67:89:AB:CD:EF:10:32:9A:17";
    private static final String B = "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:01";

    @TempDir
    Path directory;

    @Test
    void aMissingFile_knowsNobody_andRememberingCreatesItAndItsDirectory() throws Exception {
        KnownServers known = new KnownServers(directory.resolve("config").resolve("known-servers"));
        assertThat(known.fingerprint("chat.example.org", 5556)).isEmpty();

        known.remember("chat.example.org", 5556, A);

        assertThat(known.fingerprint("chat.example.org", 5556)).contains(A);
        assertThat(Files.readAllLines(known.file())).containsExactly("chat.example.org:5556 " + A);
    }

    @Test
    void serversAreToldApartByHostAndPort_theHostIgnoringCase() throws Exception {
        KnownServers known = new KnownServers(directory.resolve("known-servers"));
        known.remember("Chat.Example.org", 5556, A);
        known.remember("chat.example.org", 6000, B);

        assertThat(known.fingerprint("chat.example.ORG", 5556)).contains(A);
        assertThat(known.fingerprint("chat.example.org", 6000)).contains(B);
        assertThat(known.fingerprint("other.example.org", 5556)).isEmpty();
    }

    @Test
    void rememberingAgain_replacesTheLine_andKeepsCommentsAndOthers() throws Exception {
        Path file = directory.resolve("known-servers");
        Files.writeString(file, "# my servers\n\nother:1 " + B + "\nhost:5556 " + B + "\n", StandardCharsets.UTF_8);
        KnownServers known = new KnownServers(file);

        known.remember("host", 5556, A.toLowerCase());

        assertThat(Files.readAllLines(file)).containsExactly("# my servers", "", "other:1 " + B, "host:5556 " + A);
        assertThat(known.fingerprint("host", 5556)).contains(A);
        try (var leftovers = Files.list(directory)) {
            assertThat(leftovers).containsExactly(file);
        }
    }

    @Test
    void anIpv6Address_isKeptInBrackets() throws Exception {
        KnownServers known = new KnownServers(directory.resolve("known-servers"));
        known.remember("::1", 5556, A);

        assertThat(Files.readString(known.file())).startsWith("[::1]:5556 ");
        assertThat(known.fingerprint("::1", 5556)).contains(A);
    }

    @Test
    void somethingThatIsNoFingerprint_isNotRemembered() {
        KnownServers known = new KnownServers(directory.resolve("known-servers"));
        assertThatThrownBy(() -> known.remember("host", 5556, "AB:CD")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Files.exists(known.file())).isFalse();
    }

    @Test
    void fingerprints_areReadAsPeoplePasteThem() {
        String bare = A.replace(":", "").toLowerCase();
        assertThat(Fingerprint.parse(bare)).contains(A);
        assertThat(Fingerprint.parse("sha256 Fingerprint=" + A)).contains(A);
        assertThat(Fingerprint.parse("SHA256:" + A)).contains(A);
        assertThat(Fingerprint.parse(A + "00")).isEmpty();
        assertThat(Fingerprint.parse("not hex at all")).isEmpty();
    }
}
