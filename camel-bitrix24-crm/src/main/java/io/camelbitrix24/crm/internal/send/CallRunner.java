package io.camelbitrix24.crm.internal.send;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelbitrix24.crm.internal.call.Call;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.RecordRequest;
import io.camelbitrix24.crm.internal.call.RequestBuilder;
import io.camelbitrix24.crm.internal.call.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a call to its end: sends attempts through the client as the retry policy decides, and settles what an answer
 * leaves open by asking the portal. An answer that may mean "not found" in a language no phrase table holds is settled
 * by one read of the record; a record delete that, after a lost answer, finds its record gone succeeds. Never blocks a
 * thread: pauses are scheduled.
 */
public final class CallRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CallRunner.class);

    private final Client client;
    // null when calls are not coalesced
    private final Coalescer coalescer;
    private final RetryPolicy policy;
    private final RequestBuilder requestBuilder;
    private final ScheduledExecutorService scheduler;
    // calls started and not ended, their retries and reads included; and when one last started or ended
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile long lastActiveNanos = System.nanoTime();

    public CallRunner(Client client, Coalescer coalescer, RetryPolicy policy,
                       RequestBuilder requestBuilder, ScheduledExecutorService scheduler) {
        this.client = client;
        this.coalescer = coalescer;
        this.policy = policy;
        this.requestBuilder = requestBuilder;
        this.scheduler = scheduler;
    }

    RetryPolicy policy() {
        return policy;
    }

    /** Runs a call with a budget of its own. */
    public CompletableFuture<Response> run(Call call) {
        return run(call, policy.start());
    }

    /** Runs a call within {@code budget}; whatever goes wrong, even scheduling, ends in the future. */
    CompletableFuture<Response> run(Call call, RetryPolicy.Budget budget) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        inFlight.incrementAndGet();
        // a batch-mode call carries its items: each counts as a call waiting, as coalesced calls do
        int calls = call.commands().isEmpty() ? 1 : call.commands().size();
        client.activity().started(calls);
        touch();
        // the caller learns of the end once the counts have: an exchange that ended is no longer counted
        CompletableFuture<Response> ended = new CompletableFuture<>();
        result.whenComplete((response, error) -> {
            touch();
            inFlight.decrementAndGet();
            client.activity().ended(calls);
            if (error == null) {
                ended.complete(response);
            } else {
                ended.completeExceptionally(error);
            }
        });
        attempt(call, budget, result);
        return ended;
    }

    /** A call is about to run: the runner counts as used now. */
    public void touch() {
        lastActiveNanos = System.nanoTime();
    }

    /**
     * No call is in flight (none waits for its turn, an answer or a retry), and none started or ended for
     * {@code nanos}.
     */
    public boolean idleFor(long nanos) {
        return inFlight.get() == 0 && System.nanoTime() - lastActiveNanos >= nanos;
    }

    /**
     * The ids of these records (of one operation that deletes records) the portal still has: one read, through the
     * same limiter and retries, ending by the deadline of {@code within}.
     */
    CompletableFuture<Set<Integer>> existing(List<RecordRequest> records, RetryPolicy.Budget within) {
        return run(requestBuilder.existenceRead(records), policy.startWithin(within))
                .thenApply(RequestBuilder::existingIds);
    }

    private void attempt(Call call, RetryPolicy.Budget budget, CompletableFuture<Response> result) {
        try {
            budget.attemptStarted();
            CompletableFuture<Response> sent = coalescer != null && Coalescer.coalesces(call)
                    ? coalescer.send(call) : client.send(call);
            sent.whenComplete((response, error) -> {
                if (error == null) {
                    result.complete(budget.outcomeUnknown() ? response.withUnknownOutcomeBefore() : response);
                } else if (Futures.unwrap(error) instanceof Failure failure) {
                    if (Settling.isUndecided(failure, call.deletesRecord())) {
                        readUndecided(call, budget, failure, result);
                    } else {
                        afterFailure(call, budget, failure, false, result);
                    }
                } else {
                    result.completeExceptionally(Futures.unwrap(error));
                }
            });
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** The answer may mean "not found" in a language no table holds: the record's presence decides. */
    private void readUndecided(Call call, RetryPolicy.Budget budget, Failure undecided,
                               CompletableFuture<Response> result) {
        RecordRequest record = call.request();
        existing(List.of(record), budget).whenComplete((ids, error) -> {
            // a lost answer before this one is for afterFailure to weigh: here gone means not found
            Failure settled = Settling.afterRead(undecided, record, ids, error, false);
            afterFailure(call, budget, settled, settled == undecided, result);
        });
    }

    /**
     * The attempts are spent and one of them lost its answer: a read says whether the record is still there. Gone, the
     * lost attempt deleted it; there, the failure stands, still saying the delete may have happened (an attempt may
     * still be running on the portal).
     */
    private void readAfterLostAnswer(Call call, RetryPolicy.Budget budget, Failure failure,
                                     CompletableFuture<Response> result) {
        RecordRequest record = call.request();
        existing(List.of(record), budget).whenComplete((ids, error) -> {
            if (Settling.afterRead(failure, record, ids, error, true) == null) {
                LOG.debug("{}: gone after a lost answer; the attempt whose answer was lost deleted it", call.describe());
                result.complete(Response.deletedByLostAttempt(call.method()));
            } else {
                result.completeExceptionally(policy.finalFailure(budget, failure));
            }
        });
    }

    /** {@code recordSeen}: a read just found the record, so reading it again would say nothing new. */
    private void afterFailure(Call call, RetryPolicy.Budget budget, Failure failure,
                              boolean recordSeen, CompletableFuture<Response> result) {
        if (Settling.deletedByLostAttempt(failure, call.deletesRecord(), budget.outcomeUnknown())) {
            LOG.debug("{}: not found on retry; the attempt whose answer was lost deleted it", call.describe());
            result.complete(Response.deletedByLostAttempt(call.method()));
            return;
        }
        long delay = policy.retryDelay(budget, failure, client.pacing().retryWaitMillis(call.method(), failure));
        if (delay < 0) {
            if (!recordSeen && Settling.readBeforeFailing(failure, call.deletesRecord(), budget.outcomeUnknown())
                    && policy.canStartAttempt(budget)) {
                readAfterLostAnswer(call, budget, failure, result);
            } else {
                result.completeExceptionally(policy.finalFailure(budget, failure));
            }
            return;
        }
        if (budget.firstRetryAfterLostAnswer()) {
            LOG.warn("{}: attempt {} got no readable answer ({}), so it may have been carried out; retrying to settle it"
                     + " (attempt {} of at most {})", call.describe(), budget.attempts(), failure.getErrorDescription(),
                    budget.attempts() + 1, policy.maxRetries() + 1);
        } else {
            LOG.debug("{} failed ({}); attempt {} in {} ms", call.describe(), failure.getMessage(), budget.attempts() + 1,
                    delay);
        }
        try {
            scheduler.schedule(() -> attempt(call, budget, result), delay, TimeUnit.MILLISECONDS);
            client.activity().retried();
        } catch (RuntimeException e) {
            // shutting down: the failure stands
            result.completeExceptionally(policy.finalFailure(budget, failure));
        }
    }
}
