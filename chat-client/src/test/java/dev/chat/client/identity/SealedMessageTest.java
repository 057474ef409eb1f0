package dev.chat.client.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat.client.identity.OpenFailedException.Reason;
import dev.chat.client.identity.SealedMessage.Opened;
import dev.chat.protocol.Protocol;
import dev.chat.protocol.identity.Base64Url;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SealedMessageTest {

    // Offsets in the sealed bytes (docs/security.md).
    private static final int EPHEMERAL = 0;
    private static final int ID = 32;
    private static final int SENDER_HINT = 48;
    private static final int CIPHERTEXT = 56;

    private final Identity alice = Identity.generate();
    private final Identity bob = Identity.generate();
    private final Identity mallory = Identity.generate();
    private final ReplayGuard seen = new ReplayGuard();

    @ParameterizedTest
    @ValueSource(strings = {"hello bob", "", "grüße aus Köln 🎉", "tab\tseparated", "a line with: [PM] and e2e1: inside"})
    void theRecipient_readsWhatTheSenderSealed(String text) throws Exception {
        Instant before = Instant.now().minusMillis(1);
        String token = seal(text);

        Opened opened = open(token);

        assertThat(opened.text()).isEqualTo(text);
        assertThat(opened.sentAt()).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(token).startsWith("e2e1:").matches("e2e1:[A-Za-z0-9_-]+").doesNotContain(text.isEmpty() ? "\u0000" : text);
    }

    @Test
    void namesAreCompared_ignoringCase_andOneCanWriteToOneself() throws Exception {
        String token = SealedMessage.seal(alice, "Alice", bob.publicIdentity(), "BOB", "hi");
        assertThat(SealedMessage.open(bob, "bob", alice.publicIdentity(), "ALICE", token, seen).text()).isEqualTo("hi");

        String note = SealedMessage.seal(alice, "alice", alice.publicIdentity(), "alice", "note to self");
        assertThat(SealedMessage.open(alice, "alice", alice.publicIdentity(), "alice", note, seen).text()).isEqualTo("note to self");
    }

    @Test
    void controlCharacters_neverReachTheRecipientsScreen() throws Exception {
        assertThat(open(seal("red \u001b[31malert\u0007 \u202eevil")).text()).isEqualTo("red [31malert evil");
    }

    @Test
    void theLongestText_fitsTheServersLine_withTheLongestName() {
        assertThat(SealedMessage.MAX_PLAINTEXT_BYTES).isEqualTo(2975);
        String longest = "x".repeat(SealedMessage.MAX_PLAINTEXT_BYTES);
        String token = SealedMessage.seal(alice, "alice", bob.publicIdentity(), "b".repeat(20), longest);

        int line = ("/msg " + "b".repeat(20) + " " + token).getBytes(StandardCharsets.UTF_8).length;
        assertThat(line).isLessThanOrEqualTo(Protocol.DEFAULT_MAX_LINE_BYTES)
                // Within one padding block (32 bytes, 43 characters) of the limit: nothing given away.
                .isGreaterThan(Protocol.DEFAULT_MAX_LINE_BYTES - 43);
        assertThat(SealedMessage.fits(longest)).isTrue();
        assertThat(SealedMessage.fits(longest + "x")).isFalse();
        assertThatThrownBy(() -> seal(longest + "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 2975 bytes");
    }

    @Test
    void theLimit_countsUtf8Bytes_afterControlCharactersGo() {
        assertThat(SealedMessage.plaintextBytes("é")).isEqualTo(2);
        assertThat(SealedMessage.plaintextBytes("a\u001bb")).isEqualTo(2);
        assertThat(SealedMessage.fits("é".repeat(1487))).isTrue();
        assertThat(SealedMessage.fits("é".repeat(1488))).isFalse();
    }

    @Test
    void theLimit_followsTheServersLineLimit() {
        assertThat(SealedMessage.maxPlaintextBytes(Protocol.DEFAULT_MAX_LINE_BYTES)).isEqualTo(SealedMessage.MAX_PLAINTEXT_BYTES);
        assertThat(SealedMessage.maxPlaintextBytes(8192)).isGreaterThan(5000);
        assertThatThrownBy(() -> SealedMessage.maxPlaintextBytes(120)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLength_isVisibleOnlyTo32Bytes() {
        assertThat(seal("a")).hasSameSizeAs(seal("a".repeat(31)));
        assertThat(seal("a".repeat(32)).length()).isGreaterThan(seal("a".repeat(31)).length());
    }

    @Test
    void twoSealsOfTheSameText_differ() {
        assertThat(seal("same")).isNotEqualTo(seal("same"));
    }

    @Test
    void aMessageSealedForAnotherKey_isWrongRecipientKey() {
        String forBob = seal("for bob only");

        assertReason(() -> SealedMessage.open(mallory, "bob", alice.publicIdentity(), "alice", forBob, seen),
                Reason.WRONG_RECIPIENT_KEY);
    }

    @Test
    void aMessageSealedWithAnotherKeyThanThePinnedOne_isWrongSenderKey() {
        String fromMallory = SealedMessage.seal(mallory, "alice", bob.publicIdentity(), "bob", "it's me, alice");

        assertReason(() -> SealedMessage.open(bob, "bob", alice.publicIdentity(), "alice", fromMallory, seen),
                Reason.WRONG_SENDER_KEY);
    }

    @Test
    void aForgerWhoCopiesTheSendersKeyHint_isStillFound() {
        String fromMallory = SealedMessage.seal(mallory, "alice", bob.publicIdentity(), "bob", "it's me, alice");
        byte[] hint = alice.publicIdentity().hint();
        byte[] bytes = bytes(fromMallory);
        System.arraycopy(hint, 0, bytes, SENDER_HINT, hint.length);

        assertReason(() -> open(token(bytes)), Reason.TAMPERED);
    }

    @Test
    void anyChangedByte_isTampered() throws Exception {
        String token = seal("meet at noon");
        int length = bytes(token).length;
        for (int offset : new int[] {EPHEMERAL, EPHEMERAL + 31, ID, ID + 15, CIPHERTEXT, length - 17, length - 1}) {
            byte[] bytes = bytes(token);
            bytes[offset] ^= 0x01;
            assertReason(() -> open(token(bytes)), Reason.TAMPERED);
        }
        assertThat(open(token).text()).isEqualTo("meet at noon");
    }

    @Test
    void otherNamesThanTheSealedOnes_areTampered() {
        String token = seal("for bob from alice");

        assertReason(() -> SealedMessage.open(bob, "bob", alice.publicIdentity(), "alice2", token, seen), Reason.TAMPERED);
        assertReason(() -> SealedMessage.open(bob, "bobby", alice.publicIdentity(), "alice", token, seen), Reason.TAMPERED);
    }

    @Test
    void aCopy_isReplayed_evenAfterOtherMessages() throws Exception {
        String first = seal("first");
        assertThat(open(first).text()).isEqualTo("first");
        assertThat(open(seal("second")).text()).isEqualTo("second");

        assertReason(() -> open(first), Reason.REPLAYED);
        assertThat(SealedMessage.open(bob, "bob", alice.publicIdentity(), "alice", first, new ReplayGuard()).text())
                .as("a new memory has seen nothing").isEqualTo("first");
    }

    @Test
    void aCopyThatFailsAuthentication_leavesNoTraceInTheMemory() throws Exception {
        String token = seal("hello");
        byte[] bytes = bytes(token);
        bytes[bytes.length - 1] ^= 0x01;
        assertReason(() -> open(token(bytes)), Reason.TAMPERED);

        assertThat(open(token).text()).isEqualTo("hello");
    }

    @Test
    void textThatIsNoSealedMessage_isMalformed_andANewerVersionIsNamed() {
        String token = seal("hello");
        String body = token.substring(SealedMessage.PREFIX.length());

        for (String bad : new String[] {"hello", "e2e1:", "e2e1:!!!!", "e2e1:" + body + "=", body,
                token.substring(0, token.length() - 4), token(Arrays.copyOf(bytes(token), 56 + 31 + 16))}) {
            assertReason(() -> open(bad), Reason.MALFORMED);
        }
        assertReason(() -> open("e2e2:" + body), Reason.UNKNOWN_VERSION);
        assertThat(SealedMessage.isSealed("e2e2:anything")).isTrue();
        assertThat(SealedMessage.isSealed(token)).isTrue();
        assertThat(SealedMessage.isSealed("e2e: no")).isFalse();
        assertThat(SealedMessage.isSealed("hello")).isFalse();
    }

    @Test
    void aRefusal_saysWhoSentItAndWhy() {
        assertThatThrownBy(() -> open("garbage"))
                .hasMessage("a private message from alice could not be read: it is damaged: not a sealed message this client can read");
    }

    @Test
    void theReplayMemory_keepsTheLatestIdsOfEachSender_andRefusesAnythingOlder() {
        ReplayGuard guard = new ReplayGuard();
        MessageId first = new MessageId(1_000, 7);
        assertThat(guard.firstSight("alice", first)).isTrue();
        assertThat(guard.firstSight("ALICE", first)).isFalse();
        assertThat(guard.firstSight("carol", first)).as("another sender's ids are apart").isTrue();

        for (int i = 1; i <= ReplayGuard.WINDOW; i++) {
            assertThat(guard.firstSight("alice", new MessageId(1_000 + i, 0))).isTrue();
        }
        // first is forgotten now, and still refused: it is older than every id kept.
        assertThat(guard.firstSight("alice", first)).isFalse();
        assertThat(guard.firstSight("alice", new MessageId(999, 0))).isFalse();
        assertThat(guard.firstSight("alice", new MessageId(1_000 + 5, 1))).as("late but newer than the forgotten").isTrue();
        assertThat(guard.firstSight("alice", new MessageId(1_000 + 5, 1))).isFalse();
        assertThat(guard.firstSight("alice", new MessageId(5_000, -1))).isTrue();
    }

    @Test
    void messageIds_ofOneProcess_onlyGrow() {
        MessageId previous = MessageId.next();
        for (int i = 0; i < 1_000; i++) {
            MessageId next = MessageId.next();
            assertThat(next).isGreaterThan(previous);
            previous = next;
        }
    }

    private String seal(String text) {
        return SealedMessage.seal(alice, "alice", bob.publicIdentity(), "bob", text);
    }

    private Opened open(String token) throws OpenFailedException {
        return SealedMessage.open(bob, "bob", alice.publicIdentity(), "alice", token, seen);
    }

    private interface Opening {
        void open() throws Exception;
    }

    private static void assertReason(Opening opening, Reason reason) {
        assertThatThrownBy(opening::open)
                .isInstanceOfSatisfying(OpenFailedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static byte[] bytes(String token) {
        return Base64Url.decode(token.substring(SealedMessage.PREFIX.length()));
    }

    private static String token(byte[] bytes) {
        return SealedMessage.PREFIX + Base64Url.encode(bytes);
    }
}
