package dev.chat.client;

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
     * A line from the server; every line but the key challenge, which only signing on uses.
     *
     * @param room the room the line belongs to (for the default room's lines, which carry no room
     *             name, the default room's name); null for lines of no room: private messages,
     *             notices, errors, nick changes, the answers to {@code /who} and {@code /rooms}
     */
    record LineReceived(ServerLine line, String room) implements ClientEvent {
    }

    /** The connection's state changed; also when the user's own name changed ({@code /nick}). */
    record ConnectionChanged(ConnectionState state) implements ConnectionEvent {
    }

    /** A signed-on connection ended without the user leaving; {@link ConnectionChanged} tells what comes next. */
    record ConnectionLost(Endpoint endpoint) implements ConnectionEvent {
    }

    /** A reconnection attempt failed; {@code reason} is fit for users. Another attempt follows. */
    record ReconnectFailed(int attempt, String reason) implements ConnectionEvent {
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

    /** The events about the connection rather than the conversation. */
    sealed interface ConnectionEvent extends ClientEvent {
    }
}
