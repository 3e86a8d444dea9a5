package io.camelbitrix24.crm.spi;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The in-JVM limiter's arithmetic on a fake clock: the bucket's slots, the headroom kept for calls that reach the
 * portal later than they left, and what a refusal changes. Waits are in ms.
 */
class Bitrix24LocalLimiterTest {

    private static final long MS = 1_000_000L;
    private static final Bitrix24LimiterKey KEY = new Bitrix24LimiterKey("https://portal.example", "webhook:1");

    private final AtomicLong now = new AtomicLong(1_000 * MS);

    /** Burst 5, 10 a second: a slot every 100 ms, 400 ms of tolerance before the headroom. */
    private Bitrix24LocalLimiter limiter() {
        return new Bitrix24LocalLimiter(5, 10, null, now::get);
    }

    private static long waitMillis(Bitrix24LocalLimiter limiter, long slot) {
        return Math.max(0, limiter.waitForSlot(slot)) / MS;
    }

    private static long[] burstWaits(Bitrix24LocalLimiter limiter, int calls) {
        long[] waits = new long[calls];
        for (int i = 0; i < calls; i++) {
            waits[i] = waitMillis(limiter, limiter.reserveSlot());
        }
        return waits;
    }

    @Test
    void aBurstLeavesAtOnceThenCallsLeaveAtTheDrainRateLessTwentyMsOfHeadroom() {
        assertEquals(List.of(0L, 0L, 0L, 0L, 20L, 120L, 220L),
                Arrays.stream(burstWaits(limiter(), 7)).boxed().toList());
    }

    @Test
    void theSlowestAnswerAfterItsTurnIsKeptAsHeadroom() {
        Bitrix24LocalLimiter limiter = limiter();
        limiter.answered(KEY, 150 * MS);
        limiter.answered(KEY, 40 * MS);
        // 400 ms of tolerance less 150: the fourth call of the burst (slot at 300 ms) waits 50 ms
        assertEquals(List.of(0L, 0L, 0L, 50L, 150L),
                Arrays.stream(burstWaits(limiter, 5)).boxed().toList());
    }

    @Test
    void aWaitingCallWaitsLongerWhenTheHeadroomGrowsMeanwhile() {
        Bitrix24LocalLimiter limiter = limiter();
        burstWaits(limiter, 4);
        long fifth = limiter.reserveSlot();
        assertEquals(20, waitMillis(limiter, fifth));
        limiter.answered(KEY, 100 * MS);
        assertEquals(100, waitMillis(limiter, fifth), "checked again when its time comes");
    }

    @Test
    void theHeadroomIsHalfTheBurstAtMost() {
        Bitrix24LocalLimiter limiter = limiter();
        limiter.answered(KEY, 10_000 * MS);
        // 200 ms of the 400 kept free: the third call (slot at 200 ms) leaves at once, the fourth waits 100 ms
        assertEquals(List.of(0L, 0L, 0L, 100L), Arrays.stream(burstWaits(limiter, 4)).boxed().toList());
    }

    @Test
    void answersOlderThanTheBucketsDrainTimeNoLongerCount() {
        Bitrix24LocalLimiter limiter = limiter();
        limiter.answered(KEY, 150 * MS);
        // the bucket drains in 400 + 100 ms: an answer older than that is about calls no longer in it
        now.addAndGet(501 * MS);
        assertEquals(20, waitMillis(limiter, burstLast(limiter)));
    }

    private static long burstLast(Bitrix24LocalLimiter limiter) {
        long slot = 0;
        for (int i = 0; i < 5; i++) {
            slot = limiter.reserveSlot();
        }
        return slot;
    }

    @Test
    void aRefusalSpendsASlotAndDoublesTheHeadroom() {
        Bitrix24LocalLimiter limiter = limiter();
        limiter.rateLimited(KEY);
        // the refused call took the slot at 0; the headroom is 40 ms: the fourth call (slot at 400 ms) waits 40 ms
        assertEquals(List.of(0L, 0L, 0L, 40L), Arrays.stream(burstWaits(limiter, 4)).boxed().toList());
    }

    @Test
    void offWhenTheRateIsZero() {
        Bitrix24LocalLimiter limiter = new Bitrix24LocalLimiter(5, 0, null, now::get);
        assertTrue(limiter.acquire(KEY, "crm.lead.delete").isDone());
        assertFalse(limiter.isPacing());
    }
}
