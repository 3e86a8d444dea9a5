package io.camelbitrix24.crm.internal.send;

import java.util.concurrent.atomic.AtomicLong;

import io.camelbitrix24.crm.internal.call.ErrorMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.FailureKind;
import io.camelbitrix24.crm.internal.call.TransportFailures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry rules on a fake clock: attempts, deadline, backoff, lost answers and what a final failure says. */
class RetryPolicyTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    /** maxRetries 3, backoff 500 ms doubling to 30 s without jitter, deadline 600 s, an attempt 40 s at most. */
    private RetryPolicy policy(int maxRetries, long timeoutMillis) {
        return new RetryPolicy(maxRetries, 500, 30_000, timeoutMillis, 40_000, now::get, bound -> 0);
    }

    private static Failure serverFault() {
        return ErrorMapper.fromError("crm.lead.delete", 500, "INTERNAL_SERVER_ERROR", "Internal server error");
    }

    private static Failure lostAnswer() {
        return TransportFailures.of("crm.lead.delete",
                new java.net.SocketTimeoutException("read timed out"));
    }

    /** Runs attempts that all fail with {@code failure} until the policy gives up; answers the attempts made. */
    private static int attemptsUntilGivingUp(RetryPolicy policy, RetryPolicy.Budget budget,
                                             Failure failure, AtomicLong clock) {
        while (true) {
            budget.attemptStarted();
            long delay = policy.retryDelay(budget, failure, -1);
            if (delay < 0) {
                return budget.attempts();
            }
            clock.addAndGet(delay + 10);
        }
    }

    @Test
    void retryableFailuresAreRepeatedAtMostMaxRetriesTimes() {
        RetryPolicy policy = policy(3, 600_000);
        assertEquals(4, attemptsUntilGivingUp(policy, policy.start(), serverFault(), now));
    }

    @Test
    void refusalsThatTheLimiterPacesAreNotCountedButTheDeadlineEndsThem() {
        Failure refusal = ErrorMapper.fromError("crm.lead.delete", 503, "QUERY_LIMIT_EXCEEDED",
                "Too many requests");
        RetryPolicy policy = policy(1, 600_000);
        RetryPolicy.Budget budget = policy.start();
        for (int i = 0; i < 5; i++) {
            budget.attemptStarted();
            assertEquals(0, policy.retryDelay(budget, refusal, 0), "refusal " + (i + 1) + " is retried in its turn");
        }
        budget.attemptStarted();
        assertTrue(policy.retryDelay(budget, serverFault(), -1) >= 0, "the one retry maxRetries allows");
        budget.attemptStarted();
        assertEquals(-1, policy.retryDelay(budget, serverFault(), -1), "then no more");

        RetryPolicy.Budget late = policy.start();
        late.attemptStarted();
        now.addAndGet(600_000 - 40_000 + 1);
        assertEquals(-1, policy.retryDelay(late, refusal, 0), "no attempt that could not end before the deadline");

        RetryPolicy off = policy(0, 600_000);
        RetryPolicy.Budget once = off.start();
        once.attemptStarted();
        assertEquals(-1, off.retryDelay(once, refusal, 0), "maxRetries=0 retries nothing");
    }

    @Test
    void lostAnswersCountAsAttemptsToo() {
        RetryPolicy policy = policy(2, 600_000);
        RetryPolicy.Budget budget = policy.start();
        assertEquals(3, attemptsUntilGivingUp(policy, budget, lostAnswer(), now));
        assertTrue(budget.outcomeUnknown());
    }

    @Test
    void finalFailureAfterALostAnswerSaysTheOutcomeIsUnknownWithAttemptsAndTime() {
        RetryPolicy policy = policy(1, 600_000);
        RetryPolicy.Budget budget = policy.start();
        budget.attemptStarted();
        assertTrue(policy.retryDelay(budget, lostAnswer(), -1) >= 0);
        now.addAndGet(2_500);
        budget.attemptStarted();
        Failure second = serverFault();
        assertEquals(-1, policy.retryDelay(budget, second, -1));

        Failure last = policy.finalFailure(budget, second);
        assertKind(FailureKind.SERVER, last);
        assertTrue(last.isOutcomeUnknown());
        assertTrue(last.getMessage().contains("gave up after 2 attempts in 2.5 s"), last.getMessage());
        assertTrue(last.getMessage().contains("may have been carried out"), last.getMessage());
        assertSame(second.getCause(), last.getCause(), "the same cause");
    }

    @Test
    void aFailureThatIsFinalAtOnceIsLeftAsItIs() {
        RetryPolicy policy = policy(3, 600_000);
        RetryPolicy.Budget budget = policy.start();
        budget.attemptStarted();
        Failure denied = ErrorMapper.fromError("crm.lead.delete", 403, "ACCESS_DENIED", "Access denied!");
        assertEquals(-1, policy.retryDelay(budget, denied, -1));
        assertSame(denied, policy.finalFailure(budget, denied));
    }

    @Test
    void noAttemptStartsUnlessItCanEndBeforeTheDeadline() {
        // deadline 60 s, an attempt up to 40 s: a retry after 25 s of attempts would end at 65 s
        RetryPolicy policy = policy(10, 60_000);
        RetryPolicy.Budget budget = policy.start();
        budget.attemptStarted();
        now.addAndGet(19_000);
        assertEquals(250, policy.retryDelay(budget, serverFault(), -1));
        now.addAndGet(1_000);
        budget.attemptStarted();
        now.addAndGet(5_000);
        assertEquals(-1, policy.retryDelay(budget, serverFault(), -1), "would end after the deadline");
    }

    @Test
    void backoffDoublesUpToTheCapWithHalfOfItRandom() {
        RetryPolicy noJitter = policy(3, 600_000);
        assertEquals(250, noJitter.backoffMillis(1));
        assertEquals(500, noJitter.backoffMillis(2));
        assertEquals(1000, noJitter.backoffMillis(3));
        assertEquals(15_000, noJitter.backoffMillis(30));
        RetryPolicy fullJitter = new RetryPolicy(3, 500, 30_000, 600_000, 40_000, now::get, bound -> bound);
        assertEquals(500, fullJitter.backoffMillis(1));
        assertEquals(30_000, fullJitter.backoffMillis(30));
    }

    @Test
    void theLimitersWaitReplacesTheBackoff() {
        RetryPolicy policy = policy(3, 600_000);
        RetryPolicy.Budget budget = policy.start();
        budget.attemptStarted();
        Failure held = ErrorMapper.fromError("crm.lead.delete", 429, "OPERATION_TIME_LIMIT",
                "Method is blocked due to operation time limit");
        assertEquals(120_000, policy.retryDelay(budget, held, 120_000));
        budget.attemptStarted();
        assertEquals(-1, policy.retryDelay(budget, held, 590_000), "a hold past the deadline ends the call");
    }

    @Test
    void overloadIsNeverRetried() {
        RetryPolicy policy = policy(3, 600_000);
        RetryPolicy.Budget budget = policy.start();
        budget.attemptStarted();
        Failure overload = ErrorMapper.fromError("crm.lead.delete", 503, "OVERLOAD_LIMIT",
                "REST API is blocked due to overload.");
        assertKind(FailureKind.RATE_LIMIT, overload);
        assertFalse(overload.isRetryable());
        assertTrue(overload.getMessage().contains("only Bitrix24 support"), overload.getMessage());
        assertEquals(-1, policy.retryDelay(budget, overload, -1));
    }

    @Test
    void aRetryAfterALostAnswerIsWarnedAboutOnce() {
        RetryPolicy policy = policy(3, 600_000);
        RetryPolicy.Budget budget = policy.start();
        budget.attemptStarted();
        assertFalse(budget.firstRetryAfterLostAnswer());
        policy.retryDelay(budget, lostAnswer(), -1);
        assertTrue(budget.firstRetryAfterLostAnswer());
        assertFalse(budget.firstRetryAfterLostAnswer());
    }

    @Test
    void aSettlingReadEndsByTheDeadlineOfTheCallItSettles() {
        RetryPolicy policy = policy(3, 100_000);
        RetryPolicy.Budget call = policy.start();
        now.addAndGet(65_000);
        RetryPolicy.Budget read = policy.startWithin(call);
        read.attemptStarted();
        assertEquals(-1, policy.retryDelay(read, serverFault(), -1), "35 s left, an attempt needs 40 s");
        RetryPolicy.Budget own = policy.start();
        own.attemptStarted();
        assertEquals(250, policy.retryDelay(own, serverFault(), -1));
    }

    private static Failure assertKind(FailureKind kind, Object failure) {
        Failure f = org.junit.jupiter.api.Assertions.assertInstanceOf(Failure.class, failure);
        org.junit.jupiter.api.Assertions.assertEquals(kind, f.kind(), f.getMessage());
        return f;
    }
}
