package io.camelbitrix24.crm.internal.send;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.camelbitrix24.crm.spi.Bitrix24BucketState;

/**
 * What the calls to one portal (or to all, summed) are doing at one moment: calls waiting for their turn, requests at
 * the portal, what was sent, refused and retried since start, the bucket (null when the limiter does not tell, or for a
 * sum), the methods held for spent operating time, the last failure, token refreshes.
 */
public record PortalFigures(String portal, int waiting, int inFlight, long requests, long batchRequests, long reads,
                            long batchCommands, long refusals, long retries, Bitrix24BucketState bucket,
                            List<Hold> holds, PortalActivity.LastError lastError, long refreshesGranted,
                            long refreshesRefused) {

    /** A method held until {@code untilEpochMillis} for the caller's spent operating time. */
    public record Hold(String method, long untilEpochMillis) {
    }

    /** Commands a batch call carried on average; 0 before the first. */
    public double commandsPerBatch() {
        return batchRequests == 0 ? 0 : (double) batchCommands / batchRequests;
    }

    /**
     * Seconds until the calls waiting now have left, at the bucket's pace: the requests they need (as many calls each
     * as a batch call carried so far, else one) less what the bucket lets go at once, at its rate. 0 with nothing
     * waiting or no pacing; null when the limiter does not tell its bucket. A held method may take longer: see
     * {@link #holds}.
     */
    public Double drainSeconds() {
        if (waiting == 0) {
            return 0.0;
        }
        if (bucket == null) {
            return null;
        }
        if (bucket.perSecond() <= 0) {
            return 0.0;
        }
        double callsPerRequest = Math.max(1, commandsPerBatch());
        double requestsNeeded = Math.ceil(waiting / callsPerRequest);
        double freeNow = Math.max(0, bucket.size() - bucket.level());
        return Math.max(0, requestsNeeded - freeNow) / bucket.perSecond();
    }

    /** The bucket as text, {@code 12.0/50 at 2.0/s}; empty when the limiter does not tell. */
    public String bucketText() {
        return bucket == null ? "" : String.format(java.util.Locale.ROOT, "%.1f/%d at %s/s", bucket.level(),
                bucket.size(), bucket.perSecond());
    }

    /** The held methods as text: {@code crm.lead.delete until 2026-12-07T10:00:00Z}, comma-separated. */
    public String holdsText() {
        return String.join(", ", holds.stream().map(h -> h.method() + " until "
                                                          + java.time.Instant.ofEpochMilli(h.untilEpochMillis())).toList());
    }

    /** The last failure as text, {@code RATE_LIMIT: ...}; empty when none. */
    public String lastErrorText() {
        return lastError == null ? "" : lastError.type() + ": " + lastError.message();
    }

    /**
     * The figures of all these portals summed, as {@code portal}: counts added, holds listed, the latest failure, the
     * drain estimate of the slowest portal (they drain side by side).
     */
    public static Summed sum(String portal, List<PortalFigures> all) {
        int waiting = 0;
        int inFlight = 0;
        long requests = 0;
        long batchRequests = 0;
        long reads = 0;
        long batchCommands = 0;
        long refusals = 0;
        long retries = 0;
        long granted = 0;
        long refused = 0;
        List<Hold> holds = new ArrayList<>();
        Double drain = 0.0;
        for (PortalFigures f : all) {
            waiting += f.waiting;
            inFlight += f.inFlight;
            requests += f.requests;
            batchRequests += f.batchRequests;
            reads += f.reads;
            batchCommands += f.batchCommands;
            refusals += f.refusals;
            retries += f.retries;
            granted += f.refreshesGranted;
            refused += f.refreshesRefused;
            holds.addAll(f.holds);
            Double own = f.drainSeconds();
            drain = own == null || drain == null ? null : Math.max(drain, own);
        }
        PortalActivity.LastError last = all.stream().map(PortalFigures::lastError).filter(Objects::nonNull)
                .max(Comparator.comparingLong(PortalActivity.LastError::atEpochMillis)).orElse(null);
        return new Summed(new PortalFigures(portal, waiting, inFlight, requests, batchRequests, reads, batchCommands,
                refusals, retries, null, List.copyOf(holds), last, granted, refused), drain);
    }

    /** Summed figures, and the drain estimate of the slowest of them (null when one of them has none). */
    public record Summed(PortalFigures figures, Double drainSeconds) {
    }
}
