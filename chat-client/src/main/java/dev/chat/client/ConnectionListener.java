package dev.chat.client;

import dev.chat.protocol.ServerLine;

/** Receives what a {@link Connection} reads; every call comes on that connection's reader thread. */
public interface ConnectionListener {

    /** A line arrived from the server. */
    void onLine(ServerLine line);

    /**
     * The connection ended: the server closed it, the network failed, or {@link Connection#close()}
     * was called. Called exactly once, after the last {@link #onLine}.
     *
     * @param byUs whether {@link Connection#close()} ended it
     */
    void onClosed(boolean byUs);
}
