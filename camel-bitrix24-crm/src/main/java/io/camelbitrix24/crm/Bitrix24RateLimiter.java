package io.camelbitrix24.crm;

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
 * Calls may reach the portal closer together than they left, so 20 ms of drain are kept free in the bucket, and twice
 * as much each time the portal still says {@code QUERY_LIMIT_EXCEEDED}.</li>
 * <li>Operating time: when a method answers {@code OPERATION_TIME_LIMIT}, its calls are held until the method's
 * {@code operating_reset_at}, as last reported by the portal.</li>
 * </ul>
 */
final class Bitrix24RateLimiter implements Bitrix24Limiter {

    private static final long INITIAL_HEADROOM_NANOS = 20_000_000L;


    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final boolean enabled;
    private final long intervalNanos;
    private final long fullToleranceNanos;
    private long headroomNanos = INITIAL_HEADROOM_NANOS;
    private long toleranceNanos;
    private final Map<String, Long> methodHeldUntilMillis = new ConcurrentHashMap<>();
    private long emptyAtNanos;

    Bitrix24RateLimiter(int burst, double perSecond, ScheduledExecutorService scheduler) {
        this(burst, perSecond, scheduler, System::nanoTime);
    }

    Bitrix24RateLimiter(int burst, double perSecond, ScheduledExecutorService scheduler, LongSupplier nanoClock) {
        this.scheduler = scheduler;
        this.nanoClock = nanoClock;
        this.enabled = perSecond > 0;
        this.intervalNanos = enabled ? (long) (1_000_000_000L / perSecond) : 0;
        this.fullToleranceNanos = (long) Math.max(0, burst - 1) * intervalNanos;
        this.toleranceNanos = tolerance();
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
        long waitNanos = reserveSlot();
        if (waitNanos <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> ready = new CompletableFuture<>();
        scheduler.schedule(() -> ready.complete(null), waitNanos, TimeUnit.NANOSECONDS);
        return ready;
    }

    /** How far ahead of the drain a call may go: the burst less the headroom, in time. */
    private long tolerance() {
        return Math.max(0, fullToleranceNanos - headroomNanos);
    }

    private static void complete(CompletableFuture<Void> ready, Throwable error) {
        if (error == null) {
            ready.complete(null);
        } else {
            ready.completeExceptionally(error);
        }
    }

    /** Reserves the next slot; answers how long to wait for it. */
    private synchronized long reserveSlot() {
        if (!enabled) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        long start = Math.max(emptyAtNanos, now);
        long wait = start - toleranceNanos - now;
        emptyAtNanos = start + intervalNanos;
        return wait;
    }

    /**
     * The portal refused a call for rate: calls arrived closer together than they left, or another client shares the
     * bucket. Keep more headroom from now on, and count the refused call as a slot spent (another client's, or the
     * arrival jitter's), so repeated refusals slow the pace.
     */
    private synchronized void onRateLimited() {
        if (enabled) {
            headroomNanos = Math.min(fullToleranceNanos, headroomNanos * 2);
            toleranceNanos = tolerance();
            emptyAtNanos = Math.max(emptyAtNanos, nanoClock.getAsLong()) + intervalNanos;
        }
    }

    @Override
    public void rateLimited(Bitrix24LimiterKey key) {
        onRateLimited();
    }

    @Override
    public void holdMethod(Bitrix24LimiterKey key, String method, long untilEpochMillis) {
        methodHeldUntilMillis.merge(holdKey(key, method), untilEpochMillis, Math::max);
    }

    @Override
    public long heldForMillis(Bitrix24LimiterKey key, String method) {
        return Math.max(0, heldForMillis(holdKey(key, method)));
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
