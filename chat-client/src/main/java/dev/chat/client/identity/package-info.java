/**
 * A user's keys and what they are for: proving a registered name, and private messages that only
 * their recipient can read.
 *
 * <ul>
 *   <li>{@link dev.chat.client.identity.Identity}: one's own Ed25519 (signing) and X25519
 *       (agreement) keys, kept in an {@link dev.chat.client.identity.IdentityFile}
 *       ({@code ~/.chat/identity}, permissions 600, a passphrase optional).</li>
 *   <li>{@link dev.chat.client.identity.PublicIdentity}: the public half as one token
 *       ({@code chatkey1:…}), published through the server; it checks signatures of a server's
 *       {@link dev.chat.client.identity.Challenge}.</li>
 *   <li>{@link dev.chat.client.identity.SealedMessage}: a private message sealed for one
 *       recipient ({@code e2e1:…}), opened with a typed
 *       {@link dev.chat.client.identity.OpenFailedException.Reason} when it cannot be, copies
 *       refused by a {@link dev.chat.client.identity.ReplayGuard}.</li>
 *   <li>{@link dev.chat.client.identity.KnownKeys}: others' keys pinned on first sight
 *       ({@code ~/.chat/known-keys}); a changed key is reported, never taken silently.</li>
 *   <li>{@link dev.chat.client.identity.SafetyNumber}: the 60 digits two users compare to know
 *       that they hold each other's real keys.</li>
 * </ul>
 *
 * <p>What this protects and what not, and every byte of the formats: {@code docs/security.md}.
 */
package dev.chat.client.identity;
