package io.camelbitrix24.crm.internal.send;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.internal.call.Call;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.RequestBuilder;
import io.camelbitrix24.crm.internal.call.Response;
import io.camelbitrix24.crm.internal.call.ResponseParser;
import io.camelbitrix24.crm.internal.call.TransportFailures;
import io.camelbitrix24.crm.internal.http.RequestNotSentException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls of one record each to one portal, with one credential, that wait for their turn together leave together. A
 * call joins the one group still waiting for its turn (in the rate limiter, or for a connection) while it has room for
 * {@code batchSize} calls, else starts the next; a group takes one turn, and when it comes leaves as its one call, or
 * as one {@code batch} call. A call that finds no group waiting starts one and goes in its own turn: nothing waits for
 * a call that could go at once. Reads of one record each, of one list method, become one read filtered by {@code @ID}.
 * <p>
 * Each call's attempt ends as if it had been sent alone: its command's result, its time block's operating time, or
 * its own typed exception, naming its record; a failure of the whole call is each call's, for each one's retry policy
 * to weigh. A method held for its spent operating time waits for the hold before it joins, so no call waits for
 * another's hold.
 */
public final class Coalescer {

    private static final Logger LOG = LoggerFactory.getLogger(Coalescer.class);

    private final Client client;
    private final RequestBuilder requestBuilder;
    private final int batchSize;
    private final ScheduledExecutorService scheduler;
    private final String portal;
    // the group waiting for its turn that calls join; guarded by this
    private Group open;

    public Coalescer(Client client, RequestBuilder requestBuilder, int batchSize,
                      ScheduledExecutorService scheduler, String portal) {
        this.client = client;
        this.requestBuilder = requestBuilder;
        this.batchSize = batchSize;
        this.scheduler = scheduler;
        this.portal = portal;
    }

    /** True for the calls that may leave with others: those of one record (a delete, an unbinding, a read). */
    static boolean coalesces(Call call) {
        return call.aboutOneRecord();
    }

    /** One attempt of {@code call}, alone or with the calls waiting beside it. */
    CompletableFuture<Response> send(Call call) {
        CompletableFuture<Response> result = new CompletableFuture<>();
        join(new Waiting(call, result));
        return result;
    }

    private record Waiting(Call call, CompletableFuture<Response> result) {
    }

    /** Calls that take one turn; once it comes ({@code plan} made), no call joins. */
    private static final class Group {
        final List<Waiting> calls = new ArrayList<>();
        boolean closed;
        Plan plan;
    }

    /** What a group sends: its commands, and which command answers each call (by the calls' order). */
    private record Plan(List<Call> commands, int[] commandOf) {

        boolean batch() {
            return commands.size() > 1;
        }
    }

    private void join(Waiting waiting) {
        long heldMillis;
        try {
            heldMillis = client.pacing().heldForMillis(waiting.call().method());
        } catch (RuntimeException e) {
            waiting.result().completeExceptionally(e);
            return;
        }
        if (heldMillis > 0) {
            try {
                scheduler.schedule(() -> join(waiting), heldMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down
                waiting.result().completeExceptionally(TransportFailures.of(
                        waiting.call().method(), waiting.call().describe(), new RequestNotSentException(e)));
            }
            return;
        }
        Group starting = null;
        synchronized (this) {
            if (open == null || open.calls.size() >= batchSize) {
                open = new Group();
                starting = open;
            }
            open.calls.add(waiting);
        }
        if (starting != null) {
            Group group = starting;
            try {
                // the turn is taken as the first call's, which may well leave alone
                client.sendMadeAtTurn(waiting.call().method(), () -> plan(group))
                        .whenComplete((response, error) -> settle(group, response, error));
            } catch (RuntimeException e) {
                settle(group, null, e);
            }
        }
    }

    /** The group's turn has come: no call joins it any more; its calls become its commands. */
    private Call plan(Group group) {
        List<Waiting> calls = close(group);
        List<Call> commands = new ArrayList<>();
        int[] commandOf = new int[calls.size()];
        Map<String, List<Integer>> readGroups = new LinkedHashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i).call();
            String reads = RequestBuilder.readGroup(call);
            if (reads == null) {
                commandOf[i] = commands.size();
                commands.add(call);
            } else {
                readGroups.computeIfAbsent(reads, r -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> reads : readGroups.values()) {
            for (int i : reads) {
                commandOf[i] = commands.size();
            }
            commands.add(RequestBuilder.mergeReads(reads.stream().map(i -> calls.get(i).call()).toList()));
        }
        Plan plan = new Plan(List.copyOf(commands), commandOf);
        synchronized (this) {
            group.plan = plan;
        }
        if (!plan.batch()) {
            return commands.get(0);
        }
        LOG.debug("{} calls waiting for their turn at {} leave as one batch call of {} commands", calls.size(), portal,
                commands.size());
        return requestBuilder.batchOf(commands, false);
    }

    private synchronized List<Waiting> close(Group group) {
        group.closed = true;
        if (open == group) {
            open = null;
        }
        return List.copyOf(group.calls);
    }

    /** Each call of the group ends its attempt with its own part of the answer, or with the failure of the whole. */
    private void settle(Group group, Response response, Throwable error) {
        List<Waiting> calls = close(group);
        Plan plan;
        synchronized (this) {
            plan = group.plan;
        }
        if (error != null) {
            Throwable cause = Futures.unwrap(error);
            for (Waiting waiting : calls) {
                // a lone call sent as itself failed as itself; otherwise the failure is re-told for each call
                boolean asItself = plan != null && !plan.batch() && plan.commands().get(0) == waiting.call();
                waiting.result().completeExceptionally(asItself || !(cause instanceof Failure failure) ? cause
                        : failure.forOneOf(calls.size(), waiting.call().method(), waiting.call().describe()));
            }
            return;
        }
        if (!plan.batch()) {
            // one call, or one read for several: the answer is each one's
            calls.forEach(waiting -> waiting.result().complete(response));
            return;
        }
        for (int i = 0; i < calls.size(); i++) {
            Call call = calls.get(i).call();
            int command = plan.commandOf()[i];
            ResponseParser.BatchCommand part = ResponseParser.batchCommand(response.result(), command,
                    call.method(), call.describe());
            // the client has told the limiter of each command's answer
            if (part.answer() != null) {
                calls.get(i).result().complete(part.answer());
            } else {
                calls.get(i).result().completeExceptionally(part.failure());
            }
        }
    }
}
