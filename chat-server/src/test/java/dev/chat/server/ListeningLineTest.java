package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The "listening" line that scripts, the benchmark and the tests wait for, and the port they read from it. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ListeningLineTest {

    @Test
    void parse_readsBackThePortOfEitherListener() {
        assertThat(ListeningLine.parse(ListeningLine.plain("127.0.0.1", 40123, Path.of("chat.log"))))
                .contains(new ListeningLine(false, "127.0.0.1", 40123));
        assertThat(ListeningLine.parse(ListeningLine.tls("0.0.0.0", 5556, "AB:CD")))
                .contains(new ListeningLine(true, "0.0.0.0", 5556));
    }

    @Test
    void parse_tellsTheWebListenersLineApart() {
        assertThat(ListeningLine.web("0.0.0.0", 8080, false))
                .isEqualTo("chat-server listening for the web client on http://0.0.0.0:8080/");
        assertThat(ListeningLine.parse(ListeningLine.web("0.0.0.0", 8080, false)))
                .contains(new ListeningLine(false, "0.0.0.0", 8080, true));
        assertThat(ListeningLine.parse(ListeningLine.web("127.0.0.1", 8443, true)))
                .contains(new ListeningLine(true, "127.0.0.1", 8443, true));
    }

    @Test
    void parse_takesAnIpv6AddressWhole() {
        assertThat(ListeningLine.parse(ListeningLine.plain("::", 5555, Path.of("/var/log/chat:5, the log"))))
                .contains(new ListeningLine(false, "::", 5555));
    }

    @Test
    void metricsLine_namesItsPortAndIsNoListeningLineForChat() {
        String line = ListeningLine.metrics("127.0.0.1", 9464);
        assertThat(line).isEqualTo("chat-server metrics on 127.0.0.1:9464, http://127.0.0.1:9464/metrics");
        assertThat(ListeningLine.parseMetricsPort(line)).hasValue(9464);
        assertThat(ListeningLine.parse(line)).isEmpty();
        assertThat(ListeningLine.metrics("::1", 9464)).endsWith("http://[::1]:9464/metrics");
        assertThat(ListeningLine.parseMetricsPort(ListeningLine.metrics("::1", 9464))).hasValue(9464);
        assertThat(ListeningLine.parseMetricsPort(ListeningLine.plain("127.0.0.1", 5555, Path.of("chat.log"))))
                .isEmpty();
    }

    @Test
    void parse_leavesOtherOutputAlone() {
        assertThat(ListeningLine.parse("[0.012s][info][jfr] Started recording 1.")).isEmpty();
        assertThat(ListeningLine.parse("chat-server: cannot listen on 127.0.0.1:5555: Address already in use"))
                .isEmpty();
        assertThat(ListeningLine.parse("")).isEmpty();
    }
}
