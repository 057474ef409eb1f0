package dev.chat.server;

import java.net.InetAddress;
import java.util.List;

/**
 * Who a web client is when it comes through reverse proxies: the address in
 * {@code X-Forwarded-For} that the nearest trusted proxies vouch for. The header is believed
 * only from the configured proxies, since anybody else could write anything in it.
 */
final class ForwardedAddress {

    private ForwardedAddress() {
    }

    /**
     * The client's address: {@code peer} itself unless it is a trusted proxy; else the last
     * address of {@code forwardedFor} (read from the right, each proxy appending the address
     * it saw) that is not a trusted proxy.
     *
     * @param peer         the address of the connection's other end
     * @param forwardedFor the {@code X-Forwarded-For} header's values, in order; empty when absent
     * @param trusted      the proxies whose header is believed
     */
    static InetAddress of(InetAddress peer, List<String> forwardedFor, List<AddressRange> trusted) {
        InetAddress client = peer;
        if (!isTrusted(client, trusted)) {
            return client;
        }
        List<String> hops = forwardedFor.stream().flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::strip).filter(hop -> !hop.isEmpty()).toList();
        for (String hop : hops.reversed()) {
            InetAddress address;
            try {
                address = InetAddress.ofLiteral(hop);
            } catch (IllegalArgumentException e) {
                // Not an address (a proxy's "unknown"): nothing further left can be believed.
                return client;
            }
            client = address;
            if (!isTrusted(client, trusted)) {
                return client;
            }
        }
        return client;
    }

    static boolean isTrusted(InetAddress address, List<AddressRange> trusted) {
        for (AddressRange range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
