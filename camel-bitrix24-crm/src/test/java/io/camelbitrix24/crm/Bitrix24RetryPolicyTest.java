package io.camelbitrix24.crm;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry rules on a fake clock: attempts, deadline, backoff, lost answers and what a final failure says. */
class Bitrix24RetryPolicyTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    /** maxRetries 3, backoff 500 ms doubling to 30 s without jitter, deadline 600 s, an attempt 40 s at most. */
    private Bitrix24RetryPolicy policy(int maxRetries, long timeoutMillis) {
        return new Bitrix24RetryPolicy(maxRetries, 500, 30_000, timeoutMillis, 40_000, now::get, bound -> 0);
    }

    private static Bitrix24Exception serverFault() {
        return Bitrix24ErrorMapper.fromError("crm.lead.delete", 500, "INTERNAL_SERVER_ERROR", "Internal server error");
    }

    private static Bitrix24Exception lostAnswer() {
        return Bitrix24ErrorMapper.fromTransportFailure("crm.lead.delete",
                new java.net.SocketTimeoutException("read timed out"));
    }

    /** Runs attempts that all fail with {@code failure} until the policy gives up; answers the attempts made. */
    private static int attemptsUntilGivingUp(Bitrix24RetryPolicy policy, Bitrix24RetryPolicy.Budget budget,
                                             Bitrix24Exception failure, AtomicLong clock) {
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
        Bitrix24RetryPolicy policy = policy(3, 600_000);
        assertEquals(4, attemptsUntilGivingUp(policy, policy.start(), serverFault(), now));
    }

    @Test
    void refusalsThatTheLimiterPacesAreNotCountedButTheDeadlineEndsThem() {
        Bitrix24Exception refusal = Bitrix24ErrorMapper.fromError("crm.lead.delete", 503, "QUERY_LIMIT_EXCEEDED",
                "Too many requests");
        Bitrix24RetryPolicy policy = policy(1, 600_000);
        Bitrix24RetryPolicy.Budget budget = policy.start();
        for (int i = 0; i < 5; i++) {
            budget.attemptStarted();
            assertEquals(0, policy.retryDelay(budget, refusal, 0), "refusal " + (i + 1) + " is retried in its turn");
        }
        budget.attemptStarted();
        assertTrue(policy.retryDelay(budget, serverFault(), -1) >= 0, "the one retry maxRetries allows");
        budget.attemptStarted();
        assertEquals(-1, policy.retryDelay(budget, serverFault(), -1), "then no more");

        Bitrix24RetryPolicy.Budget late = policy.start();
        late.attemptStarted();
        now.addAndGet(600_000 - 40_000 + 1);
        assertEquals(-1, policy.retryDelay(late, refusal, 0), "no attempt that could not end before the deadline");

        Bitrix24RetryPolicy off = policy(0, 600_000);
        Bitrix24RetryPolicy.Budget once = off.start();
        once.attemptStarted();
        assertEquals(-1, off.retryDelay(once, refusal, 0), "maxRetries=0 retries nothing");
    }

    @Test
    void lostAnswersCountAsAttemptsToo() {
        Bitrix24RetryPolicy policy = policy(2, 600_000);
        Bitrix24RetryPolicy.Budget budget = policy.start();
        assertEquals(3, attemptsUntilGivingUp(policy, budget, lostAnswer(), now));
        assertTrue(budget.outcomeUnknown());
    }

    @Test
    void finalFailureAfterALostAnswerSaysTheOutcomeIsUnknownWithAttemptsAndTime() {
        Bitrix24RetryPolicy policy = policy(1, 600_000);
        Bitrix24RetryPolicy.Budget budget = policy.start();
        budget.attemptStarted();
        assertTrue(policy.retryDelay(budget, lostAnswer(), -1) >= 0);
        now.addAndGet(2_500);
        budget.attemptStarted();
        Bitrix24Exception second = serverFault();
        assertEquals(-1, policy.retryDelay(budget, second, -1));

        Bitrix24Exception last = policy.finalFailure(budget, second);
        assertInstanceOf(Bitrix24ServerException.class, last);
        assertTrue(last.isOutcomeUnknown());
        assertTrue(last.getMessage().contains("gave up after 2 attempts in 2.5 s"), last.getMessage());
        assertTrue(last.getMessage().contains("may have been carried out"), last.getMessage());
        assertSame(second.getCause(), last.getCause(), "the same cause");
    }

    @Test
    void aFailureThatIsFinalAtOnceIsLeftAsItIs() {
        Bitrix24RetryPolicy policy = policy(3, 600_000);
        Bitrix24RetryPolicy.Budget budget = policy.start();
        budget.attemptStarted();
        Bitrix24Exception denied = Bitrix24ErrorMapper.fromError("crm.lead.delete", 403, "ACCESS_DENIED", "Access denied!");
        assertEquals(-1, policy.retryDelay(budget, denied, -1));
        assertSame(denied, policy.finalFailure(budget, denied));
    }

    @Test
    void noAttemptStartsUnlessItCanEndBeforeTheDeadline() {
        // deadline 60 s, an attempt up to 40 s: a retry after 25 s of attempts would end at 65 s
        Bitrix24RetryPolicy policy = policy(10, 60_000);
        Bitrix24RetryPolicy.Budget budget = policy.start();
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
        Bitrix24RetryPolicy noJitter = policy(3, 600_000);
        assertEquals(250, noJitter.backoffMillis(1));
        assertEquals(500, noJitter.backoffMillis(2));
        assertEquals(1000, noJitter.backoffMillis(3));
        assertEquals(15_000, noJitter.backoffMillis(30));
        Bitrix24RetryPolicy fullJitter = new Bitrix24RetryPolicy(3, 500, 30_000, 600_000, 40_000, now::get, bound -> bound);
        assertEquals(500, fullJitter.backoffMillis(1));
        assertEquals(30_000, fullJitter.backoffMillis(30));
    }

    @Test
    void theLimitersWaitReplacesTheBackoff() {
        Bitrix24RetryPolicy policy = policy(3, 600_000);
        Bitrix24RetryPolicy.Budget budget = policy.start();
        budget.attemptStarted();
        Bitrix24Exception held = Bitrix24ErrorMapper.fromError("crm.lead.delete", 429, "OPERATION_TIME_LIMIT",
                "Method is blocked due to operation time limit");
        assertEquals(120_000, policy.retryDelay(budget, held, 120_000));
        budget.attemptStarted();
        assertEquals(-1, policy.retryDelay(budget, held, 590_000), "a hold past the deadline ends the call");
    }

    @Test
    void overloadIsNeverRetried() {
        Bitrix24RetryPolicy policy = policy(3, 600_000);
        Bitrix24RetryPolicy.Budget budget = policy.start();
        budget.attemptStarted();
        Bitrix24Exception overload = Bitrix24ErrorMapper.fromError("crm.lead.delete", 503, "OVERLOAD_LIMIT",
                "REST API is blocked due to overload.");
        assertInstanceOf(Bitrix24RateLimitException.class, overload);
        assertFalse(overload.isRetryable());
        assertTrue(overload.getMessage().contains("only Bitrix24 support"), overload.getMessage());
        assertEquals(-1, policy.retryDelay(budget, overload, -1));
    }

    @Test
    void aNotFoundAfterALostAnswerMeansTheLostAttemptDeletedTheRecord() {
        Bitrix24Exception notFound = Bitrix24ErrorMapper.fromError("crm.lead.delete", 400, "NOT_FOUND", "Not found");
        assertTrue(Bitrix24RetryPolicy.deletedByLostAttempt(true, notFound, true));
        assertFalse(Bitrix24RetryPolicy.deletedByLostAttempt(false, notFound, true), "no lost answer before it");
        assertFalse(Bitrix24RetryPolicy.deletedByLostAttempt(true, notFound, false), "an unbinding deletes no record");
        assertFalse(Bitrix24RetryPolicy.deletedByLostAttempt(true, serverFault(), true));
    }

    @Test
    void aRetryAfterALostAnswerIsWarnedAboutOnce() {
        Bitrix24RetryPolicy policy = policy(3, 600_000);
        Bitrix24RetryPolicy.Budget budget = policy.start();
        budget.attemptStarted();
        assertFalse(budget.firstRetryAfterLostAnswer());
        policy.retryDelay(budget, lostAnswer(), -1);
        assertTrue(budget.firstRetryAfterLostAnswer());
        assertFalse(budget.firstRetryAfterLostAnswer());
    }

    @Test
    void aSettlingReadEndsByTheDeadlineOfTheCallItSettles() {
        Bitrix24RetryPolicy policy = policy(3, 100_000);
        Bitrix24RetryPolicy.Budget call = policy.start();
        now.addAndGet(65_000);
        Bitrix24RetryPolicy.Budget read = policy.startWithin(call);
        read.attemptStarted();
        assertEquals(-1, policy.retryDelay(read, serverFault(), -1), "35 s left, an attempt needs 40 s");
        Bitrix24RetryPolicy.Budget own = policy.start();
        own.attemptStarted();
        assertEquals(250, policy.retryDelay(own, serverFault(), -1));
    }

    @Test
    void aReadOfTheRecordSettlesAFailureOnIt() {
        Bitrix24DeleteRequest lead = new Bitrix24DeleteRequest(Bitrix24CrmOperation.LEAD_DELETE, 12, null);
        Bitrix24Exception undecided = Bitrix24ErrorMapper.fromError("crm.lead.delete", 400, "ERROR_CORE", "[!! x !!]");
        assertSame(undecided, Bitrix24RetryPolicy.settleByRead(undecided, lead, java.util.Set.of(12), null, false),
                "the record is there: the error stands");
        assertInstanceOf(Bitrix24NotFoundException.class,
                Bitrix24RetryPolicy.settleByRead(undecided, lead, java.util.Set.of(), null, false));
        assertEquals(null, Bitrix24RetryPolicy.settleByRead(lostAnswer(), lead, java.util.Set.of(), null, true),
                "gone after a lost answer: deleted");
        Bitrix24Exception unread = Bitrix24RetryPolicy.settleByRead(undecided, lead, null,
                new java.net.ConnectException("refused"), false);
        assertInstanceOf(Bitrix24InvalidRequestException.class, unread);
        assertTrue(unread.getMessage().contains("whether lead 12 still exists could not be read (ConnectException)"),
                unread.getMessage());
    }
}
