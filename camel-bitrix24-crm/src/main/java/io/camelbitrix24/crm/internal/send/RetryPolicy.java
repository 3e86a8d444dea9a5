package io.camelbitrix24.crm.internal.send;

import java.util.function.LongSupplier;
import java.util.function.LongUnaryOperator;

import io.camelbitrix24.crm.internal.call.ErrorMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.FailureKind;

/**
 * Every retry decision of a call, in one place: whether a failure is repeated, after how long, and how an uncertain
 * outcome is settled. Pure: the clock and the jitter are given, so the rules are tested without waiting.
 * <ul>
 * <li>A call makes at most {@code 1 + maxRetries} attempts, attempts whose answer was lost included, and no attempt
 * starts unless it can end (its own connect and response timeouts) before the call's deadline,
 * {@code retryTimeout} after the call began. A refusal for the portal's limits that the rate limiter paces (it sets
 * the wait) is not counted: the portal did nothing, and pods that share a portal without sharing a limiter would
 * otherwise fail calls for each other's traffic. The deadline bounds those; {@code maxRetries=0} still retries
 * nothing.</li>
 * <li>Only retryable failures are repeated (rate limits, server faults, no answer: deletes are idempotent), after an
 * exponential backoff with jitter, or after the wait the rate limiter asks for.</li>
 * <li>After an attempt whose answer was lost, a record delete that finds its record gone (a not-found on a retry, or a
 * read once the attempts are spent) was carried out by that attempt. A call that gives up unsettled says its outcome
 * is unknown.</li>
 * <li>An answer that may mean "not found" without saying so in a language the component knows is settled by reading
 * the record (see {@link ErrorMapper#needsExistenceCheck}); that read is not an attempt.</li>
 * </ul>
 */
public final class RetryPolicy {

    private final int maxRetries;
    private final long initialDelayMillis;
    private final long maxDelayMillis;
    private final long timeoutMillis;
    private final long attemptMillis;
    private final LongSupplier clockMillis;
    private final LongUnaryOperator jitter;

    /**
     * @param attemptMillis the longest one attempt can take (connect plus response timeout)
     * @param jitter        a random number from 0 to its argument, inclusive
     */
    public RetryPolicy(int maxRetries, long initialDelayMillis, long maxDelayMillis, long timeoutMillis,
                        long attemptMillis, LongSupplier clockMillis, LongUnaryOperator jitter) {
        this.maxRetries = maxRetries;
        this.initialDelayMillis = initialDelayMillis;
        this.maxDelayMillis = maxDelayMillis;
        this.timeoutMillis = timeoutMillis;
        this.attemptMillis = attemptMillis;
        this.clockMillis = clockMillis;
        this.jitter = jitter;
    }

    int maxRetries() {
        return maxRetries;
    }

    /** The budget of a call starting now. */
    Budget start() {
        return new Budget(clockMillis.getAsLong());
    }

    /** The budget of a call that must end by the deadline of another, the read that settles it. */
    Budget startWithin(Budget parent) {
        Budget budget = new Budget(clockMillis.getAsLong());
        budget.deadlineMillis = Math.min(budget.deadlineMillis, parent.deadlineMillis);
        return budget;
    }

    /** What one call has spent: attempts, time, and whether an attempt's answer was lost. */
    final class Budget {
        private final long startedMillis;
        private long deadlineMillis;
        private int attempts;
        private int pacedRefusals;
        private boolean outcomeUnknown;
        private boolean warnedAboutLostAnswer;

        private Budget(long startedMillis) {
            this.startedMillis = startedMillis;
            this.deadlineMillis = startedMillis + timeoutMillis;
        }

        /** An attempt leaves. */
        void attemptStarted() {
            attempts++;
        }

        int attempts() {
            return attempts;
        }

        /** True once an attempt got no readable answer: it may have done the work. */
        boolean outcomeUnknown() {
            return outcomeUnknown;
        }

        /** The first time after a lost answer that this is asked, true: the retry is worth one warning. */
        boolean firstRetryAfterLostAnswer() {
            if (outcomeUnknown && !warnedAboutLostAnswer) {
                warnedAboutLostAnswer = true;
                return true;
            }
            return false;
        }

        long elapsedMillis() {
            return clockMillis.getAsLong() - startedMillis;
        }

        /** {@code 3 attempts in 4.2 s}, for the final failure's message. */
        String spent() {
            return attempts + (attempts == 1 ? " attempt" : " attempts") + " in "
                   + String.format(java.util.Locale.ROOT, "%.1f s", elapsedMillis() / 1000.0);
        }
    }

    /**
     * The pause before the next attempt after {@code failure}, or -1 when the call ends with it.
     *
     * @param limiterWaitMillis the wait the rate limiter sets for this failure (an operating-time hold; 0 when the
     *                          limiter paces the retry of a refused call itself), or -1 when it sets none
     */
    long retryDelay(Budget budget, Failure failure, long limiterWaitMillis) {
        budget.outcomeUnknown |= failure.isOutcomeUnknown();
        if (limiterWaitMillis >= 0 && maxRetries > 0) {
            budget.pacedRefusals++;
        }
        if (!failure.isRetryable() || budget.attempts - budget.pacedRefusals >= 1 + maxRetries) {
            return -1;
        }
        long delay = limiterWaitMillis >= 0 ? limiterWaitMillis : backoffMillis(budget.attempts);
        return clockMillis.getAsLong() + delay + attemptMillis > budget.deadlineMillis ? -1 : delay;
    }

    /** The pause before retry number {@code retry} (1 for the first): doubling, capped, half of it random. */
    long backoffMillis(int retry) {
        long exponential = initialDelayMillis << Math.min(retry - 1, 20);
        long capped = Math.max(0, Math.min(maxDelayMillis, exponential));
        return capped / 2 + (capped > 1 ? jitter.applyAsLong(capped / 2) : 0);
    }

    /** True when one more request (a read) can end before the call's deadline. */
    boolean canStartAttempt(Budget budget) {
        return clockMillis.getAsLong() + attemptMillis <= budget.deadlineMillis;
    }

    /**
     * The exception a call ends with: after a lost answer it says the work may have been done (a not-found of the
     * record it deletes excepted, which is settled as deleted before this); a call that was retried says what it
     * spent.
     */
    Failure finalFailure(Budget budget, Failure failure) {
        // a not-found left after a lost answer is about the lead of an unbinding, which no attempt deletes
        boolean markUnknown = budget.outcomeUnknown && !failure.isOutcomeUnknown()
                              && !failure.is(FailureKind.NOT_FOUND);
        if (!markUnknown && budget.attempts <= 1 && !failure.isRetryable()) {
            return failure;
        }
        String note = "gave up after " + budget.spent()
                      + (markUnknown ? "; an earlier attempt got no readable answer, so " + failure.getMethod()
                                       + " may have been carried out" : "");
        return failure.withNote(note, markUnknown || failure.isOutcomeUnknown());
    }
}
