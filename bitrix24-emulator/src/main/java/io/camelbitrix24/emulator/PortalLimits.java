package io.camelbitrix24.emulator;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The limits a portal enforces, all off unless set: the request-rate bucket, the per-method operating-time budget, and
 * a latency added to every method call. Counts what each limit refused.
 */
public final class PortalLimits {

    private volatile LeakyBucket bucket;
    private volatile OperatingTimeBudget operating = new OperatingTimeBudget(Double.MAX_VALUE, 600_000);
    private volatile long latencyMillis;
    private final AtomicLong rateLimited = new AtomicLong();
    private final AtomicLong timeLimited = new AtomicLong();

    /** The leaky bucket: {@code burst} requests, draining {@code perSecond} (cloud: 50 and 2; Enterprise: 250 and 5). */
    public void setRateLimit(int burst, double perSecond) {
        bucket = new LeakyBucket(burst, perSecond, System.nanoTime());
    }

    public void clearRateLimit() {
        bucket = null;
    }

    /** Each method's time budget per caller within a window of ten baskets (the server's default: 420 s in 10 minutes). */
    public void setOperatingLimit(Duration budget, Duration window) {
        operating = new OperatingTimeBudget(budget.toMillis() / 1000.0, window.toMillis());
    }

    /** Every method call takes this long on the server, and the time counts against its operating budget. */
    public void setLatency(Duration latency) {
        latencyMillis = latency.toMillis();
    }

    /** How many requests were answered {@code QUERY_LIMIT_EXCEEDED}. */
    public long rateLimitedCount() {
        return rateLimited.get();
    }

    /** How many requests (or batch commands) were answered {@code OPERATION_TIME_LIMIT}. */
    public long timeLimitedCount() {
        return timeLimited.get();
    }

    public void resetCounts() {
        rateLimited.set(0);
        timeLimited.set(0);
    }

    boolean admitRequest() {
        LeakyBucket current = bucket;
        if (current == null || current.tryAcquire(System.nanoTime())) {
            return true;
        }
        rateLimited.incrementAndGet();
        return false;
    }

    boolean methodBlocked(String caller, String method, long nowMillis) {
        if (operating.isSpent(caller, method, nowMillis)) {
            timeLimited.incrementAndGet();
            return true;
        }
        return false;
    }

    OperatingTimeBudget operating() {
        return operating;
    }

    long latencyMillis() {
        return latencyMillis;
    }
}
