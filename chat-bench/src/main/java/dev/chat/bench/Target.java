package dev.chat.bench;

import java.net.InetSocketAddress;

/**
 * The server under load: where it listens, its process (for CPU and memory; -1 when unknown),
 * and the protocol it speaks.
 */
record Target(InetSocketAddress address, long pid, Dialect dialect) {
}
