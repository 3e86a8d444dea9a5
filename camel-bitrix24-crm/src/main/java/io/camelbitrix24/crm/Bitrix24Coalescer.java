package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.internal.call.Futures;
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
final class Bitrix24Coalescer {

    private static final Logger LOG = LoggerFactory.getLogger(Bitrix24Coalescer.class);

    private final Bitrix24Client client;
    private final Bitrix24RequestBuilder requestBuilder;
    private final int batchSize;
    private final ScheduledExecutorService scheduler;
    private final String portal;
    // the group waiting for its turn that calls join; guarded by this
    private Group open;

    Bitrix24Coalescer(Bitrix24Client client, Bitrix24RequestBuilder requestBuilder, int batchSize,
                      ScheduledExecutorService scheduler, String portal) {
        this.client = client;
        this.requestBuilder = requestBuilder;
        this.batchSize = batchSize;
        this.scheduler = scheduler;
        this.portal = portal;
    }

    /** True for the calls that may leave with others: those of one record (a delete, an unbinding, a read). */
    static boolean coalesces(Bitrix24Call call) {
        return call.aboutOneRecord();
    }

    /** One attempt of {@code call}, alone or with the calls waiting beside it. */
    CompletableFuture<Bitrix24Response> send(Bitrix24Call call) {
        CompletableFuture<Bitrix24Response> result = new CompletableFuture<>();
        join(new Waiting(call, result));
        return result;
    }

    private record Waiting(Bitrix24Call call, CompletableFuture<Bitrix24Response> result) {
    }

    /** Calls that take one turn; once it comes ({@code plan} made), no call joins. */
    private static final class Group {
        final List<Waiting> calls = new ArrayList<>();
        boolean closed;
        Plan plan;
    }

    /** What a group sends: its commands, and which command answers each call (by the calls' order). */
    private record Plan(List<Bitrix24Call> commands, int[] commandOf) {

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
                waiting.result().completeExceptionally(Bitrix24ErrorMapper.fromTransportFailure(
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
                client.sendFormedAtTurn(waiting.call().method(), () -> plan(group))
                        .whenComplete((response, error) -> settle(group, response, error));
            } catch (RuntimeException e) {
                settle(group, null, e);
            }
        }
    }

    /** The group's turn has come: no call joins it any more; its calls become its commands. */
    private Bitrix24Call plan(Group group) {
        List<Waiting> calls = close(group);
        List<Bitrix24Call> commands = new ArrayList<>();
        int[] commandOf = new int[calls.size()];
        Map<String, List<Integer>> readGroups = new LinkedHashMap<>();
        for (int i = 0; i < calls.size(); i++) {
            Bitrix24Call call = calls.get(i).call();
            String reads = Bitrix24RequestBuilder.readGroup(call);
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
            commands.add(Bitrix24RequestBuilder.mergeReads(reads.stream().map(i -> calls.get(i).call()).toList()));
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
    private void settle(Group group, Bitrix24Response response, Throwable error) {
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
                waiting.result().completeExceptionally(asItself || !(cause instanceof Bitrix24Exception failure) ? cause
                        : Bitrix24ErrorMapper.forCoalescedCall(failure, waiting.call().method(), waiting.call().describe(),
                        calls.size()));
            }
            return;
        }
        if (!plan.batch()) {
            // one call, or one read for several: the answer is each one's
            calls.forEach(waiting -> waiting.result().complete(response));
            return;
        }
        Bitrix24Exception[] refusals = new Bitrix24Exception[plan.commands().size()];
        for (int i = 0; i < calls.size(); i++) {
            Bitrix24Call call = calls.get(i).call();
            int command = plan.commandOf()[i];
            Bitrix24Call sent = plan.commands().get(command);
            Bitrix24ResponseParser.BatchCommand part = Bitrix24ResponseParser.batchCommand(response.result(), command,
                    call.method(), call.describe());
            if (part.answer() != null) {
                client.pacing().noteAnswer(sent.method(), part.answer().operatingResetAt());
                calls.get(i).result().complete(part.answer());
            } else {
                if (refusals[command] == null) {
                    // an operating-time refusal holds the method, as the same refusal of a single call does
                    refusals[command] = part.failure();
                    client.pacing().noteRefusal(sent.method(), part.failure());
                }
                calls.get(i).result().completeExceptionally(part.failure());
            }
        }
    }
}
