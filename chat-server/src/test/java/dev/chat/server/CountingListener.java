package dev.chat.server;

import java.util.concurrent.atomic.AtomicInteger;

/** An outbox's listener for tests: counts how often the outbox said it finished and failed. */
final class CountingListener implements Outbox.Listener {

    final AtomicInteger finished = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();

    @Override
    public void finished() {
        finished.incrementAndGet();
    }

    @Override
    public void failed(Exception e) {
        failed.incrementAndGet();
    }
}
