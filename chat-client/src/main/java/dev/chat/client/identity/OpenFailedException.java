package dev.chat.client.identity;

/** A sealed message could not be opened, and why ({@link #reason()}); the message says it for the user. */
public final class OpenFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a sealed message was not opened. */
    public enum Reason {
        /** The text is not a sealed message in a form this client reads: cut short or damaged. */
        MALFORMED("it is damaged: not a sealed message this client can read"),
        /** The message was sealed by a newer version of the client, in a form this one does not know. */
        UNKNOWN_VERSION("it was sealed by a newer version of the client"),
        /** The message was sealed for a key of yours other than the one you hold now (or for someone else). */
        WRONG_RECIPIENT_KEY("it was sealed for another key than yours: the sender may hold an old key of yours"),
        /** The message was sealed with a key other than the one you pinned for its sender. */
        WRONG_SENDER_KEY("it was sealed with another key than the one you hold for the sender"),
        /** The message fails its authentication: changed on the way, or not sealed by the sender. */
        TAMPERED("it was changed on the way, or not sealed by the sender"),
        /** A copy of a message already opened, or older than the latest ones opened from its sender ({@link ReplayGuard}). */
        REPLAYED("it is a copy of a message you already received, or older than the latest ones from the sender");

        private final String explanation;

        Reason(String explanation) {
            this.explanation = explanation;
        }

        /** A sentence fragment for the user, e.g. "it was changed on the way, or not sealed by the sender". */
        public String explanation() {
            return explanation;
        }
    }

    private final Reason reason;

    OpenFailedException(Reason reason, String sender) {
        super("a private message from " + sender + " could not be read: " + reason.explanation());
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
