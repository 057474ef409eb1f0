package dev.chat.swing.model;

import dev.chat.protocol.ServerLine;
import dev.chat.protocol.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the server's answers to {@code /rooms}: each one becomes a list of {@link RoomInfo}
 * values; the answers the model asked for itself (for the room list dialog) are not shown as
 * lines. Not thread-safe: the model touches it on its own thread.
 */
final class RoomListing {

    private final Consumer<ModelEvent> events;
    /** How many answers were asked for quietly and have not started yet. */
    private int quietAnswersDue;
    /** The answer being read, or null. */
    private Answer reading;

    private static final class Answer {
        final int expected;
        final boolean quiet;
        final List<RoomInfo> rooms = new ArrayList<>();

        Answer(int expected, boolean quiet) {
            this.expected = expected;
            this.quiet = quiet;
        }
    }

    RoomListing(Consumer<ModelEvent> events) {
        this.events = events;
    }

    /** A {@code /rooms} was sent whose answer is for the room list, not for the conversation. */
    void askedQuietly() {
        quietAnswersDue++;
    }

    /** A new connection: no answer asked for on the old one is coming. */
    void reset() {
        quietAnswersDue = 0;
        reading = null;
    }

    /** An answer starts; returns whether its lines are to be shown. */
    boolean started(ServerLine.RoomList list) {
        boolean quiet = quietAnswersDue > 0;
        if (quiet) {
            quietAnswersDue--;
        }
        reading = new Answer(list.count(), quiet);
        if (list.count() == 0) {
            finish();
        }
        return !quiet;
    }

    /** One room of the answer; returns whether its line is to be shown. */
    boolean listed(ServerLine.RoomEntry entry) {
        if (reading == null) {
            return true;
        }
        boolean shown = !reading.quiet;
        reading.rooms.add(new RoomInfo(entry.room(), entry.members(), Text.stripControls(entry.topic())));
        if (reading.rooms.size() >= reading.expected) {
            finish();
        }
        return shown;
    }

    private void finish() {
        events.accept(new ModelEvent.RoomsListed(reading.rooms));
        reading = null;
    }
}
