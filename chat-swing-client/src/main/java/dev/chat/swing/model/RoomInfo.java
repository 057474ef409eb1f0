package dev.chat.swing.model;

/**
 * One room as the server lists it in answer to {@code /rooms}.
 *
 * @param name    the room's name, e.g. {@code #dev}
 * @param members how many are in it
 * @param topic   its topic, empty when it has none
 */
public record RoomInfo(String name, int members, String topic) {
}
