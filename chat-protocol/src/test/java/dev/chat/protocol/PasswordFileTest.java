package dev.chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PasswordFileTest {

    @TempDir
    Path directory;

    @Test
    void theFirstLineIsThePassword_blanksIncluded_theRestIgnored() throws IOException {
        Path file = directory.resolve("password");
        Files.writeString(file, "correct horse 7\r\nsecond line\n");

        assertThat(PasswordFile.read(file)).isEqualTo("correct horse 7");
    }

    @Test
    void anEmptyOrBlankFirstLine_isRefusedNamingTheFile() throws IOException {
        Path empty = directory.resolve("empty");
        Files.writeString(empty, "   \nsecret\n");

        assertThatThrownBy(() -> PasswordFile.read(empty)).isInstanceOf(IOException.class)
                .hasMessage("the password file " + empty + " has no password on its first line");
    }

    @Test
    void aMissingFile_saysSoWithoutAStackOfDetail() {
        Path missing = directory.resolve("missing");

        assertThatThrownBy(() -> PasswordFile.read(missing)).isInstanceOf(IOException.class)
                .hasMessage("cannot read the password file " + missing + " (no such file)");
    }

    @Test
    void invalidUtf8_isRefused() throws IOException {
        Path file = directory.resolve("latin1");
        Files.write(file, new byte[] {'p', (byte) 0xE9, '\n'});

        assertThatThrownBy(() -> PasswordFile.read(file)).isInstanceOf(IOException.class)
                .hasMessageContaining("not UTF-8 text");
    }
}
