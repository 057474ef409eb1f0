package dev.chat.client.identity;

import dev.chat.protocol.NameRules;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The ids of the sealed messages a client has opened, per sender, so that a message delivered
 * twice (a server that sends an old message again) is refused the second time. For each sender
 * it keeps the {@value #WINDOW} latest ids; an id older than all of them, or equal to one, is
 * refused. Messages from one sender reach a client in the order they were sent, and up to
 * {@value #WINDOW} places out of order are still taken, so a message that is not a copy is
 * refused only when its sender's clock went back by more than its last {@value #WINDOW}
 * messages took (a clock set back between runs, or one identity used in turn from two computers
 * whose clocks differ that much). At most {@value #WINDOW} + 1 ids per sender, for the senders
 * whose messages authenticated. The memory lasts as long as this object: a client started
 * afresh has not seen anything yet. Thread-safe.
 */
public final class ReplayGuard {

    /** How many ids are kept per sender. */
    public static final int WINDOW = 256;

    /** The ids seen, and the newest id forgotten, of each sender (by name key); guarded by {@code this}. */
    private final Map<String, Window> senders = new HashMap<>();

    /**
     * Whether {@code id} from {@code sender} is new, remembering it when it is. Call only for a
     * message whose authentication succeeded, or anyone could fill the memory with ids.
     */
    synchronized boolean firstSight(String sender, MessageId id) {
        Window window = senders.computeIfAbsent(NameRules.key(sender), name -> new Window());
        if (window.forgotten != null && id.compareTo(window.forgotten) <= 0) {
            return false;
        }
        if (!window.seen.add(id)) {
            return false;
        }
        if (window.seen.size() > WINDOW) {
            window.forgotten = window.seen.pollFirst();
        }
        return true;
    }

    /** One sender's ids: the latest ones, and the newest of those dropped from the set. */
    private static final class Window {
        final TreeSet<MessageId> seen = new TreeSet<>();
        MessageId forgotten;
    }
}
