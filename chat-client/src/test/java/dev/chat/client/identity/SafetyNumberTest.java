package dev.chat.client.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SafetyNumberTest {

    private final PublicIdentity alice = Identity.generate().publicIdentity();
    private final PublicIdentity bob = Identity.generate().publicIdentity();
    private final PublicIdentity mallory = Identity.generate().publicIdentity();

    @Test
    void bothSides_seeTheSameNumber_12GroupsOf5Digits() {
        SafetyNumber seenByAlice = SafetyNumber.of("alice", alice, "bob", bob);
        SafetyNumber seenByBob = SafetyNumber.of("Bob", bob, "ALICE", alice);

        assertThat(seenByAlice).isEqualTo(seenByBob);
        assertThat(seenByAlice.digits()).matches("[0-9]{60}");
        assertThat(seenByAlice.groups()).hasSize(12).allMatch(group -> group.matches("[0-9]{5}"));
        assertThat(seenByAlice.toString()).matches("[0-9]{5}( [0-9]{5}){11}");
        assertThat(SafetyNumber.of("alice", alice, "bob", bob)).as("the same every time").isEqualTo(seenByAlice);
    }

    @Test
    void aKeyInTheMiddle_givesEachSideAnotherNumber() {
        SafetyNumber seenByAlice = SafetyNumber.of("alice", alice, "bob", mallory);
        SafetyNumber seenByBob = SafetyNumber.of("bob", bob, "alice", mallory);

        assertThat(seenByAlice).isNotEqualTo(SafetyNumber.of("alice", alice, "bob", bob));
        assertThat(seenByBob).isNotEqualTo(SafetyNumber.of("alice", alice, "bob", bob));
        assertThat(seenByAlice).isNotEqualTo(seenByBob);
    }

    @Test
    void anotherName_givesAnotherNumber() {
        assertThat(SafetyNumber.of("alice", alice, "bob", bob)).isNotEqualTo(SafetyNumber.of("alice", alice, "bob2", bob));
    }

    @Test
    void theComputation_isSignalsVersion1_checkedAgainstItsVector() {
        // libsignal's NumericFingerprintGeneratorTest: two Curve25519 identity keys and phone numbers.
        byte[] aliceKey = HexFormat.of().parseHex("0506863bc66d02b40d27b8d49ca7c09e9239236f9d7d25d6fcca5ce13c7064d868");
        byte[] bobKey = HexFormat.of().parseHex("05f781b6fb32fed9ba1cf2de978d4d5da28dc34046ae814402b5c0dbd96fda907b");
        String aliceHalf = SafetyNumber.half(aliceKey, "+14152222222".getBytes(StandardCharsets.US_ASCII), SafetyNumber.ITERATIONS);
        String bobHalf = SafetyNumber.half(bobKey, "+14153333333".getBytes(StandardCharsets.US_ASCII), SafetyNumber.ITERATIONS);

        String expected = "300354477692869396892869876765458257569162576843440918079131";
        assertThat(SafetyNumber.combine(aliceHalf, bobHalf).digits()).isEqualTo(expected);
        assertThat(SafetyNumber.combine(bobHalf, aliceHalf).digits()).isEqualTo(expected);
    }
}
