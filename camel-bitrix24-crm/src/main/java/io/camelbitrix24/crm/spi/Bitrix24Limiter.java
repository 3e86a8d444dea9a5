package io.camelbitrix24.crm.spi;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Paces the calls to Bitrix24 portals: each portal's request bucket, and the methods held for their spent operating
 * time. The component's default keeps both in this JVM, one bucket per portal ({@code rateLimitBurst},
 * {@code rateLimitPerSecond}); bind another as {@code rateLimiter=#bean} to share them between JVMs. Waits are futures:
 * an implementation never blocks a thread. Keys name the portal and the caller, never a credential.
 */
public interface Bitrix24Limiter {

    /**
     * Completes when a call of {@code method} may leave for the portal: after any hold on the method for this caller,
     * in its turn in the portal's bucket.
     */
    CompletableFuture<Void> acquire(Bitrix24LimiterKey key, String method);

    /**
     * The portal answered a call {@code nanosAfterTurn} after its turn came: the call reached the portal no later
     * than that, so calls may arrive up to that much closer together than they left. Optional; the default ignores it.
     */
    default void answered(Bitrix24LimiterKey key, long nanosAfterTurn) {
    }

    /** The portal refused a call for its request rate ({@code QUERY_LIMIT_EXCEEDED}): slow down. */
    void rateLimited(Bitrix24LimiterKey key);

    /**
     * The portal refused {@code method} for the caller's spent operating time ({@code OPERATION_TIME_LIMIT}): hold it
     * until {@code untilEpochMillis}, the method's reset time the portal last reported.
     */
    void holdMethod(Bitrix24LimiterKey key, String method, long untilEpochMillis);

    /** How long, in ms, {@code method} is still held for the caller; 0 when it is not. */
    long heldForMillis(Bitrix24LimiterKey key, String method);

    /** True when the limiter paces calls itself, so that a rate refusal may be retried at once; false when it is off. */
    boolean isPacing();

    /**
     * The portal's bucket now, for the dev console and JMX; null when this limiter cannot tell (the default). Never
     * blocks: a shared limiter answers what it last saw, or null.
     */
    default Bitrix24BucketState bucket(Bitrix24LimiterKey key) {
        return null;
    }

    /**
     * The component's own limiter for one portal, in this JVM: a bucket of {@code burst} calls draining
     * {@code perSecond} (0: off), waits scheduled on {@code scheduler}. A shared limiter falls back on it.
     */
    static Bitrix24Limiter inThisJvm(int burst, double perSecond, ScheduledExecutorService scheduler) {
        return new Bitrix24LocalLimiter(burst, perSecond, scheduler);
    }
}
