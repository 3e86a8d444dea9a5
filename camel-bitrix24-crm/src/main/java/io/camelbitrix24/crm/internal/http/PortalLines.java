package io.camelbitrix24.crm.internal.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.hc.core5.http.HttpHost;

/**
 * A line per portal for the calls that hold or wait for its connections, at most {@code limit} of them holding at
 * once: a portal with a long backlog (calls waiting for its turns at 2 a second) never holds the places of another
 * portal that shares the transport. Past its portal's line, a call takes one of {@code totalLimit} places shared by
 * all portals, in arrival order, so the connections held at once stay within that many however many portals are
 * called. A portal's line is dropped once nothing holds or waits in it, so the lines kept are those of the portals in
 * use.
 */
final class PortalLines {

    private final int limit;
    private final AdmissionQueue total;
    private final Map<HttpHost, AdmissionQueue> lines = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PortalLines(int limit, int totalLimit) {
        this.limit = limit;
        this.total = new AdmissionQueue(totalLimit);
    }

    /**
     * Queues {@code task} in {@code portal}'s line; it runs in its place, given the callback its owner runs once when
     * it ends, which lets the next in.
     */
    void submit(HttpHost portal, Consumer<Runnable> task, boolean first) {
        AdmissionQueue[] line = new AdmissionQueue[1];
        // queued under the map's lock, so a line is never dropped with a task just queued in it
        lines.compute(portal, (key, existing) -> {
            line[0] = existing != null ? existing : new AdmissionQueue(limit);
            line[0].enqueue(() -> total.submit(() -> task.accept(() -> done(portal, line[0])), first), first);
            return line[0];
        });
        if (closed) {
            line[0].close();
        } else {
            line[0].admitOrFail();
        }
    }

    private void done(HttpHost portal, AdmissionQueue line) {
        total.done();
        line.done();
        lines.computeIfPresent(portal, (key, existing) -> existing == line && line.idle() ? null : existing);
    }

    /** Calls waiting for a place, in every line and for a shared place. */
    int waitingCount() {
        return lines.values().stream().mapToInt(AdmissionQueue::waitingCount).sum() + total.waitingCount();
    }

    /** Portals with a line: calls holding or waiting for their connections. */
    int portalsInUse() {
        return lines.size();
    }

    /** From now on every task runs at once, those waiting first, each to fail on the closed transport. */
    void close() {
        closed = true;
        lines.values().forEach(AdmissionQueue::close);
        total.close();
    }
}
