package dev.chat.client;

/** How a private message travelled between the user and the other side, as the views mark it. */
public enum Privacy {
    /** Sealed end to end, for or from a key pinned but not verified. */
    SEALED,
    /** Sealed end to end, for or from a key whose safety number the user compared ({@code /verify}). */
    VERIFIED,
    /** In the clear: the other side has no key, or this client runs without keys. The server can read it. */
    NOT_SEALED,
    /**
     * In the clear, from a contact whose key is pinned: the server, or someone else now using the
     * name, may have written it.
     */
    NOT_SEALED_FROM_KEY_HOLDER,
    /**
     * Over a direct connection between the two clients, never through the server: TLS 1.3, both
     * sides having proved the keys pinned for them.
     */
    DIRECT;

    /** Whether only the two sides can read the message. */
    public boolean sealed() {
        return this == SEALED || this == VERIFIED || this == DIRECT;
    }
}
