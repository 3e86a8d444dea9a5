package io.camelbitrix24.emulator;

/**
 * Bitrix24's request-rate limit: a bucket of {@code burst} requests that drains {@code perSecond} requests a second.
 * A request that would overflow it is refused ({@code QUERY_LIMIT_EXCEEDED}) and does not fill it.
 */
final class LeakyBucket {

    private final double burst;
    private final double perSecond;
    private double level;
    private long lastNanos;

    LeakyBucket(int burst, double perSecond, long nowNanos) {
        this.burst = burst;
        this.perSecond = perSecond;
        this.lastNanos = nowNanos;
    }

    synchronized boolean tryAcquire(long nowNanos) {
        level = Math.max(0, level - (nowNanos - lastNanos) / 1e9 * perSecond);
        lastNanos = nowNanos;
        if (level + 1 > burst + 1e-9) {
            return false;
        }
        level += 1;
        return true;
    }
}
