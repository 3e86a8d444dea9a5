package io.camelbitrix24.emulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Bitrix24's per-method time limit: the seconds the portal spent on a method within a sliding window (10 minutes on
 * cloud), calls under 0.1 s not counted. While a method's spend is over the budget, it answers
 * {@code OPERATION_TIME_LIMIT} until the oldest counted call leaves the window ({@code operating_reset_at}).
 */
final class OperatingTimeBudget {

    static final double UNCOUNTED_BELOW_SECONDS = 0.1;

    private record Spend(long atMillis, double seconds) {
    }

    private final double budgetSeconds;
    private final long windowMillis;
    private final Map<String, Deque<Spend>> spends = new HashMap<>();

    OperatingTimeBudget(double budgetSeconds, long windowMillis) {
        this.budgetSeconds = budgetSeconds;
        this.windowMillis = windowMillis;
    }

    synchronized boolean isSpent(String method, long nowMillis) {
        return spent(method, nowMillis) >= budgetSeconds;
    }

    synchronized void record(String method, long nowMillis, double seconds) {
        if (seconds >= UNCOUNTED_BELOW_SECONDS) {
            spends.computeIfAbsent(method, k -> new ArrayDeque<>()).addLast(new Spend(nowMillis, seconds));
        }
    }

    /** Seconds spent on the method within the window ending now. */
    synchronized double spent(String method, long nowMillis) {
        Deque<Spend> deque = spends.get(method);
        if (deque == null) {
            return 0;
        }
        while (!deque.isEmpty() && deque.peekFirst().atMillis() <= nowMillis - windowMillis) {
            deque.pollFirst();
        }
        return deque.stream().mapToDouble(Spend::seconds).sum();
    }

    /** Unix seconds when the oldest counted call leaves the window; a full window from now when none is counted. */
    synchronized long resetAtSeconds(String method, long nowMillis) {
        spent(method, nowMillis);
        Deque<Spend> deque = spends.get(method);
        long oldest = deque == null || deque.isEmpty() ? nowMillis : deque.peekFirst().atMillis();
        return (long) Math.ceil((oldest + windowMillis) / 1000.0);
    }
}
