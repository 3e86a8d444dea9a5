package io.camelbitrix24.crm.spi;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The component's default {@link Bitrix24Limiter}: Bitrix24's limits for one portal kept in this JVM, shared by every
 * endpoint of the component that calls it.
 * <ul>
 * <li>Request rate: the same leaky bucket as the portal's ({@code burst} requests, draining {@code perSecond}), kept as
 * the time at which the bucket would be empty again (GCRA). Each call reserves the next free slot and waits for it on a
 * scheduler, never on a thread of its own, so calls leave in order at the portal's drain rate once the burst is used.
 * <li>Headroom: calls reach the portal later than they leave, and not all by the same time (a cold burst queues at the
 * portal while later calls find it idle), so they may arrive closer together than they left. A slice of the bucket is
 * kept free for that: as much time as the slowest answer after its turn among the calls still counted in the bucket
 * (those of the last drain time, burst / perSecond; an arrival cannot be later than its answer), 20 ms at least, half
 * the burst at most; and twice as much each time the portal still says {@code QUERY_LIMIT_EXCEEDED}. A waiting call
 * checks the headroom again when its time comes.</li>
 * <li>Operating time: when a method answers {@code OPERATION_TIME_LIMIT}, its calls are held until the method's
 * {@code operating_reset_at}, as last reported by the portal.</li>
 * </ul>
 */
public final class Bitrix24LocalLimiter implements Bitrix24Limiter {

    private static final long MIN_HEADROOM_NANOS = 20_000_000L;

    private final int burst;
    private final double perSecond;
    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final boolean enabled;
    private final long intervalNanos;
    private final long fullToleranceNanos;
    private final Map<String, Long> methodHeldUntilMillis = new ConcurrentHashMap<>();
    // guarded by this
    private long emptyAtNanos;
    private long refusalHeadroomNanos = MIN_HEADROOM_NANOS;
    // the last answers (as many as the burst): when each came, and how long after its turn
    private final long[] answeredAt;
    private final long[] answerDelays;
    private int answersSeen;

    public Bitrix24LocalLimiter(int burst, double perSecond, ScheduledExecutorService scheduler) {
        this(burst, perSecond, scheduler, System::nanoTime);
    }

    Bitrix24LocalLimiter(int burst, double perSecond, ScheduledExecutorService scheduler, LongSupplier nanoClock) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.enabled = perSecond > 0;
        this.intervalNanos = enabled ? (long) (1_000_000_000L / perSecond) : 0;
        this.fullToleranceNanos = (long) Math.max(0, burst - 1) * intervalNanos;
        this.answeredAt = new long[Math.max(1, burst)];
        this.answerDelays = new long[Math.max(1, burst)];
        this.emptyAtNanos = nanoClock.getAsLong();
    }

    /** Completes when a call of {@code method} may leave: after any hold on the method, in its turn in the bucket. */
    @Override
    public CompletableFuture<Void> acquire(Bitrix24LimiterKey key, String method) {
        long heldForMillis = heldForMillis(holdKey(key, method));
        if (heldForMillis > 0) {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            scheduler.schedule(() -> {
                try {
                    acquire(key, method).whenComplete((v, e) -> complete(ready, e));
                } catch (RuntimeException e) {
                    ready.completeExceptionally(e);
                }
            }, heldForMillis, TimeUnit.MILLISECONDS);
            return ready;
        }
        if (!enabled) {
            return CompletableFuture.completedFuture(null);
        }
        long slot = reserveSlot();
        long waitNanos = waitForSlot(slot);
        if (waitNanos <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        scheduler.schedule(() -> leaveAt(slot, ready, key, method), waitNanos, TimeUnit.NANOSECONDS);
        return ready;
    }

    /**
     * At its time, a call leaves; unless the headroom grew while it waited, then it waits for that too; or its method
     * was held meanwhile (an earlier call was refused for spent operating time), then it waits for the hold's end and
     * a turn after it, rather than go to be refused.
     */
    private void leaveAt(long slot, CompletableFuture<Void> ready, Bitrix24LimiterKey key, String method) {
        try {
            if (heldForMillis(holdKey(key, method)) > 0) {
                acquire(key, method).whenComplete((v, e) -> complete(ready, e));
                return;
            }
            long waitNanos = waitForSlot(slot);
            if (waitNanos <= 0) {
                ready.complete(null);
                return;
            }
            scheduler.schedule(() -> leaveAt(slot, ready, key, method), waitNanos, TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            ready.completeExceptionally(e);
        }
    }

    private static void complete(CompletableFuture<Void> ready, Throwable error) {
        if (error == null) {
            ready.complete(null);
        } else {
            ready.completeExceptionally(error);
        }
    }

    /** Reserves the next slot of the bucket: answers the time it stands for (when the bucket drains past it). */
    synchronized long reserveSlot() {
        long start = Math.max(emptyAtNanos, nanoClock.getAsLong());
        emptyAtNanos = start + intervalNanos;
        return start;
    }

    /** How long the call holding {@code slot} still waits: how far ahead of the drain a call may go, less the headroom. */
    synchronized long waitForSlot(long slot) {
        return slot - tolerance() - nanoClock.getAsLong();
    }

    /** How far ahead of the drain a call may go: the burst less the headroom, in time. */
    private long tolerance() {
        long measured = 0;
        long countedSince = nanoClock.getAsLong() - fullToleranceNanos - intervalNanos;
        for (int i = 0; i < Math.min(answersSeen, answerDelays.length); i++) {
            if (answeredAt[i] - countedSince > 0) {
                measured = Math.max(measured, answerDelays[i]);
            }
        }
        long headroom = Math.max(refusalHeadroomNanos, Math.min(measured, fullToleranceNanos / 2));
        return Math.max(0, fullToleranceNanos - headroom);
    }

    @Override
    public synchronized void answered(Bitrix24LimiterKey key, long nanosAfterTurn) {
        if (enabled) {
            int slot = answersSeen % answerDelays.length;
            answeredAt[slot] = nanoClock.getAsLong();
            answerDelays[slot] = Math.max(0, nanosAfterTurn);
            // wraps at twice the length, so that "all seen" stays true
            answersSeen = answersSeen + 1 == 2 * answerDelays.length ? answerDelays.length : answersSeen + 1;
        }
    }

    /**
     * The portal refused a call for rate: calls arrived closer together than they left, or another client shares the
     * bucket. Keep more headroom from now on, and count the refused call as a slot spent (another client's, or the
     * arrival jitter's), so repeated refusals slow the pace.
     */
    @Override
    public synchronized void rateLimited(Bitrix24LimiterKey key) {
        if (enabled) {
            refusalHeadroomNanos = Math.min(fullToleranceNanos, refusalHeadroomNanos * 2);
            emptyAtNanos = Math.max(emptyAtNanos, nanoClock.getAsLong()) + intervalNanos;
        }
    }

    @Override
    public void holdMethod(Bitrix24LimiterKey key, String method, long untilEpochMillis) {
        methodHeldUntilMillis.merge(holdKey(key, method), untilEpochMillis, Math::max);
    }

    @Override
    public long heldForMillis(Bitrix24LimiterKey key, String method) {
        return Math.max(0, heldForMillis(holdKey(key, method)));
    }

    /**
     * Nothing of the portal's bucket is left to wait for: no call holds a later slot, the bucket counted as empty, and
     * no method is held. A limiter made anew then starts where this one is, with the portal's whole burst free.
     */
    public synchronized boolean isDrained() {
        if (emptyAtNanos - nanoClock.getAsLong() > 0) {
            return false;
        }
        long now = System.currentTimeMillis();
        return methodHeldUntilMillis.values().stream().allMatch(until -> until <= now);
    }

    /** The calls in the bucket: those whose slots have not drained yet, the ones still waiting for their turn too. */
    @Override
    public synchronized Bitrix24BucketState bucket(Bitrix24LimiterKey key) {
        double level = enabled ? Math.max(0, emptyAtNanos - nanoClock.getAsLong()) / (double) intervalNanos : 0;
        return new Bitrix24BucketState(level, burst, perSecond);
    }

    @Override
    public boolean isPacing() {
        return enabled;
    }

    /** A method's operating time is spent per caller (webhook or application). */
    private static String holdKey(Bitrix24LimiterKey key, String method) {
        return key.caller() + " " + method;
    }

    private long heldForMillis(String holdKey) {
        Long until = methodHeldUntilMillis.get(holdKey);
        if (until == null) {
            return 0;
        }
        long left = until - System.currentTimeMillis();
        if (left <= 0) {
            methodHeldUntilMillis.remove(holdKey, until);
        }
        return left;
    }
}
