package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.camelbitrix24.crm.internal.call.Futures;


/**
 * Batch mode: a body that is a list of items becomes {@code batch} calls of up to {@code batchSize} commands. Every item
 * is validated before anything is sent, the calls go through the same limiter and retries as single calls, and the
 * answer is one {@link Bitrix24ItemResult} per item, in the body's order: a failed item never hides the others.
 */
final class Bitrix24BatchProcessor {

    static final int CHUNKS_IN_FLIGHT = 4;

    private final Bitrix24CallRunner runner;
    private final Bitrix24RequestBuilder requestBuilder;
    private final Bitrix24InputReader inputReader;
    private final Bitrix24CrmOperation operation;
    private final int batchSize;
    private final boolean halt;
    private final boolean notFoundIsSuccess;

    Bitrix24BatchProcessor(Bitrix24CallRunner runner, Bitrix24RequestBuilder requestBuilder, Bitrix24InputReader inputReader,
                           Bitrix24CrmOperation operation, int batchSize, boolean halt, boolean notFoundIsSuccess) {
        this.runner = runner;
        this.requestBuilder = requestBuilder;
        this.inputReader = inputReader;
        this.operation = operation;
        this.batchSize = batchSize;
        this.halt = halt;
        this.notFoundIsSuccess = notFoundIsSuccess;
    }

    /**
     * Validates every item first: one bad item fails the whole exchange with a {@link Bitrix24ValidationException}
     * naming it, and nothing is sent. Then sends the batches.
     */
    CompletableFuture<List<Bitrix24ItemResult>> process(List<Object> items) {
        List<Bitrix24DeleteRequest> requests = new ArrayList<>(items.size());
        Bitrix24ValidationException firstBad = null;
        int bad = 0;
        for (int i = 0; i < items.size(); i++) {
            try {
                requests.add(inputReader.readItem(items.get(i), i, operation));
            } catch (Bitrix24ValidationException e) {
                firstBad = firstBad == null ? e : firstBad;
                bad++;
            }
        }
        if (firstBad != null) {
            String more = bad > 1 ? " " + (bad - 1) + " more of the " + items.size() + " items are invalid too." : "";
            return CompletableFuture.failedFuture(
                    new Bitrix24ValidationException(firstBad.getMethod(), firstBad.getField(), firstBad.getMessage() + more));
        }
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
            Bitrix24Exception whole = run.wholeFailure.get();
            if (whole != null) {
                // a batch call that failed as a whole processed none of its items: the route's error handler decides
                int processed = (int) Arrays.stream(run.results).filter(Bitrix24ItemResult::isSuccess).count();
                throw Bitrix24ErrorMapper.withNote(whole, "the batch call failed as a whole, so " + run.unprocessed.get()
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
        final List<Bitrix24DeleteRequest> requests;
        final int chunks;
        final Bitrix24ItemResult[] results;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger running = new AtomicInteger();
        final CompletableFuture<Void> all = new CompletableFuture<>();
        /** The first failure of a batch call as a whole, and how many items it left unprocessed in all. */
        final AtomicReference<Bitrix24Exception> wholeFailure = new AtomicReference<>();
        final AtomicInteger unprocessed = new AtomicInteger();

        Run(List<Object> items, List<Bitrix24DeleteRequest> requests, int chunks) {
            this.items = items;
            this.requests = requests;
            this.chunks = chunks;
            this.results = new Bitrix24ItemResult[items.size()];
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
    private CompletableFuture<Void> sendChunk(Run run, List<Bitrix24DeleteRequest> chunk, int offset) {
        String method = requestBuilder.methodFor(operation);
        Bitrix24RetryPolicy.Budget budget = runner.policy().start();
        return runner.run(requestBuilder.buildBatch(chunk, halt), budget).handle((response, error) -> {
            Bitrix24Exception[] failures = new Bitrix24Exception[chunk.size()];
            Boolean[] answers = new Boolean[chunk.size()];
            Bitrix24Exception whole = null;
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                // the whole call failed after its retries: every item of it shares the failure
                whole = cause instanceof Bitrix24Exception e ? e
                        : Bitrix24ErrorMapper.fromTransportFailure(Bitrix24RequestBuilder.BATCH, cause);
                Arrays.fill(failures, whole);
            } else {
                readCommands(response, method, chunk, answers, failures);
            }
            boolean afterLostAnswer = response != null && response.afterUnknownOutcome();
            Bitrix24Exception wholeFailure = whole;
            return readRecords(chunk, answers, failures, budget).thenAccept(read -> {
                for (int i = 0; i < chunk.size(); i++) {
                    Bitrix24DeleteRequest request = chunk.get(i);
                    Boolean result = answers[i];
                    Bitrix24Exception exception = failures[i];
                    if (exception != null && Bitrix24RetryPolicy.deletedByLostAttempt(afterLostAnswer, exception,
                            request.deletesRecord())) {
                        // an earlier attempt of this batch got no readable answer: it deleted the record
                        result = true;
                        exception = null;
                    } else if (notFoundIsSuccess && exception instanceof Bitrix24NotFoundException) {
                        result = false;
                        exception = null;
                    }
                    if (wholeFailure != null && exception != null) {
                        run.wholeFailure.compareAndSet(null, wholeFailure);
                        run.unprocessed.incrementAndGet();
                    }
                    run.results[offset + i] = new Bitrix24ItemResult(run.items.get(offset + i), request.id(),
                            request.contactId(), result, exception);
                }
            });
        }).thenCompose(done -> done);
    }

    private static void readCommands(Bitrix24Response response, String method, List<Bitrix24DeleteRequest> chunk,
                                     Boolean[] answers, Bitrix24Exception[] failures) {
        for (int i = 0; i < answers.length; i++) {
            Bitrix24ResponseParser.BatchCommand command = Bitrix24ResponseParser.batchCommand(response.result(), i, method,
                    method + " for " + chunk.get(i).subject());
            answers[i] = command.answer() == null ? null : command.answer().deleted();
            failures[i] = command.failure();
        }
    }

    /**
     * Settles by one read of the records the items that need it: an error that may mean "not found" in a language no
     * phrase table holds (gone: a not-found; there: the error stands), and, when the whole call ended without a
     * readable answer, every item (gone: the lost attempt deleted it; there: the failure stands, saying the delete may
     * still happen). A read that fails leaves every failure standing, saying why.
     */
    private CompletableFuture<Void> readRecords(List<Bitrix24DeleteRequest> chunk, Boolean[] answers,
                                                Bitrix24Exception[] failures, Bitrix24RetryPolicy.Budget budget) {
        List<Integer> unsettled = new ArrayList<>();
        for (int i = 0; i < chunk.size(); i++) {
            Bitrix24Exception failure = failures[i];
            boolean deletesRecord = chunk.get(i).deletesRecord();
            if (failure != null && (Bitrix24RetryPolicy.settleByReading(failure, deletesRecord)
                                    || deletesRecord && failure.isOutcomeUnknown())) {
                unsettled.add(i);
            }
        }
        if (unsettled.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        List<Bitrix24DeleteRequest> records = unsettled.stream().map(chunk::get).toList();
        return runner.existing(records, budget).handle((existing, error) -> {
            for (int i : unsettled) {
                failures[i] = Bitrix24RetryPolicy.settleByRead(failures[i], chunk.get(i), existing, error,
                        failures[i].isOutcomeUnknown());
                if (failures[i] == null) {
                    // the batch call's answer was lost and the record is gone: that call deleted it
                    answers[i] = true;
                }
            }
            return null;
        });
    }
}
