package dev.chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoomNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"#a", "#lobby", "#Dev.ops-2_x", "#abcdefghijklmnopqrstuvwxyz0123"})
    void isValid_acceptsHashAndUpToThirtyNameCharacters(String room) {
        assertThat(RoomNames.isValid(room)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "#", "lobby", "##a", "#a b", "#é", "#abcdefghijklmnopqrstuvwxyz01234"})
    void isValid_refusesEverythingElse(String room) {
        assertThat(RoomNames.isValid(room)).isFalse();
    }
}
