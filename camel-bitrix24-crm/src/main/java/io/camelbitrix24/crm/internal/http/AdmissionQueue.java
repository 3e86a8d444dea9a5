package io.camelbitrix24.crm.internal.http;

import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks in arrival order, at most {@code limit} at a time, without a thread of its own: a task runs on the thread
 * that submits it or that ends an earlier one. Whoever owns a started task calls {@link #done()} once when it ends.
 */
final class AdmissionQueue {

    private final int limit;
    private final AtomicInteger running = new AtomicInteger();
    private final Deque<Runnable> waiting = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    AdmissionQueue(int limit) {
        this.limit = limit;
    }

    /**
     * Queues {@code task} last, or ahead of every waiting one, and runs what the limit allows; once closed, runs it at
     * once (it is to fail at once).
     */
    void submit(Runnable task, boolean first) {
        enqueue(task, first);
        admitOrFail();
    }

    /** Queues {@code task} without running anything: {@link #admitOrFail()} does. */
    void enqueue(Runnable task, boolean first) {
        if (first) {
            waiting.addFirst(task);
        } else {
            waiting.addLast(task);
        }
    }

    /** Runs what the limit allows; once closed, every waiting task (each is to fail at once). */
    void admitOrFail() {
        if (closed) {
            runAllWaiting();
        } else {
            admit();
        }
    }

    /** Nothing runs or waits. */
    boolean idle() {
        return running.get() == 0 && waiting.isEmpty();
    }

    /** A started task ended: the next may run. */
    void done() {
        running.decrementAndGet();
        admit();
    }

    /** From now on, runs every task past the limit, those waiting first: each fails at once on a closed owner. */
    void close() {
        closed = true;
        runAllWaiting();
    }

    private void runAllWaiting() {
        for (Runnable next = waiting.poll(); next != null; next = waiting.poll()) {
            running.incrementAndGet();
            next.run();
        }
    }

    int waitingCount() {
        return waiting.size();
    }

    private void admit() {
        while (true) {
            int now = running.get();
            if (now >= limit || waiting.isEmpty()) {
                return;
            }
            if (!running.compareAndSet(now, now + 1)) {
                continue;
            }
            Runnable next = waiting.poll();
            if (next == null) {
                running.decrementAndGet();
                continue;
            }
            next.run();
        }
    }
}
