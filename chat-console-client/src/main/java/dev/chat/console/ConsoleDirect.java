package dev.chat.console;

import dev.chat.client.ChatClient;
import dev.chat.client.ClientCommand;
import dev.chat.client.ClientEvent;
import dev.chat.client.Privacy;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.ServerLine;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The console's side of direct connections: {@code /direct}, {@code /decline}, {@code /send} and
 * {@code /hangup}, typed on the main thread, and what the client tells of them, on its events
 * thread, as notices, private lines marked {@code [direct]}, and the progress of files in front
 * of the prompt. Received files are saved in the downloads directory, never over a file there.
 */
final class ConsoleDirect {

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private final ChatClient client;
    private final ConsoleView view;
    private final Path downloads;
    /** The name keys of those whose offer waits for the user's word; written on the events thread. */
    private final Set<String> offers = ConcurrentHashMap.newKeySet();
    /** What each file under way has done, by name key and id, for the status in front of the prompt. Events thread. */
    private final Map<String, String> progress = new java.util.LinkedHashMap<>();

    ConsoleDirect(ChatClient client, ConsoleView view, Path downloads) {
        this.client = client;
        this.view = view;
        this.downloads = downloads;
    }

    /** Carries out a direct connection's command; main thread. Returns false for a command that is none of them. */
    boolean command(ClientCommand.Invocation invocation) throws InterruptedException {
        String name = invocation.name();
        switch (invocation.command()) {
            case DIRECT -> {
                if (offers.remove(NameRules.key(name))) {
                    view.notice("Accepting " + name + "'s direct connection; " + name + " learns your address.");
                    client.acceptDirect(name);
                } else {
                    view.notice("Asking " + name + " for a direct connection; if they accept, each of you learns "
                            + "the other's address.");
                    client.offerDirect(name);
                }
            }
            case DECLINE -> {
                offers.remove(NameRules.key(name));
                if (!answered(client.declineDirect(name))) {
                    view.notice(name + " offered you no direct connection.");
                }
            }
            case SEND -> send(name, invocation.file());
            case HANGUP -> {
                if (!client.closeDirect(name)) {
                    view.notice("No direct connection with " + name + " is open.");
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean answered(java.util.concurrent.CompletableFuture<Boolean> answer) throws InterruptedException {
        try {
            return answer.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }

    private void send(String name, String typed) {
        Path file;
        try {
            file = typed.startsWith("~/") ? Path.of(System.getProperty("user.home")).resolve(typed.substring(2))
                    : Path.of(typed);
        } catch (InvalidPathException e) {
            view.notice("Not sent: \"" + typed + "\" is not a file name.");
            return;
        }
        try {
            client.sendFile(name, file);
            view.notice("Offered " + file.getFileName() + " to " + name + "; it goes once they take it.");
        } catch (IOException e) {
            view.notice("Not sent: " + e.getMessage() + ".");
        }
    }

    /** Shows an event of a direct connection; events thread. */
    void show(ClientEvent.DirectEvent event) {
        switch (event) {
            case ClientEvent.DirectOffered offered -> {
                offers.add(NameRules.key(offered.name()));
                view.notice(offered.name() + " offers a direct connection: your clients would talk without the "
                        + "server, and each would learn the other's address. /direct " + offered.name()
                        + " accepts it, /decline " + offered.name() + " declines it.");
            }
            case ClientEvent.DirectOpened opened -> view.notice("Direct connection with " + opened.name() + " open ("
                    + opened.address() + "), both keys proved. /msg " + opened.name() + " goes over it now; /send "
                    + opened.name() + " FILE sends a file; /hangup " + opened.name() + " closes it.");
            case ClientEvent.DirectMessage message -> {
                LocalTime now = LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
                ServerLine line = message.outgoing() ? new ServerLine.PrivateSent(now, message.name(), message.text())
                        : new ServerLine.PrivateMessage(now, message.name(), message.text());
                view.showPrivate(line, Privacy.DIRECT, client.name());
            }
            case ClientEvent.DirectClosed closed -> view.notice("Direct connection with " + closed.name() + " "
                    + (closed.reason().equals("closed") ? "closed" : "ended: " + closed.reason()) + ".");
            case ClientEvent.DirectFailed failed -> view.notice("No direct connection with " + failed.name() + ": "
                    + failed.reason() + ".");
            case ClientEvent.FileOffered offered -> receive(offered);
            case ClientEvent.FileProgress step -> {
                progress.put(key(step.name(), step.id()), step.fileName() + (step.outgoing() ? " to " : " from ")
                        + step.name() + " " + (step.size() == 0 ? 100 : step.done() * 100 / step.size()) + "%");
                showProgress();
            }
            case ClientEvent.FileDone done -> {
                finished(done.name(), done.id());
                view.notice(done.outgoing() ? done.fileName() + " reached " + done.name() + " whole."
                        : done.fileName() + " from " + done.name() + " saved as " + done.saved() + ".");
            }
            case ClientEvent.FileFailed failed -> {
                finished(failed.name(), failed.id());
                view.notice(failed.fileName() + (failed.outgoing() ? " was not sent to " : " from ") + failed.name()
                        + (failed.outgoing() ? "" : " was not saved") + ": " + failed.reason() + ".");
            }
        }
    }

    /** Saves an offered file in the downloads directory, beside any file of its name. */
    private void receive(ClientEvent.FileOffered offered) {
        Path target = downloads.resolve(offered.fileName());
        try {
            client.acceptFile(offered.name(), offered.id(), target);
            view.notice(offered.name() + " sends " + offered.fileName() + " (" + size(offered.size()) + "); saving it in "
                    + downloads + ". /hangup " + offered.name() + " stops it.");
        } catch (IOException e) {
            view.notice(offered.name() + " offered " + offered.fileName() + ", which cannot be saved in " + downloads
                    + ": " + e.getMessage() + ". Start with --downloads DIR to save elsewhere.");
            try {
                client.refuseFile(offered.name(), offered.id());
            } catch (IOException gone) {
                // The connection's end is told by itself.
            }
        }
    }

    private void finished(String name, long id) {
        if (progress.remove(key(name, id)) != null) {
            showProgress();
        }
    }

    private void showProgress() {
        view.status(progress.isEmpty() ? null : String.join(", ", progress.values()));
    }

    private static String key(String name, long id) {
        return NameRules.key(name) + " " + id;
    }

    /** A size for people: bytes, KiB, MiB or GiB. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
