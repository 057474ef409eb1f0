package dev.chat.client;

import dev.chat.client.identity.OpenFailedException;
import dev.chat.protocol.ServerLine;

/**
 * Everything a {@link ChatClient} tells its view, one value per event. Events come in order on
 * the client's {@code chat-events} thread, after the client's own state ({@link ChatClient#rooms()},
 * {@link ChatClient#state()}) has taken them in.
 *
 * <p>A room's events lie between its {@link RoomEntered} and its {@link RoomLeft}: the entry
 * comes before the line that says so, the leaving after it, so a view that keeps a
 * conversation per room has it ready for every line of that room.
 */
public sealed interface ClientEvent {

    /**
     * A line from the server; every line but the key challenge, which only signing on uses,
     * private messages, told as {@link PrivateLine}, and the answers to the {@code /key} requests
     * the client sent itself.
     *
     * @param room the room the line belongs to (for the default room's lines, which carry no room
     *             name, the default room's name); null for lines of no room: private messages,
     *             notices, errors, nick changes, the answers to {@code /who} and {@code /rooms}
     */
    record LineReceived(ServerLine line, String room) implements ClientEvent {
    }

    /**
     * A private message to or from the user, with the text as its writer wrote it: opened when it
     * came sealed, the text sealed when the user sent it.
     *
     * @param line    a {@link ServerLine.PrivateMessage} (to the user) or a
     *                {@link ServerLine.PrivateSent} (the server's confirmation of the user's own)
     * @param privacy whether it was sealed, and for a verified contact
     */
    record PrivateLine(ServerLine line, Privacy privacy) implements ClientEvent {
    }

    /**
     * A sealed private message from {@code from} could not be opened.
     *
     * @param reason  why, or null when this client has no keys or the sender's key could not be had
     * @param message what to tell the user
     */
    record PrivateNotOpened(String from, OpenFailedException.Reason reason, String message) implements ClientEvent {
    }

    /**
     * A private message the user wrote to {@code to} was not sent: too long for one line, nobody
     * of that name, the connection lost while it waited. {@code reason} is fit for users.
     */
    record PrivateNotSent(String to, String text, String reason) implements ClientEvent {
    }

    /**
     * The server gave another key for {@code name} than the one pinned, or says that {@code name}
     * has no key any more ({@code offeredFingerprint} null). Tell the user loudly: messages to
     * {@code name} wait (and sealed ones from them are kept unopened) until the user accepts the
     * change ({@link ChatClient#acceptKey}).
     *
     * @param waiting how many messages to {@code name} wait now
     * @param message the warning, with both fingerprints and what to do
     */
    record KeyChanged(String name, String pinnedFingerprint, String offeredFingerprint, boolean wasVerified,
                      int waiting, String message) implements ClientEvent {
    }

    /**
     * {@code name} offers a direct connection between the two clients; the user may accept it
     * ({@link ChatClient#acceptDirect}) or decline it ({@link ChatClient#declineDirect}).
     */
    record DirectOffered(String name) implements DirectEvent {
    }

    /**
     * A direct connection with {@code name} is open, both sides having proved their keys: private
     * lines and files to {@code name} go over it from now on.
     *
     * @param address the other side's address and port, as this client sees it
     */
    record DirectOpened(String name, String address) implements DirectEvent {
    }

    /** A line said over the direct connection with {@code name}: by them, or by the user ({@code outgoing}). */
    record DirectMessage(String name, String text, boolean outgoing) implements DirectEvent {
    }

    /** The direct connection with {@code name} ended; {@code reason} is fit for users. */
    record DirectClosed(String name, String reason) implements DirectEvent {
    }

    /**
     * No direct connection with {@code name} was made: declined, refused for a key, or the
     * network let none through. {@code reason} is fit for users and names the relayed private
     * chat ({@code /msg}) instead.
     */
    record DirectFailed(String name, String reason) implements DirectEvent {
    }

    /**
     * {@code name} offers a file over the direct connection; the user saves it
     * ({@link ChatClient#acceptFile}) or refuses it ({@link ChatClient#refuseFile}).
     *
     * @param fileName the name it was offered under, made safe: no directories, no control characters
     */
    record FileOffered(String name, long id, String fileName, long size) implements DirectEvent {
    }

    /** How far a file to or from {@code name} is: {@code done} of {@code size} bytes. Told at most once per percent. */
    record FileProgress(String name, long id, String fileName, long done, long size, boolean outgoing)
            implements DirectEvent {
    }

    /**
     * A file to or from {@code name} arrived whole, its SHA-256 checked by the receiver.
     *
     * @param saved where it was saved; null for a file the user sent
     */
    record FileDone(String name, long id, String fileName, java.nio.file.Path saved, boolean outgoing)
            implements DirectEvent {
    }

    /** A file to or from {@code name} was not sent or not saved; {@code reason} is fit for users. */
    record FileFailed(String name, long id, String fileName, String reason, boolean outgoing) implements DirectEvent {
    }

    /** The connection's state changed; also when the user's own name changed ({@code /nick}). */
    record ConnectionChanged(ConnectionState state) implements ConnectionEvent {
    }

    /**
     * A signed-on connection ended without the user leaving; {@link ConnectionChanged} tells what comes next.
     *
     * @param next the server the client reconnects to first: the one after {@code endpoint} in the
     *             list signed on with, {@code endpoint} itself when it is the only one; null when the
     *             client does not reconnect
     */
    record ConnectionLost(Endpoint endpoint, Endpoint next) implements ConnectionEvent {
    }

    /**
     * When signing on to several servers, {@code endpoint} could not be reached or went away
     * before answering, for {@code reason} (fit for users); {@code next} is tried at once.
     */
    record ServerFailed(Endpoint endpoint, String reason, Endpoint next) implements ConnectionEvent {
    }

    /**
     * A reconnection attempt failed; {@code reason} is fit for users. Another attempt follows, on
     * {@code next}: with several servers, the next one of the list, at once unless it is the one lost.
     */
    record ReconnectFailed(int attempt, String reason, Endpoint next) implements ConnectionEvent {
    }

    /** A lost session is back, signed on again; the rooms it was in are being joined again. */
    record Reconnected(ConnectionState.SignedOn state) implements ConnectionEvent {
    }

    /**
     * Reconnecting stopped for good: trying again cannot help without the user (the password is
     * refused or wanted, the certificate is not trusted or changed, the name is refused).
     */
    record ReconnectStopped(Login.Outcome outcome) implements ConnectionEvent {
    }

    /**
     * The user is in {@code room} now.
     *
     * @param rejoined whether the client joined it again by itself after a reconnection, rather
     *                 than the user asking for it now
     */
    record RoomEntered(String room, boolean rejoined) implements ClientEvent {
    }

    /** The user is no longer in {@code room}. */
    record RoomLeft(String room) implements ClientEvent {
    }

    /** The rooms the user is in, the current one, or the default room's name changed. */
    record RoomsChanged(Rooms rooms) implements ClientEvent {
    }

    /** Who is in {@code room}, one of the user's rooms, changed. */
    record MembersChanged(String room, Members members) implements ClientEvent {
    }

    /** The events of direct connections between two clients, and of the files sent over them. */
    sealed interface DirectEvent extends ClientEvent {
    }

    /** The events about the connection rather than the conversation. */
    sealed interface ConnectionEvent extends ClientEvent {
    }
}
