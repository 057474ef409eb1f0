package dev.chat.client;

import dev.chat.client.identity.Identity;
import dev.chat.client.identity.KnownKeys;
import dev.chat.client.identity.OpenFailedException;
import dev.chat.client.identity.PublicIdentity;
import dev.chat.client.identity.ReplayGuard;
import dev.chat.client.identity.SafetyNumber;
import dev.chat.client.identity.SealedMessage;
import dev.chat.protocol.Command;
import dev.chat.protocol.ErrorCode;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The user's private messages, sealed end to end between key holders: asks the server for a
 * contact's key ({@code /key NAME}) before each message to them (messages typed while it answers
 * share the answer), so that a contact who left and came back with another key, or none, is never
 * written to with an old answer; and before opening a message from a contact not pinned yet, or
 * sealed with another key than the pinned one. It
 * pins it on first sight ({@link KnownKeys}), seals outgoing messages for it and opens incoming
 * ones ({@link SealedMessage}, copies refused by a {@link ReplayGuard}), and holds messages to a
 * contact whose key changed, or who has no key any more, until the user accepts the change. What
 * it does with each answer of the server is the table in {@code docs/security.md}. Without keys
 * of its own, it only marks every private message as not sealed.
 *
 * <p>Confined to the client's events thread: {@link ChatClient} calls it there, and it tells the
 * view there.
 */
final class PrivateMessages {

    private static final Logger LOG = Logger.getLogger(PrivateMessages.class.getName());

    /** How many sealed messages sent and not confirmed yet are remembered, to show their text in the confirmation. */
    private static final int SENT_REMEMBERED = 256;

    /** The server's wording of a {@code no-such-user} answer to {@code /key NAME}. */
    private static final String NOBODY_CALLED = "nobody called ";

    /** Sends a line over the connection signed on. */
    interface Wire {
        void send(String line) throws IOException;
    }

    /** Who waits for the server's answer to {@code /key NAME}. */
    private static final class KeyRequest {
        final String name;
        final List<String> outgoing = new ArrayList<>();
        final List<ServerLine.PrivateMessage> incoming = new ArrayList<>();
        final List<CompletableFuture<Verification>> verifications = new ArrayList<>();

        KeyRequest(String name) {
            this.name = name;
        }
    }

    /** A contact whose key changed (or went), and what waits for the user's word. */
    private static final class Hold {
        final String name;
        final PublicIdentity pinned;
        /** The key the server gives now; null when it says the contact has none. */
        final PublicIdentity offered;
        final boolean wasVerified;
        final List<String> outgoing = new ArrayList<>();
        final List<ServerLine.PrivateMessage> incoming = new ArrayList<>();

        Hold(String name, PublicIdentity pinned, PublicIdentity offered, boolean wasVerified) {
            this.name = name;
            this.pinned = pinned;
            this.offered = offered;
            this.wasVerified = wasVerified;
        }

        String message() {
            if (offered != null) {
                return new KnownKeys.Check.Changed(name, pinned, offered, wasVerified).message();
            }
            return "WARNING: the server says " + name + " has NO KEY any more, but you hold one for " + name
                    + (wasVerified ? " (and had verified it)" : "") + ": " + pinned.fingerprint() + "."
                    + " Someone else may be using the name, or " + name + " gave up the key."
                    + " Messages to " + name + " wait until you accept that they go unencrypted;"
                    + " ask " + name + " another way first.";
        }
    }

    private final Identity identity;
    private final KnownKeys knownKeys;
    private final Supplier<String> me;
    private final Consumer<ClientEvent> tell;
    private final ReplayGuard seen = new ReplayGuard();

    // ---- Of the connection signed on; reset when it ends. ----
    private Wire wire;
    /** The {@code /key} requests sent and not answered, by name key. */
    private final Map<String, KeyRequest> asked = new LinkedHashMap<>();
    /** The contacts whose key changed, by name key; kept until the user decides or the connection ends. */
    private final Map<String, Hold> held = new HashMap<>();
    /** Who waits until no {@code /key} request is unanswered: the messages waiting for one are sent or told not sent. */
    private final List<CompletableFuture<Void>> settledWaiters = new ArrayList<>();
    /** The texts of sealed messages sent, by token, until the server confirms them. */
    private final Map<String, String> sentTexts = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > SENT_REMEMBERED;
        }
    };

    /**
     * @param identity  the user's keys, or null for none
     * @param knownKeys the pinned keys of others; null only without an identity
     * @param me        the user's name now
     * @param tell      tells the view, on the events thread
     */
    PrivateMessages(Identity identity, KnownKeys knownKeys, Supplier<String> me, Consumer<ClientEvent> tell) {
        if (identity != null && knownKeys == null) {
            throw new IllegalArgumentException("keys need a file of known keys");
        }
        this.identity = identity;
        this.knownKeys = knownKeys;
        this.me = me;
        this.tell = tell;
    }

    /** Whether messages are sealed where the other side has a key. */
    boolean hasKeys() {
        return identity != null;
    }

    /** A connection is signed on: messages go over {@code to}. */
    void signedOn(Wire to) {
        wire = to;
    }

    /**
     * The connection ended: what waited for the server, or for the user's word on a changed key,
     * is not sent, and the user is told; keys are asked again on the next connection.
     */
    void ended() {
        wire = null;
        for (KeyRequest request : asked.values()) {
            notSent(request.name, request.outgoing, "the connection was lost before " + request.name + "'s key came");
            for (ServerLine.PrivateMessage pm : request.incoming) {
                tell.accept(new ClientEvent.PrivateNotOpened(pm.from(), null, "a sealed private message from "
                        + pm.from() + " could not be read: the connection was lost before their key came"));
            }
            request.verifications.forEach(f -> f.completeExceptionally(new IOException("the connection was lost")));
        }
        for (Hold hold : held.values()) {
            notSent(hold.name, hold.outgoing, "the connection was lost while it waited for you to accept the change of "
                    + hold.name + "'s key");
        }
        asked.clear();
        held.clear();
        sentTexts.clear();
        settled();
    }

    // ---- Sending ----

    /**
     * Whether {@code text} fits in one private message: sealed, when this client has keys (whether
     * the recipient has one is known only later), else in one line of the server's default size.
     * Returns the reason it does not, or null.
     */
    static String tooLong(boolean sealing, String to, String text) {
        if (sealing) {
            int bytes = SealedMessage.plaintextBytes(text);
            return bytes <= SealedMessage.MAX_PLAINTEXT_BYTES ? null
                    : "too long for one private message: " + bytes + " bytes, at most "
                            + SealedMessage.MAX_PLAINTEXT_BYTES + " (UTF-8)";
        }
        int bytes = ("/" + Command.MSG.word() + " " + to + " " + text).getBytes(dev.chat.protocol.Protocol.CHARSET).length;
        return bytes <= dev.chat.protocol.Protocol.DEFAULT_MAX_LINE_BYTES ? null
                : "too long for one line: " + bytes + " bytes, at most " + dev.chat.protocol.Protocol.DEFAULT_MAX_LINE_BYTES;
    }

    /** The user wrote {@code text} to {@code to}: sealed, plain, or waiting, as the table says. */
    void send(String to, String text) {
        if (wire == null) {
            notSent(to, List.of(text), "not connected");
            return;
        }
        if (identity == null || !NameRules.isValid(to)) {
            // Without keys, or to a name the server will refuse anyway: as typed.
            sendPlain(to, text);
            return;
        }
        String key = NameRules.key(to);
        Hold hold = held.get(key);
        if (hold != null) {
            hold.outgoing.add(text);
            warn(hold);
        } else {
            request(to).outgoing.add(text);
        }
    }

    private void sendSealed(String to, PublicIdentity key, String text) {
        String token;
        try {
            token = SealedMessage.seal(identity, me.get(), key, to, text);
        } catch (IllegalArgumentException e) {
            notSent(to, List.of(text), e.getMessage());
            return;
        }
        sentTexts.put(token, text);
        transmit(to, token, text);
    }

    private void sendPlain(String to, String text) {
        transmit(to, text, text);
    }

    private void transmit(String to, String wireText, String text) {
        try {
            wire.send("/" + Command.MSG.word() + " " + to + " " + wireText);
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot send a private message", e);
            notSent(to, List.of(text), "the connection is gone");
        }
    }

    private void notSent(String to, List<String> texts, String reason) {
        texts.forEach(text -> tell.accept(new ClientEvent.PrivateNotSent(to, text, reason)));
    }

    /** The request for the key of {@code name} under way, or a new one sent now. */
    private KeyRequest request(String name) {
        String key = NameRules.key(name);
        KeyRequest request = asked.get(key);
        if (request == null) {
            request = new KeyRequest(name);
            asked.put(key, request);
            try {
                if (wire != null) {
                    wire.send("/" + Command.KEY.word() + " " + name);
                }
            } catch (IOException e) {
                // The end of the connection tells whoever waits.
                LOG.log(Level.FINE, "cannot ask for a key", e);
            }
        }
        return request;
    }

    // ---- What the server sends ----

    /**
     * Takes in a line of the server: private messages are told as {@link ClientEvent.PrivateLine}
     * (or as not opened), and the answers to the client's own {@code /key} requests are used here.
     * Returns whether the line was taken, so that it is not told as a line too.
     */
    boolean take(ServerLine line) {
        try {
            return taken(line);
        } finally {
            settled();
        }
    }

    /**
     * Completes {@code waiter} once no {@code /key} request is unanswered: at once when none is, else
     * when the last answer came or the connection ended. So that {@code /quit} follows the messages
     * typed before it.
     */
    void whenSettled(CompletableFuture<Void> waiter) {
        settledWaiters.add(waiter);
        settled();
    }

    private void settled() {
        if (asked.isEmpty() && !settledWaiters.isEmpty()) {
            settledWaiters.forEach(waiter -> waiter.complete(null));
            settledWaiters.clear();
        }
    }

    private boolean taken(ServerLine line) {
        switch (line) {
            case ServerLine.PrivateMessage pm -> {
                received(pm);
                return true;
            }
            case ServerLine.PrivateSent sent -> {
                confirmed(sent);
                return true;
            }
            case ServerLine.KeyOf keyOf when asked.containsKey(NameRules.key(keyOf.name())) -> {
                PublicIdentity key = PublicIdentity.parse(keyOf.key()).orElse(null);
                KeyRequest request = asked.remove(NameRules.key(keyOf.name()));
                if (key == null) {
                    failed(request, "the server gave a key for " + keyOf.name() + " that is not a valid key");
                } else {
                    keyGiven(request, keyOf.name(), key);
                }
                return true;
            }
            case ServerLine.NoKey noKey when asked.containsKey(NameRules.key(noKey.name())) -> {
                noKeyGiven(asked.remove(NameRules.key(noKey.name())), noKey.name());
                return true;
            }
            case ServerLine.Error error when error.code() == ErrorCode.NO_SUCH_USER
                    && error.text().startsWith(NOBODY_CALLED) && answersRequest(error.text()) != null -> {
                failed(asked.remove(answersRequest(error.text())), error.text());
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** The name key of the request a {@code no-such-user} text answers, or null. */
    private String answersRequest(String text) {
        String rest = text.substring(NOBODY_CALLED.length());
        int blank = rest.indexOf(' ');
        String name = blank < 0 ? rest : rest.substring(0, blank);
        String key = NameRules.isValid(name) ? NameRules.key(name) : null;
        return key != null && asked.containsKey(key) ? key : null;
    }

    private void keyGiven(KeyRequest request, String name, PublicIdentity offered) {
        KnownKeys.Check check;
        try {
            check = knownKeys.check(name, offered);
        } catch (IOException e) {
            failed(request, "the file of known keys cannot be used: " + e.getMessage());
            return;
        }
        if (check instanceof KnownKeys.Check.Changed changed) {
            hold(request, new Hold(name, changed.pinned(), offered, changed.wasVerified()));
            return;
        }
        request.outgoing.forEach(text -> sendSealed(name, offered, text));
        request.incoming.forEach(pm -> open(pm, offered, false));
        request.verifications.forEach(f -> f.complete(verification(name, offered)));
    }

    private void noKeyGiven(KeyRequest request, String name) {
        Optional<KnownKeys.Pin> pin;
        try {
            pin = knownKeys.pinned(name);
        } catch (IOException e) {
            failed(request, "the file of known keys cannot be used: " + e.getMessage());
            return;
        }
        if (pin.isPresent()) {
            // Never a silent fallback to plain text for a contact whose key is pinned.
            hold(request, new Hold(name, pin.get().key(), null, pin.get().verified()));
            return;
        }
        request.outgoing.forEach(text -> sendPlain(name, text));
        request.incoming.forEach(pm -> tell.accept(new ClientEvent.PrivateNotOpened(pm.from(), null,
                "a sealed private message from " + pm.from() + " could not be read: the server says "
                        + name + " has no key")));
        request.verifications.forEach(f -> f.completeExceptionally(new IOException(name
                + " has no key: messages to and from " + name + " are not encrypted")));
    }

    private void failed(KeyRequest request, String why) {
        notSent(request.name, request.outgoing, why);
        request.incoming.forEach(pm -> tell.accept(new ClientEvent.PrivateNotOpened(pm.from(), null,
                "a sealed private message from " + pm.from() + " could not be read: " + why)));
        request.verifications.forEach(f -> f.completeExceptionally(new IOException(why)));
    }

    private void hold(KeyRequest request, Hold hold) {
        Hold kept = held.computeIfAbsent(NameRules.key(hold.name), k -> hold);
        kept.outgoing.addAll(request.outgoing);
        kept.incoming.addAll(request.incoming);
        request.verifications.forEach(f -> f.completeExceptionally(new IOException(kept.message())));
        warn(kept);
    }

    private void warn(Hold hold) {
        tell.accept(new ClientEvent.KeyChanged(hold.name, hold.pinned.fingerprint(),
                hold.offered == null ? null : hold.offered.fingerprint(), hold.wasVerified, hold.outgoing.size(),
                hold.message()));
    }

    private void received(ServerLine.PrivateMessage pm) {
        String from = pm.from();
        if (!SealedMessage.isSealed(pm.text())) {
            tell.accept(new ClientEvent.PrivateLine(pm, pinnedQuietly(from).isPresent()
                    ? Privacy.NOT_SEALED_FROM_KEY_HOLDER : Privacy.NOT_SEALED));
            return;
        }
        if (identity == null) {
            tell.accept(new ClientEvent.PrivateNotOpened(from, null, "a sealed private message from " + from
                    + " could not be read: this client runs without keys"));
            return;
        }
        String key = NameRules.key(from);
        Hold hold = held.get(key);
        if (hold != null) {
            hold.incoming.add(pm);
            warn(hold);
            return;
        }
        PublicIdentity sender = pinnedQuietly(from).map(KnownKeys.Pin::key).orElse(null);
        if (sender == null) {
            request(from).incoming.add(pm);
        } else {
            open(pm, sender, true);
        }
    }

    /**
     * Opens a sealed message from a sender whose key is {@code sender}; when the message was
     * sealed with another key and {@code askAgain}, asks the server for the sender's key first.
     */
    private void open(ServerLine.PrivateMessage pm, PublicIdentity sender, boolean askAgain) {
        String from = pm.from();
        try {
            SealedMessage.Opened opened = SealedMessage.open(identity, me.get(), sender, from, pm.text(), seen);
            tell.accept(new ClientEvent.PrivateLine(new ServerLine.PrivateMessage(pm.time(), from, opened.text()),
                    privacyWith(from)));
        } catch (OpenFailedException e) {
            if (e.reason() == OpenFailedException.Reason.WRONG_SENDER_KEY && askAgain && wire != null) {
                request(from).incoming.add(pm);
                return;
            }
            tell.accept(new ClientEvent.PrivateNotOpened(from, e.reason(), e.getMessage()));
        }
    }

    private void confirmed(ServerLine.PrivateSent sent) {
        String text = sentTexts.remove(sent.text());
        if (text != null) {
            tell.accept(new ClientEvent.PrivateLine(new ServerLine.PrivateSent(sent.time(), sent.to(), text),
                    privacyWith(sent.to())));
        } else {
            tell.accept(new ClientEvent.PrivateLine(sent, Privacy.NOT_SEALED));
        }
    }

    /** Sealed, and verified when the contact is. */
    private Privacy privacyWith(String name) {
        return pinnedQuietly(name).map(pin -> pin.verified() ? Privacy.VERIFIED : Privacy.SEALED).orElse(Privacy.SEALED);
    }

    private Optional<KnownKeys.Pin> pinnedQuietly(String name) {
        if (knownKeys == null || !NameRules.isValid(name)) {
            return Optional.empty();
        }
        try {
            return knownKeys.pinned(name);
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot read the known keys", e);
            return Optional.empty();
        }
    }

    // ---- The user's word ----

    /**
     * The user accepts the change of {@code name}'s key: the new key is pinned (or, when the
     * server says there is none, the pin is dropped), and what waited is sent and opened.
     * Returns what to tell the user.
     */
    String accept(String name) {
        if (!NameRules.isValid(name)) {
            return "\"" + name + "\" is not a name.";
        }
        Hold hold = held.remove(NameRules.key(name));
        if (hold == null) {
            return "Nothing waits for a change of " + name + "'s key.";
        }
        try {
            if (hold.offered != null) {
                knownKeys.accept(hold.name, hold.offered);
            } else {
                knownKeys.forget(hold.name);
            }
        } catch (IOException e) {
            held.put(NameRules.key(name), hold);
            return "The file of known keys cannot be changed: " + e.getMessage();
        }
        int waiting = hold.outgoing.size();
        if (wire == null) {
            notSent(hold.name, hold.outgoing, "not connected");
        } else if (hold.offered != null) {
            hold.outgoing.forEach(text -> sendSealed(hold.name, hold.offered, text));
            hold.incoming.forEach(pm -> open(pm, hold.offered, false));
        } else {
            hold.outgoing.forEach(text -> sendPlain(hold.name, text));
            hold.incoming.forEach(pm -> tell.accept(new ClientEvent.PrivateNotOpened(pm.from(), null,
                    "a sealed private message from " + pm.from() + " could not be read: " + hold.name
                            + " has no key now")));
        }
        return hold.offered != null
                ? "Accepted the new key of " + hold.name + " (" + hold.offered.fingerprint() + "), not verified; "
                        + sentCount(waiting) + ". Compare safety numbers with " + hold.name + " to verify it."
                : "Forgot the key of " + hold.name + "; " + sentCount(waiting).replace("sent", "sent unencrypted")
                        + ".";
    }

    private static String sentCount(int waiting) {
        return waiting == 0 ? "no message waited" : waiting == 1 ? "1 waiting message sent" : waiting + " waiting messages sent";
    }

    /**
     * The safety number of the user and {@code name}, with the key pinned for {@code name}, asking
     * the server for it (and pinning it) when none is pinned. Completes on the events thread; fails
     * with an {@link IOException} whose message is fit for users when there is no key to verify.
     */
    CompletableFuture<Verification> verification(String name) {
        CompletableFuture<Verification> answer = new CompletableFuture<>();
        if (identity == null) {
            answer.completeExceptionally(new IOException("this client runs without keys"));
            return answer;
        }
        if (!NameRules.isValid(name)) {
            answer.completeExceptionally(new IOException("\"" + name + "\" is not a name"));
            return answer;
        }
        Hold hold = held.get(NameRules.key(name));
        if (hold != null) {
            answer.completeExceptionally(new IOException(hold.message()));
            return answer;
        }
        Optional<KnownKeys.Pin> pin = pinnedQuietly(name);
        if (pin.isPresent()) {
            answer.complete(verification(name, pin.get().key()));
        } else if (wire == null) {
            answer.completeExceptionally(new IOException("not connected, and no key of " + name + " is pinned"));
        } else {
            request(name).verifications.add(answer);
        }
        return answer;
    }

    private Verification verification(String name, PublicIdentity key) {
        SafetyNumber number = SafetyNumber.of(me.get(), identity.publicIdentity(), name, key);
        boolean verified = pinnedQuietly(name).map(pin -> pin.key().equals(key) && pin.verified()).orElse(false);
        return new Verification(name, key, number, verified);
    }
}
