package io.camelbitrix24.crm.internal.send;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import io.camelbitrix24.crm.internal.call.Call;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.RequestBuilder;
import io.camelbitrix24.crm.spi.Bitrix24BucketState;
import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24LimiterKey;

/**
 * What the calls to one portal are doing, for the people who run them: how many wait for their turn and how many are
 * at the portal now, what was sent (requests, batch calls, their commands), refused and retried, the last failure, and
 * token refreshes; the bucket and held methods are read from the limiter when asked. Kept while the component keeps the
 * portal's client, counted with atomics so the calls' threads never wait on it, and told to {@link ActivityMeters} as
 * it happens.
 */
public final class PortalActivity {

    /** The kinds of request counted: {@code single}, {@code batch}, {@code read}. */
    public enum RequestKind {
        SINGLE("single"),
        BATCH("batch"),
        READ("read");

        private final String tag;

        RequestKind(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }

        static RequestKind of(Call call) {
            if (call.read()) {
                return READ;
            }
            return RequestBuilder.BATCH.equals(call.method()) ? BATCH : SINGLE;
        }
    }

    private record Caller(Bitrix24LimiterKey key, String method) {
    }

    /** The last failure of a call: its kind and message (never a secret: failures name none), and when. */
    public record LastError(String type, String message, long atEpochMillis) {
    }

    private final String portal;
    private final Bitrix24Limiter limiter;
    private final Bitrix24LimiterKey key;
    private final ActivityMeters meters;
    private final LongSupplier clockMillis;
    // calls started and not ended (their retries' waits included), and calls carried by requests at the portal now: a
    // batch request carries its commands' calls, so coalesced calls and batch items count one each
    private final AtomicInteger callsStarted = new AtomicInteger();
    private final AtomicInteger callsAtPortal = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder batchRequests = new LongAdder();
    private final LongAdder reads = new LongAdder();
    private final LongAdder batchCommands = new LongAdder();
    private final LongAdder refusals = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder refreshesGranted = new LongAdder();
    private final LongAdder refreshesRefused = new LongAdder();
    // the callers and methods seen, to ask the limiter which are held: endpoints of one portal may call it as other
    // webhook users or applications, each held on its own; a portal's methods and callers are a few dozen at most
    private final Set<Caller> callers = ConcurrentHashMap.newKeySet();
    private volatile LastError lastError;

    /** {@code portal}: how people name the portal, its host (with the member_id in many-portal mode); no secret. */
    public PortalActivity(String portal, Bitrix24Limiter limiter, Bitrix24LimiterKey key, ActivityMeters meters,
                          LongSupplier clockMillis) {
        this.portal = portal;
        this.limiter = limiter;
        this.key = key;
        this.meters = meters;
        this.clockMillis = clockMillis;
    }

    public String portal() {
        return portal;
    }

    /** {@code calls} calls start: they wait for their turn until a request carries them. */
    void started(int calls) {
        callsStarted.addAndGet(calls);
    }

    /** {@code calls} calls ended, done or failed. */
    void ended(int calls) {
        callsStarted.addAndGet(-calls);
    }

    /**
     * A request of {@code caller} leaves, its turn come after {@code waitedNanos}, carrying {@code calls} calls
     * ({@code commands} of a batch call, 1 for others).
     */
    void sent(Bitrix24LimiterKey caller, String method, RequestKind kind, int calls, long waitedNanos) {
        callers.add(new Caller(caller, method));
        inFlight.incrementAndGet();
        callsAtPortal.addAndGet(calls);
        requests.increment();
        switch (kind) {
            case BATCH -> {
                batchRequests.increment();
                batchCommands.add(calls);
            }
            case READ -> reads.increment();
            default -> {
            }
        }
        meters.request(portal, kind, waitedNanos);
    }

    /** A request that carried {@code calls} calls was answered, or failed. */
    void answered(int calls) {
        inFlight.decrementAndGet();
        callsAtPortal.addAndGet(-calls);
    }

    /** Calls waiting for their turn now: started, and not at the portal. */
    public int waiting() {
        return Math.max(0, callsStarted.get() - callsAtPortal.get());
    }

    /** Requests at the portal now, sent and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    /** The portal refused a call or a batch command for its limits: {@code QUERY_LIMIT_EXCEEDED}, ... */
    void refused(String code) {
        refusals.increment();
        meters.refusal(portal, code);
    }

    /** A call is sent again after a failure. */
    void retried() {
        retries.increment();
        meters.retry(portal);
    }

    /** A call (one attempt's end, before any retry) failed so. */
    void failed(Failure failure) {
        lastError = new LastError(failure.kind().name(), failure.getMessage(), clockMillis.getAsLong());
    }

    /** An OAuth token refresh for this portal was granted, or refused for good. */
    public void refreshed(boolean granted) {
        (granted ? refreshesGranted : refreshesRefused).increment();
    }

    /** The figures now. */
    public PortalFigures figures() {
        long now = clockMillis.getAsLong();
        List<PortalFigures.Hold> holds = new ArrayList<>();
        for (Caller caller : callers) {
            long held = limiter.heldForMillis(caller.key(), caller.method());
            if (held > 0) {
                holds.add(new PortalFigures.Hold(caller.method(), now + held));
            }
        }
        Bitrix24BucketState bucket = limiter.bucket(key);
        return new PortalFigures(portal, waiting(), inFlight.get(), requests.sum(), batchRequests.sum(),
                reads.sum(), batchCommands.sum(), refusals.sum(), retries.sum(), bucket, List.copyOf(holds),
                lastError, refreshesGranted.sum(), refreshesRefused.sum());
    }
}
