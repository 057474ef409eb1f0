package dev.chat.swing.model;

import dev.chat.client.Privacy;
import dev.chat.client.Rooms;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.RoomNames;
import dev.chat.protocol.ServerLine;
import dev.chat.protocol.Text;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Files each server line into the conversation it belongs to, as the entry the window shows:
 * a room's lines into its conversation, private messages into the one with the peer, answers
 * into the conversation the user asked from. Not thread-safe: the model touches it on its own
 * thread.
 */
final class LineRouter {

    private final Conversations conversations;
    private final RoomListing listing;
    private final Consumer<ModelEvent> events;
    /** The server's default room, whose conversation is {@link ChatModel#ROOM}. */
    private String defaultRoom = RoomNames.DEFAULT_ROOM;
    /** Where the user last sent something from: answers that name no room go there. */
    private String lastSentFrom = ChatModel.ROOM;
    /** Matches the user's name as a word, for mentions; null before signing on. */
    private Pattern mention;
    /** Whether this connection was welcomed: before that, errors answer the name and the connect request tells them. */
    private boolean welcomed;
    /** Whether any connection was: a reconnection's greeting is not shown again. */
    private boolean everWelcomed;

    LineRouter(Conversations conversations, RoomListing listing, Consumer<ModelEvent> events) {
        this.conversations = conversations;
        this.listing = listing;
        this.events = events;
    }

    /** A new connection starts: not welcomed yet, no room list under way. */
    void connecting() {
        welcomed = false;
        listing.reset();
    }

    /** The user's name from now on: signed on with, or taken with {@code /nick}. */
    void named(String name) {
        conversations.setMe(name);
        mention = Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(name) + "(?![A-Za-z0-9_-])",
                Pattern.CASE_INSENSITIVE);
    }

    void defaultRoomIs(String room) {
        defaultRoom = room;
    }

    /** The user sent something from the conversation under {@code key}. */
    void sentFrom(String key) {
        lastSentFrom = key;
    }

    /** The key of the conversation of {@code room}: {@link ChatModel#ROOM} for the default room. */
    String keyOf(String room) {
        return Rooms.same(room, defaultRoom) ? ChatModel.ROOM : ChatModel.roomKey(room);
    }

    /** Files {@code line}, which the client says belongs to {@code room} (null: to no room). */
    void route(ServerLine line, String room) {
        LocalTime time = line.time() != null ? line.time() : LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
        switch (line) {
            case ServerLine.History history -> replayed(history);
            case ServerLine.PrivateMessage _, ServerLine.PrivateSent _ -> routePrivate(line, null);
            case ServerLine.NamePrompt _, ServerLine.PasswordPrompt _, ServerLine.DefaultRoom _ -> {
                // Sign-on is the client's business; the window shows its outcome.
            }
            case ServerLine.Error error -> {
                if (welcomed) {
                    conversations.add(lastSentFrom, new Entry(time, Entry.Kind.ERROR, null, clean(error.text()), false));
                }
            }
            case ServerLine.Info info -> {
                if (welcomed) {
                    conversations.add(lastSentFrom, new Entry(time, Entry.Kind.INFO, null, clean(info.text()), false));
                } else if (!everWelcomed) {
                    conversations.add(ChatModel.ROOM, new Entry(time, Entry.Kind.INFO, null, clean(info.text()), false));
                }
            }
            case ServerLine.Welcome welcome -> {
                welcomed = true;
                everWelcomed = true;
                conversations.add(ChatModel.ROOM, system(time, line));
            }
            case ServerLine.NickChanged nick -> renamed(nick, time);
            case ServerLine.Away away -> {
                String key = NameRules.key(away.name());
                conversations.add(conversations.get(key) != null ? key : lastSentFrom, system(time, line));
            }
            case ServerLine.RoomList list -> {
                if (listing.started(list)) {
                    conversations.add(lastSentFrom, system(time, list));
                }
            }
            case ServerLine.RoomEntry entry -> {
                if (listing.listed(entry)) {
                    conversations.add(lastSentFrom, system(time, entry));
                }
            }
            case ServerLine.Unknown unknown -> conversations.add(ChatModel.ROOM,
                    new Entry(time, Entry.Kind.INFO, null, clean(unknown.raw()), false));
            case ServerLine.Online who when room == null ->
                    // A /who answer: everyone on the server, shown where it was asked for.
                    conversations.add(lastSentFrom, system(time, who));
            case ServerLine.People who when room == null -> conversations.add(lastSentFrom, system(time, who));
            case ServerLine.NamePage page when room == null -> conversations.add(lastSentFrom, system(time, page));
            default -> {
                if (room != null) {
                    roomLine(room, line instanceof ServerLine.InRoom inRoom ? inRoom.line() : line, time);
                } else {
                    // Announcements, goodbyes, the server shutting down: for everyone, in the default room's view.
                    conversations.add(ChatModel.ROOM, system(time, line));
                }
            }
        }
    }

    /**
     * Files a private message, to or from the user, into the conversation with the peer, marked with
     * how it travelled ({@code privacy}, null when unknown); returns the conversation's key.
     */
    String routePrivate(ServerLine line, Privacy privacy) {
        LocalTime time = line.time() != null ? line.time() : LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
        return switch (line) {
            case ServerLine.PrivateMessage pm -> {
                String key = conversations.withPeer(pm.from());
                conversations.add(key, new Entry(time, Entry.Kind.PRIVATE_IN, clean(pm.from()), clean(pm.text()), false,
                        null, privacy));
                yield key;
            }
            case ServerLine.PrivateSent sent -> {
                String key = conversations.withPeer(sent.to());
                conversations.add(key, new Entry(time, Entry.Kind.PRIVATE_OUT, conversations.me(), clean(sent.text()),
                        false, null, privacy));
                yield key;
            }
            default -> throw new IllegalArgumentException("not a private message: " + line);
        };
    }

    /**
     * A line of {@code room}. Lines of a room the user is not in (answers to {@code /who #room}
     * or {@code /topic #room}) go where the user asked, with the room's name.
     */
    private void roomLine(String room, ServerLine line, LocalTime time) {
        String key = keyOf(room);
        Conversations.Conversation c = conversations.get(key);
        if (c != null && c.parting) {
            // Said before the server took the part: it belongs to the room, whose view is gone.
            conversations.add(key, system(time, line));
            return;
        }
        if (c == null || !c.joined) {
            conversations.add(lastSentFrom, new Entry(time, Entry.Kind.SYSTEM, null, room + ": " + clean(text(line)),
                    false));
            return;
        }
        switch (line) {
            case ServerLine.Chat chat -> {
                String from = clean(chat.from());
                String text = clean(chat.text());
                conversations.add(key, new Entry(time, Entry.Kind.CHAT, from, text, mentions(from, text)));
            }
            case ServerLine.Action action -> {
                String from = clean(action.name());
                String text = clean(action.text());
                conversations.add(key, new Entry(time, Entry.Kind.ACTION, from, text, mentions(from, text)));
            }
            case ServerLine.Topic topic -> topic(key, clean(topic.text()), system(time, line));
            case ServerLine.TopicChanged changed -> topic(key, clean(changed.text()), system(time, line));
            case ServerLine.Joined joined when key.equals(ChatModel.ROOM) -> alsoInPrivate(joined.name(), key, time, line);
            case ServerLine.Left left when key.equals(ChatModel.ROOM) -> alsoInPrivate(left.name(), key, time, line);
            default -> conversations.add(key, system(time, line));
        }
    }

    private void topic(String key, String topic, Entry entry) {
        events.accept(new ModelEvent.TopicChanged(key, topic));
        conversations.add(key, entry);
    }

    /** A join or leave in the default room shows in the private conversation with that user too, if any. */
    private void alsoInPrivate(String user, String key, LocalTime time, ServerLine line) {
        conversations.add(key, system(time, line));
        String peer = NameRules.key(user);
        Conversations.Conversation c = conversations.get(peer);
        if (c != null && c.isPrivate()) {
            conversations.add(peer, system(time, line));
        }
    }

    /** A line said before the user came: shown marked with its date, unless the conversation already shows it live. */
    private void replayed(ServerLine.History history) {
        ServerLine said = history.line();
        String key = ChatModel.ROOM;
        if (said instanceof ServerLine.InRoom inRoom) {
            key = keyOf(inRoom.room());
            said = inRoom.line();
        }
        Entry entry = switch (said) {
            case ServerLine.Chat chat -> new Entry(history.time(), Entry.Kind.CHAT, clean(chat.from()),
                    clean(chat.text()), false, history.when().toLocalDate());
            case ServerLine.Action action -> new Entry(history.time(), Entry.Kind.ACTION, clean(action.name()),
                    clean(action.text()), false, history.when().toLocalDate());
            default -> null;
        };
        if (entry != null && conversations.get(key) != null && !conversations.alreadyShown(key, entry)) {
            conversations.add(key, entry);
        }
    }

    /**
     * Someone took a new name: every room they are in and the private conversation with them
     * show it once each; the user's own new name is the one used from now on.
     */
    private void renamed(ServerLine.NickChanged nick, LocalTime time) {
        Entry entry = system(time, nick);
        boolean shown = false;
        for (Map.Entry<String, Conversations.Conversation> e : conversations.all()) {
            Conversations.Conversation c = e.getValue();
            if (!c.isPrivate() && c.joined && c.members.stream().anyMatch(n -> NameRules.key(n).equals(
                    NameRules.key(nick.from())))) {
                conversations.add(e.getKey(), entry);
                shown = true;
            }
        }
        if (conversations.peerRenamed(nick.from(), nick.to())) {
            conversations.add(NameRules.key(nick.to()), entry);
        }
        if (conversations.isMe(nick.from())) {
            named(nick.to());
            if (!shown) {
                conversations.add(ChatModel.ROOM, entry);
            }
        }
    }

    private boolean mentions(String from, String text) {
        return !conversations.isMe(from) && mention != null && mention.matcher(text).find();
    }

    private static Entry system(LocalTime time, ServerLine line) {
        return new Entry(time, Entry.Kind.SYSTEM, null, clean(text(line)), false);
    }

    /** A line's body without its marker ({@code *** }, {@code --- }, {@code !!! }). */
    private static String text(ServerLine line) {
        String body = line.body();
        return body.startsWith("*** ") || body.startsWith("--- ") || body.startsWith("!!! ") ? body.substring(4) : body;
    }

    private static String clean(String text) {
        return Text.stripControls(text);
    }
}
