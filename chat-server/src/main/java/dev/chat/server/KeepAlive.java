package dev.chat.server;

import java.io.IOException;
import java.net.Socket;
import jdk.net.ExtendedSocketOptions;

/**
 * TCP keepalive for accepted connections, so that a client that vanished without closing
 * (cable pulled, laptop lid shut) is noticed and its name freed. Costs nothing while the
 * client is there, and never drops a client for merely being quiet: only a peer that stops
 * answering the kernel's probes is dropped.
 */
final class KeepAlive {

    private KeepAlive() {
    }

    /** Turns keepalive on for {@code socket} with the timings of {@code config}, where the platform allows. */
    static void apply(Socket socket, ServerConfig config) throws IOException {
        if (!config.keepAlive()) {
            return;
        }
        socket.setKeepAlive(true);
        // Per-socket timings where the platform has them (Linux, macOS); else the system's defaults.
        if (socket.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, seconds(config.keepAliveIdle().toSeconds()));
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, seconds(config.keepAliveInterval().toSeconds()));
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, config.keepAliveCount());
        }
    }

    private static int seconds(long seconds) {
        return (int) Math.max(1, Math.min(seconds, Short.MAX_VALUE));
    }
}
