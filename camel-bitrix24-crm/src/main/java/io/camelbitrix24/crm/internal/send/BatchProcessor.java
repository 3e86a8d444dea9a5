package io.camelbitrix24.crm.internal.send;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.crm.internal.call.RecordRequest;
import io.camelbitrix24.crm.internal.call.RequestBuilder;
import io.camelbitrix24.crm.internal.call.Response;
import io.camelbitrix24.crm.internal.call.ResponseParser;
import io.camelbitrix24.crm.internal.call.TransportFailures;


/**
 * Batch mode: a body that is a list of items becomes {@code batch} calls of up to {@code batchSize} commands. Every item
 * is validated before anything is sent, the calls go through the same limiter and retries as single calls, and the
 * answer is one {@link ItemOutcome} per item, in the body's order: a failed item never hides the others.
 */
public final class BatchProcessor {

    static final int CHUNKS_IN_FLIGHT = 4;

    private final CallRunner runner;
    private final RequestBuilder requestBuilder;
    private final Operation operation;
    private final int batchSize;
    private final boolean halt;
    private final NotFoundRule notFound;

    public BatchProcessor(CallRunner runner, RequestBuilder requestBuilder, Operation operation, int batchSize,
                          boolean halt, NotFoundRule notFound) {
        this.runner = runner;
        this.requestBuilder = requestBuilder;
        this.operation = operation;
        this.batchSize = batchSize;
        this.halt = halt;
        this.notFound = notFound;
    }

    /** Sends the batches of {@code requests}, every item read and valid already: the request of each of {@code items}. */
    public CompletableFuture<List<ItemOutcome>> process(List<Object> items, List<RecordRequest> requests) {
        Run run = new Run(items, requests, (requests.size() + batchSize - 1) / batchSize);
        // a few batch calls at a time: each is heavy on the portal, and calls queued there would reach its bucket
        // closer together than the limiter sent them
        run.running.set(Math.min(CHUNKS_IN_FLIGHT, run.chunks));
        if (run.chunks == 0) {
            run.all.complete(null);
        }
        for (int i = 0; i < Math.min(CHUNKS_IN_FLIGHT, run.chunks); i++) {
            sendNext(run);
        }
        return run.all.thenApply(done -> {
            Failure whole = run.wholeFailure.get();
            if (whole != null) {
                // a batch call that failed as a whole processed none of its items: the route's error handler decides
                int processed = (int) Arrays.stream(run.results).filter(ItemOutcome::isSuccess).count();
                throw whole.withNote("the batch call failed as a whole, so " + run.unprocessed.get()
                                                          + " of the " + items.size() + " items were not processed"
                                                          + (processed > 0 ? " (" + processed + " were)" : ""),
                        whole.isOutcomeUnknown());
            }
            return Arrays.asList(run.results);
        });
    }

    /** One exchange's batch calls: their items, results in the body's order, and how far the calls have got. */
    private static final class Run {
        final List<Object> items;
        final List<RecordRequest> requests;
        final int chunks;
        final ItemOutcome[] results;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final CompletableFuture<Void> all = new CompletableFuture<>();
        /** The first failure of a batch call as a whole, and how many items it left unprocessed in all. */
        final AtomicReference<Failure> wholeFailure = new AtomicReference<>();
        final AtomicInteger unprocessed = new AtomicInteger();

        Run(List<Object> items, List<RecordRequest> requests, int chunks) {
            this.items = items;
            this.requests = requests;
            this.chunks = chunks;
            this.results = new ItemOutcome[items.size()];
        }
    }

    private void sendNext(Run run) {
        int index = run.next.getAndIncrement();
        if (index >= run.chunks) {
            if (run.running.decrementAndGet() == 0) {
                run.all.complete(null);
            }
            return;
        }
        int from = index * batchSize;
        int to = Math.min(run.requests.size(), from + batchSize);
        sendChunk(run, run.requests.subList(from, to), from).whenComplete((done, error) -> sendNext(run));
    }

    /**
     * One batch call: each command's answer or error becomes its item's result. Errors that may mean "not found" in a
     * language no phrase table holds are settled together, by one read of the records still there.
     */
    private CompletableFuture<Void> sendChunk(Run run, List<RecordRequest> chunk, int offset) {
        String method = requestBuilder.methodFor(operation);
        RetryPolicy.Budget budget = runner.policy().start();
        return runner.run(requestBuilder.buildBatch(chunk, halt), budget).handle((response, error) -> {
            Failure[] failures = new Failure[chunk.size()];
            Boolean[] answers = new Boolean[chunk.size()];
            Failure whole = null;
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                // the whole call failed after its retries: every item of it shares the failure
                whole = cause instanceof Failure e ? e
                        : TransportFailures.of(RequestBuilder.BATCH, cause);
                Arrays.fill(failures, whole);
            } else {
                readCommands(response, method, chunk, answers, failures);
            }
            boolean afterLostAnswer = response != null && response.afterUnknownOutcome();
            Failure wholeFailure = whole;
            return readRecords(chunk, answers, failures, afterLostAnswer, budget).thenAccept(read -> {
                for (int i = 0; i < chunk.size(); i++) {
                    RecordRequest request = chunk.get(i);
                    Boolean result = answers[i];
                    Failure exception = failures[i];
                    boolean takenAsDone = false;
                    if (exception != null && Settling.deletedByLostAttempt(exception, request.deletesRecord(),
                            afterLostAnswer)) {
                        // an earlier attempt of this batch got no readable answer: it deleted the record
                        result = true;
                        exception = null;
                    } else if (notFound.takesAsDone(exception)) {
                        result = false;
                        exception = null;
                        takenAsDone = true;
                    }
                    if (wholeFailure != null && exception != null) {
                        run.wholeFailure.compareAndSet(null, wholeFailure);
                        run.unprocessed.incrementAndGet();
                    }
                    run.results[offset + i] = new ItemOutcome(run.items.get(offset + i), request, result, exception,
                            takenAsDone);
                }
            });
        }).thenCompose(done -> done);
    }

    private static void readCommands(Response response, String method, List<RecordRequest> chunk,
                                     Boolean[] answers, Failure[] failures) {
        for (int i = 0; i < answers.length; i++) {
            ResponseParser.BatchCommand command = ResponseParser.batchCommand(response.result(), i, method,
                    method + " for " + chunk.get(i).subject());
            answers[i] = command.answer() == null ? null : command.answer().deleted();
            failures[i] = command.failure();
        }
    }

    /**
     * Settles by one read of the records the items that need it, by the rules single calls follow ({@link Settling}):
     * an error that may mean "not found" in a language no phrase table holds (gone: a not-found; there: the error
     * stands), and, after a lost answer, every failed record delete (gone: the lost attempt deleted it; there: the
     * failure stands, saying the delete may still happen). A read that fails leaves every failure standing, saying why.
     */
    private CompletableFuture<Void> readRecords(List<RecordRequest> chunk, Boolean[] answers, Failure[] failures,
                                                boolean afterLostAnswer, RetryPolicy.Budget budget) {
        List<Integer> unsettled = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            Failure failure = failures[i];
            boolean deletesRecord = chunk.get(i).deletesRecord();
            if (failure != null && Settling.needsRead(failure, deletesRecord, afterLostAnswer)) {
                unsettled.add(i);
            }
        }
        if (unsettled.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        // one read per entity type: an item/delete batch may hold several
        Map<Integer, List<Integer>> byType = new LinkedHashMap<>();
        unsettled.forEach(i -> byType.computeIfAbsent(chunk.get(i).entityTypeId(), t -> new ArrayList<>()).add(i));
        CompletableFuture<?>[] reads = byType.values().stream().map(indexes -> runner.existing(
                indexes.stream().map(chunk::get).toList(), budget).handle((existing, error) -> {
            for (int i : indexes) {
                failures[i] = Settling.afterRead(failures[i], chunk.get(i), existing, error, afterLostAnswer);
                if (failures[i] == null) {
                    // the batch call's answer was lost and the record is gone: that call deleted it
                    answers[i] = true;
                }
            }
            return null;
        })).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(reads);
    }
}
