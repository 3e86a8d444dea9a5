package io.camelbitrix24.crm.internal.send;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24LimiterKey;

/**
 * The client's side of a {@link Bitrix24Limiter} for one caller of one portal: waits for its turn, tells the limiter
 * what the portal answered, and answers how long a refused call should wait. Remembers each method's last reported
 * {@code operating_reset_at}, as an {@code OPERATION_TIME_LIMIT} refusal carries no time of its own.
 */
public final class Pacing {

    private static final String QUERY_LIMIT_EXCEEDED = "QUERY_LIMIT_EXCEEDED";
    private static final String OPERATION_TIME_LIMIT = "OPERATION_TIME_LIMIT";

    private final Bitrix24Limiter limiter;
    private final Bitrix24LimiterKey key;
    private final LongSupplier clockMillis;
    private final Map<String, Long> resetAtMillis = new ConcurrentHashMap<>();

    public Pacing(Bitrix24Limiter limiter, Bitrix24LimiterKey key, LongSupplier clockMillis) {
        this.limiter = limiter;
        this.key = key;
        this.clockMillis = clockMillis;
    }

    /** Whose calls these are, to the limiter: the portal and the caller. */
    Bitrix24LimiterKey key() {
        return key;
    }

    /** Completes, with the {@link System#nanoTime()} it came, when a call of {@code method} may leave. */
    CompletableFuture<Long> acquire(String method) {
        return limiter.acquire(key, method).thenApply(ready -> System.nanoTime());
    }

    /** How long, in ms, calls of {@code method} are still held for spent operating time; 0 when they are not. */
    long heldForMillis(String method) {
        return limiter.heldForMillis(key, method);
    }

    /** The portal answered a call whose turn came at {@code turnNanos} (any answer, a refusal too). */
    void noteAnswered(long turnNanos) {
        limiter.answered(key, System.nanoTime() - turnNanos);
    }

    /** A successful answer: when the method's operating time resets, if the portal said. */
    void noteAnswer(String method, Long operatingResetAtSeconds) {
        if (operatingResetAtSeconds != null) {
            resetAtMillis.put(method, operatingResetAtSeconds * 1000);
        }
    }

    /** A refusal for the portal's limits, told to the limiter. */
    void noteRefusal(String method, Failure failure) {
        if (isCode(failure, QUERY_LIMIT_EXCEEDED)) {
            limiter.rateLimited(key);
        } else if (isCode(failure, OPERATION_TIME_LIMIT)) {
            Long resetAt = resetAtMillis.get(method);
            if (resetAt != null && resetAt > clockMillis.getAsLong()) {
                limiter.holdMethod(key, method, resetAt);
            }
        }
    }

    /**
     * The wait before a call refused for a limit is sent again, or -1 when the limiter sets none (the caller backs
     * off): 0 after a rate refusal when the limiter paces the retry itself; the method's hold after an operating-time
     * refusal, when the portal said when it resets.
     */
    long retryWaitMillis(String method, Failure failure) {
        if (isCode(failure, QUERY_LIMIT_EXCEEDED)) {
            return limiter.isPacing() ? 0 : -1;
        }
        if (isCode(failure, OPERATION_TIME_LIMIT)) {
            long held = limiter.heldForMillis(key, method);
            return held > 0 ? held : -1;
        }
        return -1;
    }

    /** A refusal for the portal's limits: {@code QUERY_LIMIT_EXCEEDED} or {@code OPERATION_TIME_LIMIT}. */
    static boolean isLimitRefusal(Failure failure) {
        return failure != null && (isCode(failure, QUERY_LIMIT_EXCEEDED) || isCode(failure, OPERATION_TIME_LIMIT));
    }

    private static boolean isCode(Failure failure, String code) {
        return code.equalsIgnoreCase(failure.getErrorCode());
    }
}
