package dev.chat.client.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The proof of a key over a direct connection holds for one TLS session, one role and one pair
 * of names only: a proof taken from one session, sent back to its maker or made for someone
 * else is refused.
 */
class DirectProofTest {

    private final Identity alice = Identity.generate();
    private final byte[] exported = filled(7);

    private static byte[] filled(int value) {
        byte[] bytes = new byte[DirectProof.EXPORTED_BYTES];
        Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void aProof_isCheckedWithTheSignersKey_forItsSessionRoleAndNames() {
        String proof = DirectProof.sign(alice, DirectProof.Role.OFFERER, "alice", "bob", exported);
        PublicIdentity key = alice.publicIdentity();

        assertThat(DirectProof.verify(key, DirectProof.Role.OFFERER, "alice", "bob", exported, proof)).isTrue();
        assertThat(DirectProof.verify(key, DirectProof.Role.OFFERER, "ALICE", "Bob", exported, proof))
                .as("names compare ignoring case").isTrue();
        assertThat(DirectProof.verify(key, DirectProof.Role.OFFERER, "alice", "bob", filled(8), proof))
                .as("another TLS session").isFalse();
        assertThat(DirectProof.verify(key, DirectProof.Role.ACCEPTER, "alice", "bob", exported, proof))
                .as("sent back to its maker in the other role").isFalse();
        assertThat(DirectProof.verify(key, DirectProof.Role.OFFERER, "alice", "carol", exported, proof))
                .as("made for someone else").isFalse();
        assertThat(DirectProof.verify(Identity.generate().publicIdentity(), DirectProof.Role.OFFERER, "alice", "bob",
                exported, proof)).as("another key").isFalse();
        assertThat(DirectProof.verify(key, DirectProof.Role.OFFERER, "alice", "bob", exported, "not a signature"))
                .isFalse();
    }

    @Test
    void aProof_needsTwoNamesAndTheExportedBytes() {
        assertThatThrownBy(() -> DirectProof.sign(alice, DirectProof.Role.OFFERER, "al ice", "bob", exported))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DirectProof.sign(alice, DirectProof.Role.OFFERER, "alice", "bob", new byte[31]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
