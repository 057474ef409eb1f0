package dev.chat.server;

import dev.chat.protocol.Protocol;
import java.nio.file.Path;

/**
 * What a server is told at start and, for the settings marked reloadable, again on SIGHUP.
 *
 * @param bind           the address to listen on
 * @param port           the port to listen on; 0 picks a free one
 * @param maxClients     how many connections at once, registered or not (reloadable)
 * @param maxLineBytes   the longest line a client may send, without its terminator (reloadable)
 * @param sendQueueBytes how much may wait for one slow client before it is dropped (reloadable)
 * @param greetingFile   text sent to every new connection before the name prompt, or null
 *                       for the built-in greeting (reloadable)
 */
public record ServerConfig(String bind, int port, int maxClients, int maxLineBytes, int sendQueueBytes,
        Path greetingFile) {

    public static final String DEFAULT_BIND = "0.0.0.0";
    public static final int DEFAULT_MAX_CLIENTS = 10_000;
    public static final int DEFAULT_SEND_QUEUE_BYTES = 1024 * 1024;

    public ServerConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 to 65535: " + port);
        }
        if (maxClients < 1 || maxLineBytes < 1 || sendQueueBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** The defaults: every address, port 5555, the documented limits, the built-in greeting. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_BIND, Protocol.DEFAULT_PORT, DEFAULT_MAX_CLIENTS,
                Protocol.DEFAULT_MAX_LINE_BYTES, DEFAULT_SEND_QUEUE_BYTES, null);
    }

    public ServerConfig withBind(String newBind) {
        return new ServerConfig(newBind, port, maxClients, maxLineBytes, sendQueueBytes, greetingFile);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(bind, newPort, maxClients, maxLineBytes, sendQueueBytes, greetingFile);
    }

    public ServerConfig withMaxClients(int newMaxClients) {
        return new ServerConfig(bind, port, newMaxClients, maxLineBytes, sendQueueBytes, greetingFile);
    }

    public ServerConfig withMaxLineBytes(int newMaxLineBytes) {
        return new ServerConfig(bind, port, maxClients, newMaxLineBytes, sendQueueBytes, greetingFile);
    }

    public ServerConfig withSendQueueBytes(int newSendQueueBytes) {
        return new ServerConfig(bind, port, maxClients, maxLineBytes, newSendQueueBytes, greetingFile);
    }

    public ServerConfig withGreetingFile(Path newGreetingFile) {
        return new ServerConfig(bind, port, maxClients, maxLineBytes, sendQueueBytes, newGreetingFile);
    }
}
