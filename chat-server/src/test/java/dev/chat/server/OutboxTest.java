package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The outbox: order, one writer at a time, the queue limit, finishing and failing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OutboxTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Records what is written and checks that no two writers ever write at once. */
    private static final class Recorder extends OutputStream {
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private final AtomicInteger writing = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            mostAtOnce.accumulateAndGet(writing.incrementAndGet(), Math::max);
            synchronized (written) {
                written.write(bytes, offset, length);
            }
            writing.decrementAndGet();
        }

        String text() {
            synchronized (written) {
                return written.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * A client that reads nothing until {@link #release()}: every write waits for it, then is
     * recorded with its size.
     */
    private static final class HeldUntilReleased extends OutputStream {
        private final CountDownLatch released = new CountDownLatch(1);
        private final Recorder recorder = new Recorder();
        private final List<Integer> writeSizes = new CopyOnWriteArrayList<>();
        private volatile boolean writing;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            writing = true;
            try {
                released.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            writeSizes.add(length);
            recorder.write(bytes, offset, length);
        }

        void release() {
            released.countDown();
        }
    }

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesFromManyThreads_goOutWhole_inEachSendersOrder_oneWriterAtATime() throws Exception {
        Recorder out = new Recorder();
        CountingListener ends = new CountingListener();
        Outbox outbox = new Outbox(out, Integer.MAX_VALUE, ends);
        int senders = 8;
        int perSender = 5_000;
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < perSender; i++) {
                    assertThat(outbox.offer(line(sender + " " + i))).isEqualTo(Outbox.Offer.QUEUED);
                }
            }));
        }
        for (Thread thread : threads) {
            assertThat(thread.join(WAIT)).isTrue();
        }
        outbox.finish();
        assertThat(outbox.awaitFinished(WAIT)).isTrue();

        int[] next = new int[senders];
        String[] lines = out.text().split("\n");
        assertThat(lines).hasSize(senders * perSender);
        for (String received : lines) {
            String[] parts = received.split(" ");
            int sender = Integer.parseInt(parts[0]);
            assertThat(Integer.parseInt(parts[1])).isEqualTo(next[sender]++);
        }
        assertThat(out.mostAtOnce.get()).isEqualTo(1);
        assertThat(ends.finished.get()).isEqualTo(1);
        assertThat(ends.failed.get()).isZero();
    }

    @Test
    void linesFromManyThreads_allGoOut_withoutFinishToFlushThem() throws Exception {
        // Every line must find a writer by itself: no finish() comes to pick up a stranded one.
        for (int round = 0; round < 200; round++) {
            Recorder out = new Recorder();
            Outbox outbox = new Outbox(out, Integer.MAX_VALUE, new CountingListener());
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                // Platform threads: offers run in parallel with the writer going idle.
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 50; i++) {
                        outbox.offer(line("x"));
                        Thread.onSpinWait();
                    }
                }));
            }
            for (Thread thread : threads) {
                assertThat(thread.join(WAIT)).isTrue();
            }
            await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> out.text().length() == 4 * 50 * 2);
        }
    }

    @Test
    void lineOfferedJustBeforeFinish_isSentBeforeTheStreamEnds() throws Exception {
        for (int round = 0; round < 500; round++) {
            Recorder out = new Recorder();
            Outbox outbox = new Outbox(out, Integer.MAX_VALUE, new CountingListener());
            outbox.offer(line("hello"));
            // The writer may be anywhere in its loop now, about to go idle or to finish.
            outbox.offer(line("goodbye"));
            outbox.finish();
            assertThat(outbox.awaitFinished(WAIT)).isTrue();
            assertThat(out.text()).isEqualTo("hello\ngoodbye\n");
        }
    }

    @Test
    void idleOutbox_startsAWriterForTheNextLine() {
        Recorder out = new Recorder();
        Outbox outbox = new Outbox(out, 1_000, new CountingListener());
        for (int i = 0; i < 3; i++) {
            String text = "line " + i;
            outbox.offer(line(text));
            // Each line finds the outbox idle again once the one before was written.
            await().atMost(WAIT).until(() -> out.text().endsWith(text + "\n"));
        }
        assertThat(out.text()).isEqualTo("line 0\nline 1\nline 2\n");
    }

    @Test
    void enqueue_leavesStartingTheWriterToTheCaller() throws Exception {
        Recorder out = new Recorder();
        Outbox outbox = new Outbox(out, 1_000, new CountingListener());
        assertThat(outbox.enqueue(line("one"))).isEqualTo(Outbox.Offer.QUEUED_IDLE);
        assertThat(outbox.enqueue(line("two"))).isEqualTo(Outbox.Offer.QUEUED);
        assertThat(out.text()).isEmpty();
        outbox.startWriter();
        await().atMost(WAIT).until(() -> out.text().equals("one\ntwo\n"));
    }

    @Test
    void fullQueue_refusesALineWithoutLosingTheQueuedOnes() throws Exception {
        HeldUntilReleased client = new HeldUntilReleased();
        Outbox outbox = new Outbox(client, 10, new CountingListener());
        assertThat(outbox.offer(line("first"))).isEqualTo(Outbox.Offer.QUEUED);
        // The writer has taken "first" and waits to write it: the queue is empty again.
        await().atMost(WAIT).until(() -> client.writing);
        assertThat(outbox.offer(line("12345"))).isEqualTo(Outbox.Offer.QUEUED);
        assertThat(outbox.offer(line("1234"))).isEqualTo(Outbox.Offer.OVERFLOW);
        assertThat(outbox.offer(line("123"))).isEqualTo(Outbox.Offer.QUEUED);
        client.release();
        outbox.finish();
        assertThat(outbox.awaitFinished(WAIT)).isTrue();
        assertThat(client.recorder.text()).isEqualTo("first\n12345\n123\n");
    }

    @Test
    void linesThatPiledUp_goOutWhole_inOrder_inWritesOfBoundedSize() throws Exception {
        HeldUntilReleased client = new HeldUntilReleased();
        Outbox outbox = new Outbox(client, Integer.MAX_VALUE, new CountingListener());
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            // Lines of about 1 KiB, and one of 100 KiB, longer than any joined write.
            String text = (i == 100 ? "y".repeat(100 * 1024) : "x".repeat(1000)) + i;
            outbox.offer(line(text));
            expected.append(text).append('\n');
        }
        client.release();
        outbox.finish();
        assertThat(outbox.awaitFinished(WAIT)).isTrue();
        assertThat(client.recorder.text()).isEqualTo(expected.toString());
        // The 100 KiB line went out alone; everything else in a few joined writes.
        assertThat(client.writeSizes).hasSizeLessThan(10).contains(100 * 1024 + 4);
    }

    /** A failed write (the client is gone), or a bug in the stream: the outbox ends either way. */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void failedWrite_tellsTheListenerOnce_andClosesTheOutbox(boolean unexpected) throws Exception {
        CountingListener ends = new CountingListener();
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                if (unexpected) {
                    throw new IllegalStateException("bug");
                }
                throw new IOException("Broken pipe");
            }
        };
        Outbox outbox = new Outbox(broken, 1_000, ends);
        outbox.offer(line("lost"));
        assertThat(outbox.awaitFinished(WAIT)).isTrue();
        assertThat(ends.failed.get()).isEqualTo(1);
        assertThat(outbox.offer(line("after"))).isEqualTo(Outbox.Offer.CLOSED);
        outbox.finish();
        assertThat(ends.finished.get()).isZero();
        assertThat(ends.failed.get()).isEqualTo(1);
    }

    @Test
    void finish_onAnIdleOutbox_endsTheStream_andTakesNothingMore() throws Exception {
        CountingListener ends = new CountingListener();
        Outbox outbox = new Outbox(new Recorder(), 1_000, ends);
        outbox.finish();
        assertThat(outbox.awaitFinished(WAIT)).isTrue();
        assertThat(ends.finished.get()).isEqualTo(1);
        assertThat(outbox.offer(line("late"))).isEqualTo(Outbox.Offer.CLOSED);
    }

    @Test
    void awaitFinished_isFalse_whileTheClientDoesNotRead() throws Exception {
        HeldUntilReleased client = new HeldUntilReleased();
        Outbox outbox = new Outbox(client, 1_000, new CountingListener());
        outbox.offer(line("never read"));
        outbox.finish();
        assertThat(outbox.awaitFinished(Duration.ofMillis(200))).isFalse();
        client.release();
        assertThat(outbox.awaitFinished(WAIT)).isTrue();
    }
}
