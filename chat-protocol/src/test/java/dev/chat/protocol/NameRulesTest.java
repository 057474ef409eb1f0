package dev.chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "alice", "Bob_2", "x.y-z", "ABCDEFGHIJKLMNOPQRST"})
    void check_acceptsLettersDigitsUnderscoreDashDot(String name) {
        assertThat(NameRules.check(name)).isNull();
    }

    @Test
    void check_rejectsEmptyName() {
        assertThat(NameRules.check("")).isEqualTo(NameRules.Problem.EMPTY);
    }

    @Test
    void check_rejectsMoreThanTwentyCharacters() {
        assertThat(NameRules.check("ABCDEFGHIJKLMNOPQRSTU")).isEqualTo(NameRules.Problem.TOO_LONG);
    }

    @ParameterizedTest
    @ValueSource(strings = {"al ice", "bob:", "[PM]", "héllo", "a*b", "tab\there", "x\u001b"})
    void check_rejectsOtherCharacters(String name) {
        assertThat(NameRules.check(name)).isEqualTo(NameRules.Problem.BAD_CHARACTER);
    }

    @Test
    void key_ignoresCase() {
        assertThat(NameRules.key("Alice")).isEqualTo(NameRules.key("aLICE"));
    }
}
