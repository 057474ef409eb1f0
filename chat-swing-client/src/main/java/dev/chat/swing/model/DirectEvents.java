package dev.chat.swing.model;

import dev.chat.client.ClientEvent;
import dev.chat.client.Privacy;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * What the client tells of direct connections, taken into the model: lines in the private
 * conversation with the peer (private lines marked {@link Privacy#DIRECT}), and the questions and
 * progress the window shows. Confined to the model's thread.
 */
final class DirectEvents {

    private final Conversations conversations;
    private final LineRouter lines;
    private final Consumer<ModelEvent> listener;
    private final BiConsumer<String, Privacy> privacyChanged;
    /** The name keys of those whose offer of a direct connection waits for the user's answer. */
    private final Set<String> offers = new HashSet<>();

    DirectEvents(Conversations conversations, LineRouter lines, Consumer<ModelEvent> listener,
            BiConsumer<String, Privacy> privacyChanged) {
        this.conversations = conversations;
        this.lines = lines;
        this.listener = listener;
        this.privacyChanged = privacyChanged;
    }

    /** Whether {@code peer} offered a direct connection that waits for the user's answer; forgets it when {@code answered}. */
    boolean offered(String peer, boolean answered) {
        String key = NameRules.isValid(peer) ? NameRules.key(peer) : "";
        return answered ? offers.remove(key) : offers.contains(key);
    }

    void take(ClientEvent.DirectEvent event) {
        switch (event) {
            case ClientEvent.DirectOffered offered -> {
                offers.add(NameRules.key(offered.name()));
                String key = conversations.withPeer(offered.name());
                conversations.addLocal(key, offered.name() + " offers a direct connection: your clients would talk "
                        + "without the server, and each would learn the other's address.");
                listener.accept(new ModelEvent.DirectOffered(key, offered.name()));
            }
            case ClientEvent.DirectOpened opened -> conversations.addLocal(conversations.withPeer(opened.name()),
                    "Direct connection with " + opened.name() + " open (" + opened.address() + "), both keys proved: "
                            + "private messages to " + opened.name() + " go over it now, and files can be sent.");
            case ClientEvent.DirectMessage message -> {
                LocalTime now = LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
                String key = lines.routePrivate(message.outgoing()
                        ? new ServerLine.PrivateSent(now, message.name(), message.text())
                        : new ServerLine.PrivateMessage(now, message.name(), message.text()), Privacy.DIRECT);
                privacyChanged.accept(key, Privacy.DIRECT);
            }
            case ClientEvent.DirectClosed closed -> conversations.addLocal(conversations.withPeer(closed.name()),
                    "Direct connection with " + closed.name() + " " + (closed.reason().equals("closed") ? "closed"
                            : "ended: " + closed.reason()) + ". Private messages go through the server again.");
            case ClientEvent.DirectFailed failed -> conversations.addLocal(conversations.withPeer(failed.name()),
                    "No direct connection with " + failed.name() + ": " + failed.reason() + ".");
            case ClientEvent.FileOffered offered -> listener.accept(new ModelEvent.FileOffered(
                    conversations.withPeer(offered.name()), offered.name(), offered.id(), offered.fileName(),
                    offered.size()));
            case ClientEvent.FileProgress step -> listener.accept(new ModelEvent.FileProgress(step.name(), step.id(),
                    step.fileName(), step.done(), step.size(), step.outgoing(), false));
            case ClientEvent.FileDone done -> {
                conversations.addLocal(conversations.withPeer(done.name()), done.outgoing()
                        ? done.fileName() + " reached " + done.name() + " whole."
                        : done.fileName() + " from " + done.name() + " saved as " + done.saved() + ".");
                listener.accept(new ModelEvent.FileProgress(done.name(), done.id(), done.fileName(), 0, 0,
                        done.outgoing(), true));
            }
            case ClientEvent.FileFailed failed -> {
                conversations.addLocal(conversations.withPeer(failed.name()), failed.fileName()
                        + (failed.outgoing() ? " was not sent to " : " from ") + failed.name()
                        + (failed.outgoing() ? "" : " was not saved") + ": " + failed.reason() + ".");
                listener.accept(new ModelEvent.FileProgress(failed.name(), failed.id(), failed.fileName(), 0, 0,
                        failed.outgoing(), true));
            }
        }
    }
}
