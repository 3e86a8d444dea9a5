package io.camelbitrix24.emulator;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Injects {@link Fault}s into REST calls, each kind at its own rate (a probability per request), off until set. Draws
 * from a seeded random so that a failing run can be repeated, and counts what it injected per kind.
 */
public final class FaultInjection {

    static final int OVERSIZED_BYTES = 4 * 1024 * 1024;

    private final AtomicLongArray injected = new AtomicLongArray(Fault.values().length);
    private volatile double[] rates = new double[Fault.values().length];
    private final Queue<Fault> queued = new ConcurrentLinkedQueue<>();
    private volatile long slowAnswerMillis = 2_000;
    private Random random = new Random();

    /** Every kind given at {@code totalRate / kinds}, so that about {@code totalRate} of the requests fail. */
    public synchronized void setRates(double totalRate, Fault... kinds) {
        if (totalRate < 0 || totalRate > 1 || kinds.length == 0) {
            throw new IllegalArgumentException("a rate in [0, 1] and at least one fault kind are needed");
        }
        double[] next = new double[Fault.values().length];
        for (Fault kind : kinds) {
            next[kind.ordinal()] = totalRate / kinds.length;
        }
        rates = next;
    }

    /** One kind at {@code rate}, the others unchanged. */
    public synchronized void setRate(Fault kind, double rate) {
        double[] next = rates.clone();
        next[kind.ordinal()] = rate;
        double total = 0;
        for (double r : next) {
            total += r;
        }
        if (rate < 0 || total > 1) {
            throw new IllegalArgumentException("fault rates must be >= 0 and add up to at most 1");
        }
        rates = next;
    }

    /** These faults, in order, for the next requests, before any drawn at a rate. */
    public void next(Fault... faults) {
        queued.addAll(List.of(faults));
    }

    public synchronized void clear() {
        rates = new double[Fault.values().length];
        queued.clear();
    }

    /** Seeds the draw, so that the same requests meet the same faults. */
    public synchronized void setSeed(long seed) {
        random = new Random(seed);
    }

    /** How long a {@link Fault#SLOW_ANSWER} waits before answering (default 2 s). */
    public void setSlowAnswerDelay(Duration delay) {
        slowAnswerMillis = delay.toMillis();
    }

    long slowAnswerMillis() {
        return slowAnswerMillis;
    }

    /** The fault for this request, or null. */
    Fault draw() {
        Fault next = queued.poll();
        if (next != null) {
            injected.incrementAndGet(next.ordinal());
            return next;
        }
        double[] current = rates;
        double x;
        synchronized (this) {
            x = random.nextDouble();
        }
        for (Fault kind : Fault.values()) {
            x -= current[kind.ordinal()];
            if (x < 0) {
                injected.incrementAndGet(kind.ordinal());
                return kind;
            }
        }
        return null;
    }

    /** How many times each kind was injected. */
    public Map<Fault, Long> injected() {
        Map<Fault, Long> counts = new EnumMap<>(Fault.class);
        for (Fault kind : Fault.values()) {
            counts.put(kind, injected.get(kind.ordinal()));
        }
        return counts;
    }

    public long injectedTotal() {
        long total = 0;
        for (int i = 0; i < injected.length(); i++) {
            total += injected.get(i);
        }
        return total;
    }
}
