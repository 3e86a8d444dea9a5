package io.camelbitrix24.emulator;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counts every request the emulator received, per method, and keeps the most recent ones for inspection. */
public final class RequestLog {

    private static final int KEPT = 10_000;

    private final AtomicLong total = new AtomicLong();
    private final Map<String, LongAdder> perMethod = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> batchedPerMethod = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<RecordedRequest> recent = new ConcurrentLinkedDeque<>();
    private final AtomicInteger recentSize = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private volatile PrintStream arrivals;

    /** A request is being answered (HTTP/1.1 without pipelining: one per connection in use). */
    void started() {
        peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    void finished() {
        inFlight.decrementAndGet();
    }

    /** Requests being answered now. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The most requests answered at once since the start or the last reset: the client's connections in use. */
    public int peakInFlight() {
        return peakInFlight.get();
    }

    void record(RecordedRequest request) {
        PrintStream out = arrivals;
        if (out != null) {
            Instant now = Instant.now();
            out.println("arrival " + request.method() + " " + (now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000));
        }
        total.incrementAndGet();
        perMethod.computeIfAbsent(request.method(), k -> new LongAdder()).increment();
        if ("batch".equals(request.method())) {
            // a command is "method?query": the batch method's cmd[...] values, keyed or listed
            Object cmd = request.params().get("cmd");
            Collection<?> commands = cmd instanceof Map<?, ?> keyed ? keyed.values()
                    : cmd instanceof Collection<?> listed ? listed : List.of();
            commands.forEach(command -> batchedPerMethod
                    .computeIfAbsent(String.valueOf(command).split("\\?", 2)[0], k -> new LongAdder()).increment());
        }
        recent.addLast(request);
        if (recentSize.incrementAndGet() > KEPT && recent.pollFirst() != null) {
            recentSize.decrementAndGet();
        }
    }

    /**
     * Prints a line {@code arrival <method> <epoch microseconds>} for each request as it arrives, for a client in
     * another JVM on this machine to tell when its request reached the portal ({@code --print-arrivals}).
     */
    public void printArrivals(PrintStream out) {
        this.arrivals = out;
    }

    /** Every request that reached a REST path, whatever its answer. */
    public long total() {
        return total.get();
    }

    public long count(String method) {
        LongAdder adder = perMethod.get(method);
        return adder == null ? 0 : adder.sum();
    }

    /** Calls of {@code method} the portal was asked to run: requests of its own, and commands inside batch calls. */
    public long commands(String method) {
        LongAdder batched = batchedPerMethod.get(method);
        return count(method) + (batched == null ? 0 : batched.sum());
    }

    /** The most recent requests (up to 10,000), oldest first. */
    public List<RecordedRequest> recent() {
        return new ArrayList<>(recent);
    }

    public RecordedRequest last() {
        return recent.peekLast();
    }

    public void reset() {
        total.set(0);
        perMethod.clear();
        batchedPerMethod.clear();
        recent.clear();
        recentSize.set(0);
        peakInFlight.set(inFlight.get());
    }
}
