package io.camelbitrix24.crm;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The client side of Bitrix24's limits for one portal, shared by every endpoint that calls it.
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
final class Bitrix24RateLimiter {

    private static final long INITIAL_HEADROOM_NANOS = 20_000_000L;
    private static final String QUERY_LIMIT_EXCEEDED = "QUERY_LIMIT_EXCEEDED";
    private static final String OPERATION_TIME_LIMIT = "OPERATION_TIME_LIMIT";

    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoClock;
    private final boolean enabled;
    private final long intervalNanos;
    private final long fullToleranceNanos;
    private long headroomNanos = INITIAL_HEADROOM_NANOS;
    private long toleranceNanos;
    private final Map<String, Long> methodResetAtMillis = new ConcurrentHashMap<>();
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
    CompletableFuture<Void> acquire(String method) {
        long heldForMillis = heldForMillis(method);
        if (heldForMillis > 0) {
            CompletableFuture<Void> ready = new CompletableFuture<>();
            scheduler.schedule(() -> {
                try {
                    acquire(method).whenComplete((v, e) -> complete(ready, e));
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

    boolean isEnabled() {
        return enabled;
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

    /** What the portal said of its limits in a refusal: {@code QUERY_LIMIT_EXCEEDED} or {@code OPERATION_TIME_LIMIT}. */
    void noteRefusal(String method, Bitrix24Exception failure) {
        if (isCode(failure, QUERY_LIMIT_EXCEEDED)) {
            onRateLimited();
        } else if (isCode(failure, OPERATION_TIME_LIMIT)) {
            onOperatingTimeLimit(method);
        }
    }

    /**
     * The wait before a call refused for a limit is sent again, or -1 when the limiter sets none (the caller backs
     * off): 0 after a rate refusal, as the limiter paces the retry itself; the method's hold after an operating-time
     * refusal, when the portal said when it resets.
     */
    long retryWaitMillis(String method, Bitrix24Exception failure) {
        if (isCode(failure, QUERY_LIMIT_EXCEEDED)) {
            return enabled ? 0 : -1;
        }
        if (isCode(failure, OPERATION_TIME_LIMIT)) {
            long held = heldForMillis(method);
            return held > 0 ? held : -1;
        }
        return -1;
    }

    private static boolean isCode(Bitrix24Exception failure, String code) {
        return code.equalsIgnoreCase(failure.getErrorCode());
    }

    /** Remembers when the method's operating-time window resets, from a successful answer's time block. */
    void noteOperatingResetAt(String method, Long resetAtEpochSeconds) {
        if (resetAtEpochSeconds != null) {
            methodResetAtMillis.put(method, resetAtEpochSeconds * 1000);
        }
    }

    /**
     * The method's time budget is spent: hold its calls until its last reported reset. Answers how long the hold is,
     * 0 when no reset time is known (or it is already past).
     */
    private long onOperatingTimeLimit(String method) {
        Long resetAt = methodResetAtMillis.get(method);
        long now = System.currentTimeMillis();
        if (resetAt == null || resetAt <= now) {
            return 0;
        }
        methodHeldUntilMillis.merge(method, resetAt, Math::max);
        return resetAt - now;
    }

    private long heldForMillis(String method) {
        Long until = methodHeldUntilMillis.get(method);
        if (until == null) {
            return 0;
        }
        long left = until - System.currentTimeMillis();
        if (left <= 0) {
            methodHeldUntilMillis.remove(method, until);
        }
        return left;
    }
}
