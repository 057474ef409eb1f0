package dev.chat.client.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat.client.identity.KnownKeys.Check;
import dev.chat.client.identity.KnownKeys.Pin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class KnownKeysTest {

    private final PublicIdentity alice = Identity.generate().publicIdentity();
    private final PublicIdentity aliceNew = Identity.generate().publicIdentity();
    private final PublicIdentity bob = Identity.generate().publicIdentity();

    @TempDir
    Path home;

    @Test
    void theFirstKeySeen_isPinned_inAFileForItsOwnerOnly() throws Exception {
        KnownKeys known = KnownKeys.inHome(home);
        assertThat(known.file()).isEqualTo(home.resolve(".chat").resolve("known-keys"));
        assertThat(known.pinned("alice")).isEmpty();

        assertThat(known.check("Alice", alice)).isEqualTo(new Check.FirstSeen("Alice", alice));

        assertThat(known.pinned("ALICE")).contains(new Pin(alice, false));
        assertThat(Files.readAllLines(known.file())).containsExactly("alice " + alice.token());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(known.file()))).isEqualTo("rw-------");
    }

    @Test
    void theSameKeyAgain_isSame() throws Exception {
        KnownKeys known = KnownKeys.inHome(home);
        known.check("alice", alice);

        Check again = known.check("alice", alice);

        assertThat(again).isEqualTo(new Check.Same("alice", alice, false));
        assertThat(again.usable()).isTrue();
    }

    @Test
    void aChangedKey_isReportedWithBothFingerprints_andNeverReplacesThePin() throws Exception {
        KnownKeys known = KnownKeys.inHome(home);
        known.check("alice", alice);
        String before = Files.readString(known.file());

        Check changed = known.check("alice", aliceNew);

        assertThat(changed).isEqualTo(new Check.Changed("alice", alice, aliceNew, false));
        assertThat(changed.usable()).isFalse();
        assertThat(((Check.Changed) changed).message()).contains("CHANGED")
                .contains(alice.fingerprint()).contains(aliceNew.fingerprint()).contains("/verify alice");
        assertThat(Files.readString(known.file())).isEqualTo(before);
        assertThat(known.check("alice", aliceNew)).isInstanceOf(Check.Changed.class);
    }

    @Test
    void acceptingANewKey_replacesThePin_andTheVerifiedMark() throws Exception {
        KnownKeys known = KnownKeys.inHome(home);
        known.check("alice", alice);
        known.markVerified("alice", alice);

        assertThat(known.check("alice", aliceNew)).isEqualTo(new Check.Changed("alice", alice, aliceNew, true));
        assertThat(((Check.Changed) known.check("alice", aliceNew)).message()).contains("you had verified the old one");
        known.accept("alice", aliceNew);

        assertThat(known.check("alice", aliceNew)).isEqualTo(new Check.Same("alice", aliceNew, false));
        assertThat(known.check("alice", alice)).isInstanceOf(Check.Changed.class);
    }

    @Test
    void verifying_marksTheContact_onlyForThePinnedKey() throws Exception {
        KnownKeys known = KnownKeys.inHome(home);
        known.check("alice", alice);

        assertThat(known.markVerified("alice", aliceNew)).isFalse();
        assertThat(known.pinned("alice")).contains(new Pin(alice, false));

        assertThat(known.markVerified("alice", alice)).isTrue();
        assertThat(known.pinned("alice")).contains(new Pin(alice, true));
        assertThat(Files.readAllLines(known.file())).containsExactly("alice " + alice.token() + " verified");

        assertThat(known.markVerified("bob", bob)).as("an unpinned contact is pinned and verified").isTrue();
        assertThat(known.check("bob", bob)).isEqualTo(new Check.Same("bob", bob, true));
    }

    @Test
    void forgettingAPin_dropsOnlyItsLine_andTheNextKeyIsFirstSeenAgain() throws Exception {
        Path file = home.resolve("known-keys");
        Files.writeString(file, "# my contacts\nalice " + alice.token() + " verified\nbob " + bob.token() + "\n",
                StandardCharsets.UTF_8);
        KnownKeys known = new KnownKeys(file);

        assertThat(known.forget("ALICE")).isTrue();

        assertThat(Files.readAllLines(file)).containsExactly("# my contacts", "bob " + bob.token());
        assertThat(known.pinned("alice")).isEmpty();
        assertThat(known.forget("alice")).as("nothing left to forget").isFalse();
        assertThat(known.check("alice", aliceNew)).isEqualTo(new Check.FirstSeen("alice", aliceNew));
        assertThat(known.check("bob", bob)).isEqualTo(new Check.Same("bob", bob, false));
    }

    @Test
    void rewriting_keepsCommentsOtherUsersAndLinesItDoesNotRead_inTheirPlaces() throws Exception {
        Path file = home.resolve("known-keys");
        Files.writeString(file, "# my contacts\n\nbob " + bob.token() + "\nalice " + alice.token() + "\ncarol something-else\n",
                StandardCharsets.UTF_8);
        KnownKeys known = new KnownKeys(file);

        known.accept("Alice", aliceNew);

        assertThat(Files.readAllLines(file)).containsExactly("# my contacts", "", "bob " + bob.token(),
                "alice " + aliceNew.token(), "carol something-else");
        try (var left = Files.list(home)) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void usersAreToldApartByName_ignoringCase() throws Exception {
        KnownKeys known = new KnownKeys(home.resolve("known-keys"));
        known.check("alice", alice);
        known.check("bob", bob);

        assertThat(known.check("ALICE", alice)).isInstanceOf(Check.Same.class);
        assertThat(known.check("Bob", alice)).isInstanceOf(Check.Changed.class);
        assertThatThrownBy(() -> known.check("not a name", alice)).isInstanceOf(IllegalArgumentException.class);
    }
}
