package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OpenFileLimitTest {

    private static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max processes             94000                94000                processes
            Max open files            20000                20000                files
            Max locked memory         8388608              8388608              bytes
            """;

    @Test
    void parse_readsTheSoftLimitOfOpenFiles() {
        assertThat(OpenFileLimit.parse(LIMITS)).hasValue(20_000);
        assertThat(OpenFileLimit.parse(LIMITS.replace("20000                20000", "1024                 4096")))
                .hasValue(1024);
    }

    @Test
    void parse_isEmptyWhenUnlimitedOrMissing() {
        assertThat(OpenFileLimit.parse(LIMITS.replace("20000                20000", "unlimited            unlimited")))
                .isEmpty();
        assertThat(OpenFileLimit.parse("Limit Soft Limit\nMax processes 10 10 processes\n")).isEmpty();
    }

    @Test
    void current_onLinuxIsAtLeastTheLimitTheJvmRaisedItTo() {
        OptionalLong limit = OpenFileLimit.current();
        if (System.getProperty("os.name").startsWith("Linux")) {
            assertThat(limit).isPresent();
            assertThat(limit.getAsLong()).isPositive();
        }
    }

    @Test
    void warningFor_saysWhenMaxClientsAndHeadroomPassTheLimit() {
        assertThat(OpenFileLimit.warningFor(19_000, 20_000)).isNull();
        assertThat(OpenFileLimit.warningFor(20_000 - OpenFileLimit.HEADROOM, 20_000)).isNull();
        assertThat(OpenFileLimit.warningFor(20_000 - OpenFileLimit.HEADROOM + 1, 20_000))
                .contains("max-clients is 19901", "only 20000 files", "about 19900 clients");
        assertThat(OpenFileLimit.warningFor(100_000, 1024)).contains("max-clients is 100000", "about 924 clients");
    }
}
