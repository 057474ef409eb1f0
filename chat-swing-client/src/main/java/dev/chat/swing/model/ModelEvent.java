package dev.chat.swing.model;

import dev.chat.client.ConnectionState;
import dev.chat.client.Privacy;
import dev.chat.client.Verification;
import java.util.List;

/**
 * What a {@link ChatModel} tells its view, one value per event. Events come in order on the
 * model's own thread; every one is immutable, so a view may keep it.
 *
 * <p>Conversations are named by keys: {@link ChatModel#ROOM} for the server's default room,
 * {@link ChatModel#roomKey(String)} for any other room, the peer's name key for a private one.
 */
public sealed interface ModelEvent {

    /** A line was added to a conversation. */
    record EntryAdded(String conversation, Entry entry) implements ModelEvent {
    }

    /**
     * A private conversation with {@code peer} exists now, or the user asked to see it;
     * {@code show} says whether the view should bring it to the front.
     */
    record ConversationOpened(String conversation, String peer, boolean show) implements ModelEvent {
    }

    /**
     * The user is in {@code room} now (joined, or joined again after a reconnection); its
     * conversation keeps the lines it had. {@code show} says whether to bring it to the front.
     */
    record RoomOpened(String conversation, String room, boolean show) implements ModelEvent {
    }

    /**
     * {@code peer} offers a direct connection between the two clients: the view asks the user,
     * who answers with {@link ChatModel#answerDirect}.
     */
    record DirectOffered(String conversation, String peer) implements ModelEvent {
    }

    /**
     * {@code peer} offers a file over the direct connection: the view asks where to save it, and
     * answers with {@link ChatModel#saveFile}.
     */
    record FileOffered(String conversation, String peer, long id, String fileName, long size) implements ModelEvent {
    }

    /**
     * How far a file to or from {@code peer} is: {@code done} of {@code size} bytes; {@code finished}
     * once it arrived whole, failed or was refused (the conversation says which).
     */
    record FileProgress(String peer, long id, String fileName, long done, long size, boolean outgoing,
                        boolean finished) implements ModelEvent {
    }

    /** The user left the room of {@code conversation}; its view should go. */
    record RoomClosed(String conversation) implements ModelEvent {
    }

    /** The server named its default room, whose conversation is {@link ChatModel#ROOM}. */
    record DefaultRoomNamed(String room) implements ModelEvent {
    }

    /**
     * A private peer took a new name: the conversation once under {@code oldKey} is under
     * {@code newKey} now (the same key when only the case changed).
     */
    record ConversationRenamed(String oldKey, String newKey, String peer) implements ModelEvent {
    }

    /** How many messages in a conversation have not been seen. */
    record UnreadChanged(String conversation, int unread) implements ModelEvent {
    }

    /**
     * Who is in the room of {@code conversation}: their names, sorted ignoring case, and how many
     * they are. For a large room, whose names the server does not tell, {@code names} is empty:
     * {@link ChatModel#findNames} finds them.
     */
    record UsersChanged(String conversation, List<String> names, int total) implements ModelEvent {
        public UsersChanged {
            names = List.copyOf(names);
        }

        /** Whether the room is large: only how many are in it is known. */
        public boolean large() {
            return names.size() != total;
        }
    }

    /**
     * The answer to {@link ChatModel#findNames}: the names in the room of {@code conversation}
     * that start with {@code prefix}, ignoring case, sorted ignoring case; for a large room the
     * first page the server found ({@link dev.chat.protocol.Protocol#NAMES_PER_PAGE} at most).
     */
    record NamesFound(String conversation, String prefix, List<String> names) implements ModelEvent {
        public NamesFound {
            names = List.copyOf(names);
        }
    }

    /** A room's topic, empty when it has none. */
    record TopicChanged(String conversation, String topic) implements ModelEvent {
    }

    /** The server listed its rooms, in its order. */
    record RoomsListed(List<RoomInfo> rooms) implements ModelEvent {
        public RoomsListed {
            rooms = List.copyOf(rooms);
        }
    }

    /**
     * How the last private message in the conversation with a peer travelled: sealed (and for a
     * verified contact), or not; what the tab's lock shows.
     */
    record PrivacyChanged(String conversation, Privacy privacy) implements ModelEvent {
    }

    /**
     * The key of the peer of {@code conversation} changed, or the server says the peer has no key
     * any more ({@code keyGone}): to be shown loudly, with a way to accept the change
     * ({@link ChatModel#acceptKey}). {@code waiting} messages to the peer wait until then.
     */
    record KeyChanged(String conversation, String peer, String message, int waiting, boolean keyGone)
            implements ModelEvent {
    }

    /** The user accepted the change of the peer's key in {@code conversation}: the warning can go. */
    record KeyAccepted(String conversation) implements ModelEvent {
    }

    /** The safety number asked for with {@link ChatModel#verify}, to show and compare. */
    record VerificationReady(String conversation, Verification verification) implements ModelEvent {
    }

    /** The connection state changed. */
    record StateChanged(ConnectionState state) implements ModelEvent {
    }

    /** A connect request from the user ended. */
    record ConnectFinished(ConnectOutcome outcome) implements ModelEvent {
    }

    /**
     * The connection was lost and bringing it back stopped: the user has to do something
     * ({@code outcome} says what), e.g. give the password again.
     */
    record ReconnectStopped(ConnectOutcome outcome) implements ModelEvent {
    }

    /**
     * How many messages want the user's attention while the window is not focused;
     * {@code cause} is the message that raised the count, or null when it went back to 0.
     */
    record AttentionChanged(int count, Entry cause) implements ModelEvent {
    }

    /** The user quit; the connection is closed and the application may end. */
    record QuitFinished() implements ModelEvent {
    }
}
