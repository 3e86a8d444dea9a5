package io.camelbitrix24.crm;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

import io.camelbitrix24.crm.internal.call.Call;
import io.camelbitrix24.crm.internal.call.FailureKind;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.crm.internal.call.RecordRequest;
import io.camelbitrix24.crm.internal.call.RequestBuilder;
import io.camelbitrix24.crm.internal.call.Response;
import io.camelbitrix24.crm.internal.input.InputReader;
import io.camelbitrix24.crm.internal.send.ActivityMeters;
import io.camelbitrix24.crm.internal.send.BatchProcessor;
import io.camelbitrix24.crm.internal.send.CallRunner;
import io.camelbitrix24.crm.internal.send.ItemOutcome;
import io.camelbitrix24.crm.internal.send.NotFoundRule;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes one record per exchange, asynchronously: reads and validates the ids (nothing is sent on bad input), calls
 * Bitrix24, and completes the exchange with the result or the typed exception on every path. The route's thread reads
 * the input and hands the call over; in many-portal mode the call goes on once its portal's runner is known, which
 * needs no wait when a fresh copy of the installation is held and is otherwise looked up off the route's thread.
 */
public class Bitrix24CrmProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(Bitrix24CrmProducer.class);
    private static final String SUCCESS = "success";
    private static final String NOT_FOUND = "not_found";
    private static final String FAILURE = "failure";

    private final Operation operation;
    private final InputReader inputReader;
    private final RequestBuilder requestBuilder;
    // the endpoint's method, as its options make it (classic or item API): what every exchange calls
    private final String method;
    private final NotFoundRule notFound;
    private final Bitrix24CrmEndpoint endpoint;
    // the component's meters, read at start: each exchange and batch item counted by its outcome
    private ActivityMeters meters = ActivityMeters.NONE;

    /** Reads what the endpoint has from its init on; what it makes at start (runner, pools) is read per call. */
    public Bitrix24CrmProducer(Bitrix24CrmEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.operation = endpoint.getCrmOperation();
        this.requestBuilder = endpoint.getRequestBuilder();
        this.method = requestBuilder.methodFor(operation);
        this.inputReader = new InputReader(endpoint.getObjectMapper(), method,
                endpoint.getEntityTypeId());
        this.notFound = new NotFoundRule(endpoint.getConfiguration().isNotFoundIsSuccess());
    }

    /** Unless started lazily, on the first message, prepares the way to the portal so the first call goes at once. */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        meters = endpoint.getComponent().sharedResources().activities().meters();
        if (!endpoint.isLazyStartProducer()) {
            endpoint.preparePortal();
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        CompletableFuture<CallRunner> runner;
        List<Object> items;
        List<RecordRequest> requests = null;
        Call call = null;
        try {
            // in many-portal mode the portal's runner may still be looked up, off this thread: the input is read
            // meanwhile
            runner = endpoint.runnerFor(exchange.getMessage().getHeader(Bitrix24CrmConstants.PORTAL, String.class),
                    method);
            if (runner.isCompletedExceptionally()) {
                // a portal known not to be called fails first, at once
                Throwable refused = Futures.unwrap(runner.handle((known, error) -> error).join());
                throw refused instanceof RuntimeException e ? e : new CompletionException(refused);
            }
            items = inputReader.batchItems(exchange);
            if (items != null) {
                requests = inputReader.readItems(exchange, items, operation);
            } else {
                RecordRequest request = inputReader.read(exchange, operation);
                // which record, for the route's logs and error handler, wherever the id came from
                identify(exchange.getMessage(), request);
                call = requestBuilder.build(request);
            }
        } catch (Exception e) {
            exchange.setException(Bitrix24Exceptions.toPublic(e));
            meters.call(method, FAILURE);
            callback.done(true);
            return true;
        }
        if (items != null) {
            return processBatch(exchange, items, requests, runner, callback);
        }
        Call single = call;
        LOG.debug("Calling {} for exchange {}", single.method(), exchange.getExchangeId());
        return completeWhenDone(endpoint, exchange, callback,
                runner.thenCompose(known -> notFound.applyTo(known.run(single), single.method())),
                response -> {
                    meters.call(method, response.notFound() ? NOT_FOUND : SUCCESS);
                    writeResult(exchange.getMessage(), response);
                }, error -> {
                    meters.call(method, error instanceof Bitrix24NotFoundException ? NOT_FOUND : FAILURE);
                    exchange.setException(error);
                });
    }

    private boolean processBatch(Exchange exchange, List<Object> items, List<RecordRequest> requests,
                                 CompletableFuture<CallRunner> runner, AsyncCallback callback) {
        LOG.debug("Deleting {} items in batches for exchange {}", items.size(), exchange.getExchangeId());
        return completeWhenDone(endpoint, exchange, callback,
                runner.thenCompose(known -> new BatchProcessor(known, requestBuilder, operation,
                        endpoint.getConfiguration().getBatchSize(), endpoint.getConfiguration().isBatchHalt(),
                        notFound).process(items, requests)).thenApply(this::results),
                results -> {
            long failed = results.stream().filter(r -> !r.isSuccess()).count();
            Message message = exchange.getMessage();
            message.setBody(results);
            message.setHeader(Bitrix24CrmConstants.METHOD, method);
            message.setHeader(Bitrix24CrmConstants.BATCH_SUCCEEDED, (int) (results.size() - failed));
            message.setHeader(Bitrix24CrmConstants.BATCH_FAILED, (int) failed);
        }, error -> {
            // the batch call failed as a whole: none of its items was processed
            items.forEach(item -> meters.call(method, FAILURE));
            exchange.setException(error);
        });
    }

    /** Which record, in the headers a route reads, wherever the input named it. */
    private static void identify(Message message, RecordRequest request) {
        message.setHeader(Bitrix24CrmConstants.ID, request.id());
        if (request.boundId() != null) {
            message.setHeader(request.operation().unbindsCompanies() ? Bitrix24CrmConstants.COMPANY_ID
                    : Bitrix24CrmConstants.CONTACT_ID, request.boundId());
        }
        if (request.operation().needsEntityTypeId()) {
            message.setHeader(Bitrix24CrmConstants.ENTITY_TYPE_ID, request.entityTypeId());
        }
    }

    /** The batch's outcomes as the route reads them, failures as their public exceptions; each counted. */
    private List<Bitrix24ItemResult> results(List<ItemOutcome> outcomes) {
        for (ItemOutcome o : outcomes) {
            boolean notFoundItem = o.notFound() || o.failure() != null && o.failure().is(FailureKind.NOT_FOUND);
            meters.call(method, notFoundItem ? NOT_FOUND : o.failure() == null ? SUCCESS : FAILURE);
        }
        return outcomes.stream().map(o -> new Bitrix24ItemResult(o.input(), o.request(), o.result(),
                o.failure() == null ? null : Bitrix24Exceptions.toPublic(o.failure()))).toList();
    }

    /**
     * Completes the exchange when {@code call} ends, on the endpoint's completion executor: the outcome is written by
     * one of the two handlers, and {@code callback.done} runs exactly once whatever they do. Both producers end so.
     */
    static <T> boolean completeWhenDone(Bitrix24CrmEndpoint endpoint, Exchange exchange, AsyncCallback callback,
                                        CompletableFuture<T> call, Consumer<T> onResult, Consumer<Throwable> onFailure) {
        call.whenCompleteAsync((result, error) -> {
            try {
                if (error == null) {
                    onResult.accept(result);
                } else {
                    onFailure.accept(Bitrix24Exceptions.toPublic(error));
                }
            } catch (Throwable t) {
                exchange.setException(Bitrix24Exceptions.toPublic(t));
            } finally {
                callback.done(false);
            }
        }, endpoint.getCompletionExecutor());
        return false;
    }

    private void writeResult(Message message, Response response) {
        boolean result = response.deleted();
        message.setBody(result);
        message.setHeader(Bitrix24CrmConstants.RESULT, result);
        message.setHeader(Bitrix24CrmConstants.METHOD, method);
        if (response.afterUnknownOutcome()) {
            message.setHeader(Bitrix24CrmConstants.UNKNOWN_OUTCOME_RETRIED, true);
        }
        if (response.operating() != null) {
            message.setHeader(Bitrix24CrmConstants.OPERATING, response.operating());
        }
        if (response.operatingResetAt() != null) {
            message.setHeader(Bitrix24CrmConstants.OPERATING_RESET_AT, response.operatingResetAt());
        }
    }
}
