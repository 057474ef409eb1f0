package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorsTest {

    @TempDir
    Path directory;

    @Test
    void entry_verifiesItsPasswordOnlyAndHidesIt() throws IOException {
        String entry = Operators.entry("admin", "s3cret pass".toCharArray());
        assertThat(entry).startsWith("admin pbkdf2-sha256:" + Operators.ITERATIONS + ":").doesNotContain("s3cret");
        Path file = directory.resolve("operators");
        Files.writeString(file, "# operators\n\n" + entry + "\n");
        Operators operators = Operators.load(file);
        assertThat(operators.verify("ADMIN", "s3cret pass")).isTrue();
        assertThat(operators.verify("admin", "s3cret")).isFalse();
        assertThat(operators.verify("nobody", "s3cret pass")).isFalse();
        assertThat(operators.accountName("Admin")).isEqualTo("admin");
    }

    @Test
    void entry_saltsEveryHashDifferently() {
        assertThat(Operators.entry("a", "same".toCharArray())).isNotEqualTo(Operators.entry("a", "same".toCharArray()));
    }

    @Test
    void load_refusesLinesThatAreNotAccounts() throws IOException {
        Path file = directory.resolve("operators");
        Files.writeString(file, "admin plaintext-password\n");
        assertThatThrownBy(() -> Operators.load(file)).isInstanceOf(IOException.class).hasMessageContaining("line 1")
                .hasMessageNotContaining("plaintext-password");
    }

    @Test
    void bans_persistExpireAndMatchNamesAndBlocks() throws IOException {
        Path file = directory.resolve("bans.tsv");
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        Bans bans = new Bans(file, Clock.fixed(now, ZoneOffset.UTC));
        bans.add(new Bans.Ban(Bans.Kind.NAME, "Mallory", null, "admin", "spam"));
        bans.add(new Bans.Ban(Bans.Kind.ADDRESS, "192.0.2.0/24", now.plus(Duration.ofHours(2)), "admin", "bots"));
        bans.add(new Bans.Ban(Bans.Kind.ADDRESS, "198.51.100.7", now.minusSeconds(1), "admin", "over"));

        Bans reread = new Bans(file, Clock.fixed(now, ZoneOffset.UTC));
        reread.reload();
        assertThat(reread.forName("mallory")).isNotNull();
        assertThat(reread.forAddress(InetAddress.getByName("192.0.2.77")).reason()).isEqualTo("bots");
        assertThat(reread.forAddress(InetAddress.getByName("198.51.100.7"))).as("expired").isNull();
        assertThat(reread.active()).hasSize(2);

        assertThat(reread.remove("MALLORY")).isTrue();
        assertThat(reread.remove("nobody")).isFalse();
        Bans again = new Bans(file, Clock.fixed(now, ZoneOffset.UTC));
        again.reload();
        assertThat(again.forName("mallory")).isNull();
    }

    @Test
    void bans_refuseAFileTheyCannotRead() throws IOException {
        Path file = directory.resolve("bans.tsv");
        Files.writeString(file, "name\tx\tsoon\tadmin\treason\n");
        Bans bans = new Bans(file, Clock.systemUTC());
        assertThatThrownBy(bans::reload).isInstanceOf(IOException.class).hasMessageContaining("line 1");
    }
}
