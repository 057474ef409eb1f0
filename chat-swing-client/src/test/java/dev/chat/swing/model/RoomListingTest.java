package dev.chat.swing.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.ServerLine;
import java.time.LocalTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The answers to /rooms, fed line by line: values for the room list, lines only when the user asked. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RoomListingTest {

    private static final LocalTime NOON = LocalTime.NOON;

    private final RecordingListener events = new RecordingListener();
    private final RoomListing listing = new RoomListing(events);

    @Test
    void anAnswerAskedForQuietly_isAListOfValuesAndNoLines() {
        listing.askedQuietly();

        assertThat(listing.started(new ServerLine.RoomList(NOON, 2))).isFalse();
        assertThat(listing.listed(new ServerLine.RoomEntry(NOON, "#dev", 3, "ship it"))).isFalse();
        assertThat(events.roomLists).isEmpty();
        assertThat(listing.listed(new ServerLine.RoomEntry(NOON, "#lobby", 5, ""))).isFalse();

        assertThat(events.roomLists).containsExactly(List.of(new RoomInfo("#dev", 3, "ship it"),
                new RoomInfo("#lobby", 5, "")));
    }

    @Test
    void anAnswerTheUserTypedFor_isShownAsLines_andAlsoListed() {
        assertThat(listing.started(new ServerLine.RoomList(NOON, 1))).isTrue();
        assertThat(listing.listed(new ServerLine.RoomEntry(NOON, "#dev", 1, ""))).isTrue();

        assertThat(events.roomLists).containsExactly(List.of(new RoomInfo("#dev", 1, "")));
    }

    @Test
    void anEmptyAnswer_isAnEmptyList_andANewConnectionForgetsWhatWasAskedOnTheOld() {
        listing.askedQuietly();
        listing.reset();

        assertThat(listing.started(new ServerLine.RoomList(NOON, 0))).isTrue();
        assertThat(events.roomLists).containsExactly(List.of());
    }
}
