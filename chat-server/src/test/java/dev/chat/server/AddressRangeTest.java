package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class AddressRangeTest {

    @Test
    void contains_matchesAddressesInTheBlock() throws Exception {
        AddressRange loopback = AddressRange.parse("127.0.0.0/8");
        assertThat(loopback.contains(InetAddress.getByName("127.1.2.3"))).isTrue();
        assertThat(loopback.contains(InetAddress.getByName("128.0.0.1"))).isFalse();
        assertThat(loopback.contains(InetAddress.getByName("::1"))).isFalse();
    }

    @Test
    void contains_handlesPrefixesThatSplitAByte() throws Exception {
        AddressRange range = AddressRange.parse("192.0.2.64/26");
        assertThat(range.contains(InetAddress.getByName("192.0.2.127"))).isTrue();
        assertThat(range.contains(InetAddress.getByName("192.0.2.128"))).isFalse();
        assertThat(range.contains(InetAddress.getByName("192.0.2.63"))).isFalse();
    }

    @Test
    void parse_takesASingleAddressAsABlockOfOne() throws Exception {
        AddressRange one = AddressRange.parse("::1");
        assertThat(one.contains(InetAddress.getByName("::1"))).isTrue();
        assertThat(one.contains(InetAddress.getByName("::2"))).isFalse();
        assertThat(one).hasToString("0:0:0:0:0:0:0:1/128");
    }

    @Test
    void parse_refusesHostNamesAndBadPrefixes() {
        assertThatThrownBy(() -> AddressRange.parse("localhost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
