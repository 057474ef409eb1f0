package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who a web client is behind reverse proxies, and that nobody else's X-Forwarded-For is believed. */
class ForwardedAddressTest {

    private static final List<AddressRange> PROXIES = List.of(AddressRange.parse("10.0.0.0/8"),
            AddressRange.parse("127.0.0.1/32"));

    private static InetAddress address(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void aClientThatIsNoTrustedProxy_isItselfWhateverItsHeaderSays() {
        assertThat(ForwardedAddress.of(address("203.0.113.9"), List.of("192.0.2.7"), PROXIES))
                .isEqualTo(address("203.0.113.9"));
    }

    @Test
    void behindATrustedProxy_theClientIsTheLastAddressNoTrustedProxyAdded() {
        assertThat(ForwardedAddress.of(address("127.0.0.1"), List.of("192.0.2.7"), PROXIES))
                .isEqualTo(address("192.0.2.7"));
        assertThat(ForwardedAddress.of(address("127.0.0.1"), List.of("198.51.100.1, 192.0.2.7, 10.1.2.3"), PROXIES))
                .as("a chain of proxies, the client's own claim on the left ignored")
                .isEqualTo(address("192.0.2.7"));
        assertThat(ForwardedAddress.of(address("127.0.0.1"), List.of("198.51.100.1", "2001:db8::7"), PROXIES))
                .as("the header given twice").isEqualTo(address("2001:db8::7"));
    }

    @Test
    void withoutAHeaderOrWithGarbage_theProxyItselfIsTheClient() {
        assertThat(ForwardedAddress.of(address("127.0.0.1"), List.of(), PROXIES)).isEqualTo(address("127.0.0.1"));
        assertThat(ForwardedAddress.of(address("127.0.0.1"), List.of("unknown"), PROXIES))
                .isEqualTo(address("127.0.0.1"));
        assertThat(ForwardedAddress.of(address("127.0.0.1"), List.of("evil.example.org"), PROXIES))
                .as("a name is never looked up").isEqualTo(address("127.0.0.1"));
    }

    @Test
    void withNoTrustedProxies_theHeaderIsNeverBelieved() {
        assertThat(ForwardedAddress.of(address("127.0.0.1"), List.of("192.0.2.7"), List.of()))
                .isEqualTo(address("127.0.0.1"));
    }
}
