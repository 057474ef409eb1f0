package dev.chat.client.direct;

import java.io.IOException;

/** The other side of a direct connection did not prove the key pinned for its name, or said another name. */
final class DirectRefusedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** @param message what to tell the user */
    DirectRefusedException(String message) {
        super(message);
    }
}
