package dev.chat.client.direct;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The names received files are saved under: never a path elsewhere, never over another file. */
class SaveNameTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "report.pdf|report.pdf",
        "../../.bashrc|bashrc",
        "/etc/passwd|passwd",
        "C:\\Users\\x\\notes.txt|notes.txt",
        "..|file",
        "'  '|file",
        "a\u0000b\u001bc.txt|abc.txt",
        "x:y.txt|xy.txt"})
    void clean_keepsOnlyAFileNameOfItsOwn(String offered, String kept) {
        assertThat(SaveName.clean(offered)).isEqualTo(kept);
    }

    @Test
    void clean_cutsALongNameBeforeItsExtension() {
        String kept = SaveName.clean("a".repeat(500) + ".tar.gz");
        assertThat(kept).hasSize(SaveName.MAX_CHARACTERS).endsWith("a.gz");
    }

    @Test
    void numbered_putsTheNumberBeforeTheExtension() {
        Path wanted = Path.of("downloads", "photos.tar");
        assertThat(SaveName.numbered(wanted, 0)).isEqualTo(wanted);
        assertThat(SaveName.numbered(wanted, 2)).isEqualTo(Path.of("downloads", "photos (2).tar"));
        assertThat(SaveName.numbered(Path.of("README"), 1)).isEqualTo(Path.of("README (1)"));
    }
}
