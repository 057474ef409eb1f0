package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The outbox's idle transition under stress: many short rounds, each on a fresh outbox, in
 * which one thread offers lines and finishes the outbox while a second offers to the same
 * outbox, each offer and finish timed to land around the moment its writer goes idle. A line
 * queued between the writer finding the queue empty and the writer saying it is idle, with
 * nobody started to send it (a lost wake-up), stays unsent for good, since no later line
 * comes to start a writer; likewise a finish that nobody carries out. So once the rounds are
 * over, every outbox must have sent every line it took and every finished one have ended.
 *
 * <p>Bounded in rounds and in time so that it runs in the normal build. With the writer's
 * second look at the queue taken out (the argument in docs/architecture.md), it fails every
 * run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutboxStressTest {

    /** At most this many rounds ... */
    private static final int MAX_ROUNDS = 200_000;
    /** ... and at most this long for all of them. */
    private static final Duration BUDGET = Duration.ofSeconds(3);
    /** How long every outbox then has to send what it took: far longer than it needs. */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    /** How long an offerer waits for the writer to start writing before it offers anyway. */
    private static final long WRITE_WAIT_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /**
     * The most spins the writer stays in a write, and an offerer waits after seeing a write
     * begin; both chosen at random, so that offers land at every point around the write's end.
     */
    private static final int MAX_SPINS = 32;

    private static final byte[] LINE = {'x', '\n'};

    /**
     * Counts what is written, tells offerers when a write begins, and stays in each write for
     * a random few spins; checks that no two writers ever write at once.
     */
    private static final class Client extends OutputStream {
        final AtomicInteger writesBegun = new AtomicInteger();
        final AtomicInteger bytes = new AtomicInteger();
        private final AtomicInteger writing = new AtomicInteger();
        volatile boolean overlapped;

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int offset, int length) {
            if (writing.incrementAndGet() > 1) {
                overlapped = true;
            }
            writesBegun.incrementAndGet();
            spin(ThreadLocalRandom.current().nextInt(MAX_SPINS));
            bytes.addAndGet(length);
            writing.decrementAndGet();
        }
    }

    /** One round's outbox and what it must have done once the round is over. */
    private static final class Round {
        final int number;
        final Client client = new Client();
        final CountingListener ends = new CountingListener();
        final Outbox outbox = new Outbox(client, Integer.MAX_VALUE, ends);
        final boolean finishing;
        /** Lines the outbox took (offers answered QUEUED); an offer after finish() is refused. */
        final AtomicInteger taken = new AtomicInteger();

        Round(int number, boolean finishing) {
            this.number = number;
            this.finishing = finishing;
        }

        /** Offers a line, counting it when taken. */
        void offer() {
            if (outbox.offer(LINE) == Outbox.Offer.QUEUED) {
                taken.incrementAndGet();
            }
        }

        /** What is wrong with this round so far, or null when nothing is. */
        String problem() {
            int sent = client.bytes.get() / LINE.length;
            if (client.overlapped || ends.failed.get() != 0 || ends.finished.get() > 1) {
                return "round " + number + ": two writers at once, a failure or two finishes";
            }
            if (sent != taken.get() || (finishing && ends.finished.get() != 1)) {
                return "round " + number + ": " + sent + " of " + taken.get() + " lines sent"
                        + (finishing ? ", finished " + ends.finished.get() + " times" : "");
            }
            return null;
        }
    }

    @Test
    void everyLineTaken_isSent_andEveryFinish_ends_howeverOffersRaceTheWriterGoingIdle() throws Exception {
        List<Round> rounds = new ArrayList<>();
        AtomicBoolean over = new AtomicBoolean();
        Round[] latest = new Round[1];
        Object published = new Object();

        // The second offerer: one more line to whichever round is the latest, timed like the first's.
        Thread second = Thread.ofPlatform().name("second-offerer").start(() -> {
            Round done = null;
            while (!over.get()) {
                Round round;
                synchronized (published) {
                    round = latest[0];
                }
                if (round == null || round == done) {
                    Thread.onSpinWait();
                    continue;
                }
                done = round;
                afterTheFirstWriteBegins(round.client);
                round.offer();
            }
        });

        // The first offerer, on this thread: a line that starts the writer; then, timed to the
        // writer's end of that write, a second line or a finish, or both.
        long deadline = System.nanoTime() + BUDGET.toNanos();
        try {
            for (int number = 0; number < MAX_ROUNDS && System.nanoTime() < deadline; number++) {
                Round round = new Round(number, number % 2 == 1);
                rounds.add(round);
                synchronized (published) {
                    latest[0] = round;
                }
                round.offer();
                afterTheFirstWriteBegins(round.client);
                if (round.finishing) {
                    if (number % 4 == 3) {
                        round.offer();
                    }
                    round.outbox.finish();
                } else {
                    round.offer();
                }
            }
        } finally {
            over.set(true);
            assertThat(second.join(SETTLE)).isTrue();
        }
        assertThat(rounds).hasSizeGreaterThan(1_000);

        await().atMost(SETTLE).pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(problems(rounds)).as("of %d rounds", rounds.size()).isEmpty());
    }

    /**
     * Waits until the writer has begun its first write (or a short time passed), then a random
     * few spins: the write takes a random few spins too, so the caller's next step lands
     * anywhere around the writer finishing the write and going idle.
     */
    private static void afterTheFirstWriteBegins(Client client) {
        long giveUp = System.nanoTime() + WRITE_WAIT_NANOS;
        while (client.writesBegun.get() == 0 && System.nanoTime() < giveUp) {
            Thread.onSpinWait();
        }
        spin(ThreadLocalRandom.current().nextInt(MAX_SPINS));
    }

    private static void spin(int times) {
        for (int i = 0; i < times; i++) {
            Thread.onSpinWait();
        }
    }

    /** The rounds whose outbox has not (yet) done what it must, at most ten of them described. */
    private static List<String> problems(List<Round> rounds) {
        List<String> problems = new ArrayList<>();
        long count = 0;
        for (Round round : rounds) {
            String problem = round.problem();
            if (problem != null && count++ < 10) {
                problems.add(problem);
            }
        }
        if (count > 10) {
            problems.add("... " + (count - 10) + " more");
        }
        return problems;
    }
}
