package io.camelbitrix24.emulator;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bitrix24's per-method time limit, as rest/lib/engine/access/loadlimiter.php keeps it: for each method and each caller
 * (an OAuth application or a webhook, not a user), the seconds the portal spent on it, in 10 baskets of one minute of
 * wall-clock time. A request's time on a method counts only when it is 0.1 s or more. A method whose baskets hold more
 * than the limit (420 s by default, a tariff setting on cloud) answers {@code OPERATION_TIME_LIMIT} until its oldest
 * basket leaves the window. The time is scaled for tests: a basket is a tenth of {@code windowMillis}.
 */
final class OperatingTimeBudget {

    static final double UNCOUNTED_BELOW_SECONDS = 0.1;
    private static final int BASKETS = 10;

    private record Basket(long firstCallMillis, double seconds) {
    }

    private final double limitSeconds;
    private final long windowMillis;
    private final long basketMillis;
    /** caller and method -> basket number -> spend */
    private final Map<String, TreeMap<Long, Basket>> spends = new HashMap<>();

    OperatingTimeBudget(double limitSeconds, long windowMillis) {
        this.limitSeconds = limitSeconds;
        this.windowMillis = windowMillis;
        this.basketMillis = Math.max(1, windowMillis / BASKETS);
    }

    private static String key(String caller, String method) {
        return caller + " " + method;
    }

    /** loadlimiter.php l.172-195: blocked while the spend is strictly over the limit. */
    synchronized boolean isSpent(String caller, String method, long nowMillis) {
        return spent(caller, method, nowMillis) > limitSeconds;
    }

    /** One request's time on a method, counted when it is 0.1 s or more. */
    synchronized void record(String caller, String method, long nowMillis, double seconds) {
        if (seconds < UNCOUNTED_BELOW_SECONDS) {
            return;
        }
        long basket = nowMillis / basketMillis;
        spends.computeIfAbsent(key(caller, method), k -> new TreeMap<>())
                .merge(basket, new Basket(nowMillis, seconds),
                        (old, add) -> new Basket(old.firstCallMillis(), old.seconds() + add.seconds()));
    }

    /** Seconds spent on the method by the caller in this basket and the nine before it. */
    synchronized double spent(String caller, String method, long nowMillis) {
        TreeMap<Long, Basket> baskets = current(caller, method, nowMillis);
        return baskets == null ? 0 : baskets.values().stream().mapToDouble(Basket::seconds).sum();
    }

    /**
     * loadlimiter.php l.215-252: Unix seconds when the oldest counted basket's first call leaves the window; a window
     * after {@code requestStartMillis} when none is counted. Rounded up: the server's value (a whole-second start plus
     * 600) is never before its basket leaves, and on the emulator's scaled baskets rounding down would be.
     */
    synchronized long resetAtSeconds(String caller, String method, long nowMillis, long requestStartMillis) {
        TreeMap<Long, Basket> baskets = current(caller, method, nowMillis);
        long oldest = baskets == null || baskets.isEmpty() ? requestStartMillis : baskets.firstEntry().getValue().firstCallMillis();
        return (oldest + windowMillis + 999) / 1000;
    }

    private TreeMap<Long, Basket> current(String caller, String method, long nowMillis) {
        TreeMap<Long, Basket> baskets = spends.get(key(caller, method));
        if (baskets != null) {
            long oldestKept = nowMillis / basketMillis - (BASKETS - 1);
            for (Iterator<Long> it = baskets.keySet().iterator(); it.hasNext();) {
                if (it.next() < oldestKept) {
                    it.remove();
                }
            }
        }
        return baskets;
    }
}
