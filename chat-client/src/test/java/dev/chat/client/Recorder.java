package dev.chat.client;

import org.awaitility.Awaitility;

import dev.chat.protocol.ServerLine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Keeps every event a client tells, for tests to wait on and to check the order of. */
final class Recorder implements Consumer<ClientEvent> {

    static final Duration WAIT = Duration.ofSeconds(10);

    final List<ClientEvent> events = new CopyOnWriteArrayList<>();
    /** Which thread told each event. */
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void accept(ClientEvent event) {
        events.add(event);
        threads.add(Thread.currentThread().getName());
    }

    /** Waits for an event of {@code type} that {@code wanted} accepts, and returns it. */
    <T extends ClientEvent> T await(Class<T> type, Predicate<T> wanted) {
        try {
            return Awaitility.await().atMost(WAIT).until(() -> first(type, wanted), found -> found != null);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no such " + type.getSimpleName() + " among " + events, e);
        }
    }

    <T extends ClientEvent> T await(Class<T> type) {
        return await(type, any -> true);
    }

    /** Waits for a received line of {@code type} that {@code wanted} accepts, and returns it. */
    <T extends ServerLine> T awaitLine(Class<T> type, Predicate<T> wanted) {
        ClientEvent.LineReceived received = await(ClientEvent.LineReceived.class,
                event -> type.isInstance(event.line()) && wanted.test(type.cast(event.line())));
        return type.cast(received.line());
    }

    /** Waits for a line whose body is {@code body}; returns its event. */
    ClientEvent.LineReceived awaitBody(String body) {
        return await(ClientEvent.LineReceived.class, event -> event.line().body().equals(body));
    }

    <T extends ClientEvent> T first(Class<T> type, Predicate<T> wanted) {
        for (ClientEvent event : events) {
            if (type.isInstance(event) && wanted.test(type.cast(event))) {
                return type.cast(event);
            }
        }
        return null;
    }

    /** The place of the first event {@code wanted} accepts, or -1. */
    int indexOf(Predicate<ClientEvent> wanted) {
        for (int i = 0; i < events.size(); i++) {
            if (wanted.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    <T extends ClientEvent> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Forgets what was told so far. */
    void clear() {
        events.clear();
        threads.clear();
    }
}
