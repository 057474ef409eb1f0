package dev.chat.client;

import dev.chat.client.identity.PublicIdentity;
import dev.chat.client.identity.SafetyNumber;

/**
 * What a user compares with a contact to know that each holds the other's real key: the safety
 * number of the user's key and name and the contact's pinned key and name, the same on both
 * sides. Made by {@link ChatClient#verification}; {@link ChatClient#markVerified} records that
 * the two numbers matched.
 *
 * @param name     the contact's name
 * @param key      the contact's key, as pinned
 * @param number   the 60 digits, in 12 groups of 5
 * @param verified whether the contact was marked verified already
 */
public record Verification(String name, PublicIdentity key, SafetyNumber number, boolean verified) {
}
