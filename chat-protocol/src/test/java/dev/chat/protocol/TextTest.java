package dev.chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void stripControls_removesEscapeBellNulDelAndC1ButKeepsTab() {
        String hostile = "a\u001b[31mred\u0007\u0000b\u007f\u009bc\td";
        assertThat(Text.stripControls(hostile)).isEqualTo("a[31mredbc\td");
    }

    @Test
    void stripControls_removesBidirectionalOverridesAndIsolates() {
        String spoof = "invoice\u202Egpj.exe \u2066x\u2069 \u202Ay\u202C line\u2028break\u2029";
        assertThat(Text.stripControls(spoof)).isEqualTo("invoicegpj.exe x y linebreak");
    }

    @Test
    void stripControls_keepsUnicodeText() {
        assertThat(Text.stripControls("grüße 😀 日本")).isEqualTo("grüße 😀 日本");
    }
}
