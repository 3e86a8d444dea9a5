package io.camelbitrix24.crm;

import java.util.concurrent.ThreadLocalRandom;

/**
 * When to repeat a failed call: only retryable failures (rate limits, server faults, no answer; deletes are
 * idempotent), at most {@code maxRetries} times, with exponential backoff and jitter, and never past the call's
 * deadline.
 */
record Bitrix24RetryPolicy(int maxRetries, long initialDelayMillis, long maxDelayMillis, long timeoutMillis) {

    /** The pause before retry number {@code retry} (1 for the first): doubling, capped, half of it random. */
    long backoffMillis(int retry) {
        long exponential = initialDelayMillis << Math.min(retry - 1, 20);
        long capped = Math.max(0, Math.min(maxDelayMillis, exponential));
        return capped / 2 + (capped > 1 ? ThreadLocalRandom.current().nextLong(capped / 2 + 1) : 0);
    }
}
