package io.camelbitrix24.emulator;

import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Serves {@code /rest/...}: webhook paths {@code /rest/{userId}/{code}/{method}} and OAuth paths
 * {@code /rest/{method}} with the token as {@code auth}. Records the request, plays a scripted answer or an injected
 * fault ({@link FaultAnswers}), checks transport, auth, scope and permission in the order a portal does, runs the
 * method or the batch ({@link BatchRunner}), and answers with {@code result} and {@code time} ({@link TimeBlock}), or
 * with the Bitrix24 error.
 */
final class RestHandler implements HttpHandler {

    private static final String BATCH = BatchRunner.BATCH;
    /** The method that lists the caller's scopes; it needs none itself (rest/classes/general/rest_provider.php). */
    private static final String SCOPE = "scope";

    private final CrmMethods methods;
    private final AccessControl access;
    private final RequestLog log;
    private final Clock clock;
    private final PortalLimits limits;
    private final boolean secureTransport;
    private final Queue<Answer> scripted = new ConcurrentLinkedQueue<>();
    private volatile java.util.concurrent.CompletableFuture<?> hold;
    private final FaultInjection faults;
    private volatile boolean httpsRequired;
    private volatile boolean portalDeleted;
    private final boolean selfHosted;
    private final TimeBlock timeBlock;
    private final BatchRunner batch;

    RestHandler(CrmMethods methods, AccessControl access, RequestLog log, Clock clock, PortalLimits limits,
                boolean secureTransport, FaultInjection faults, boolean selfHosted) {
        this.selfHosted = selfHosted;
        this.methods = methods;
        this.faults = faults;
        this.limits = limits;
        this.access = access;
        this.log = log;
        this.clock = clock;
        this.secureTransport = secureTransport;
        this.timeBlock = new TimeBlock(limits, selfHosted);
        this.batch = new BatchRunner(this::runMethod, timeBlock, limits, clock);
    }

    void script(Answer answer) {
        scripted.add(answer);
    }

    /** Answers wait, once received, until {@code until} completes (30 s at most); null to answer at once again. */
    void holdAnswers(java.util.concurrent.CompletableFuture<?> until) {
        this.hold = until;
    }

    void clearScript() {
        scripted.clear();
    }

    void setHttpsRequired(boolean httpsRequired) {
        this.httpsRequired = httpsRequired;
    }

    void setPortalDeleted(boolean portalDeleted) {
        this.portalDeleted = portalDeleted;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        log.started();
        try (exchange) {
            byte[] body = AnswerWriter.readBody(exchange.getRequestBody());
            String[] path = exchange.getRequestURI().getRawPath().substring("/rest/".length()).split("/");
            boolean webhook = path.length >= 3;
            String method = stripJsonSuffix(webhook ? path[2] : path[0]);
            Map<String, Object> params = RequestParams.parse(
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Content-Type"), body);
            Object auth = params.remove("auth");
            log.record(new RecordedRequest(method, Map.copyOf(withoutNulls(params)),
                    exchange.getRequestHeaders().getFirst("User-Agent"),
                    exchange.getRequestHeaders().getFirst("Content-Type")));

            java.util.concurrent.CompletableFuture<?> held = hold;
            if (held != null) {
                try {
                    held.get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // answered as if released
                }
            }
            Answer answer = scripted.poll();
            Fault fault = answer == null ? faults.draw() : null;
            if (fault != null) {
                FaultAnswers.answer(exchange, fault, () -> run(webhook, path, method, params, auth),
                        faults.slowAnswerMillis());
                return;
            }
            if (answer != null && answer.delayMillis() > 0) {
                AnswerWriter.pause(answer.delayMillis());
            }
            if (answer == null || answer.runsMethod()) {
                answer = run(webhook, path, method, params, auth);
            }
            if (answer.isEndless()) {
                AnswerWriter.trickle(exchange);
                return;
            }
            AnswerWriter.send(exchange, answer);
        } finally {
            log.finished();
        }
    }

    /**
     * One REST request, checked in the server's order: the cloud front's request-rate bucket; the portal
     * (rest.php CRestServer::init l.458); the method (l.138, before any credentials); the credentials
     * (rest/lib/apauth/auth.php for webhooks, rest/lib/oauth/auth.php for tokens); then the call.
     */
    private Answer run(boolean webhook, String[] path, String method, Map<String, Object> params, Object auth) {
        long startMillis = clock.millis();
        try {
            if (!limits.admitRequest()) {
                throw new MethodException(Bitrix24Error.QUERY_LIMIT_EXCEEDED);
            }
            if (portalDeleted) {
                throw new MethodException(Bitrix24Error.PORTAL_DELETED);
            }
            if (!BATCH.equals(method) && !SCOPE.equals(method) && !CrmMethods.exists(method)) {
                throw new MethodException(Bitrix24Error.ERROR_METHOD_NOT_FOUND);
            }
            if (webhook && httpsRequired && !secureTransport) {
                throw new MethodException(Bitrix24Error.INVALID_REQUEST);
            }
            AccessControl.Caller who = webhook ? access.authenticateWebhook(path[0], path[1]) : access.authenticateToken(auth);
            String caller = webhook ? access.operatingKeyOfWebhook(path[0], path[1]) : access.operatingKeyOfApplication();
            if (BATCH.equals(method)) {
                // a batch command takes the application's id but not the webhook's (rest.php l.958-980): the commands
                // of every webhook's batches share one key, apart from their direct calls
                return batch.run(who, webhook ? "webhook:" : caller, params, startMillis);
            }
            who.requireScopeOf(method);
            Object result = SCOPE.equals(method) ? List.copyOf(new java.util.TreeSet<>(who.scopes()))
                    : runMethod(who.userId(), caller, method, params);
            long finishMillis = clock.millis();
            limits.operating().record(caller, method, finishMillis, (finishMillis - startMillis) / 1000.0);
            Map<String, Object> response = new LinkedHashMap<>();
            putResult(response, result);
            response.put("time", timeBlock.of(caller, method, startMillis, finishMillis));
            return new Answer(200, AnswerWriter.JSON, Json.write(response));
        } catch (MethodException e) {
            return Answer.error(e.error());
        }
    }

    /** {@code result}, then the {@code total} of a list, as the server orders a success body. */
    private static void putResult(Map<String, Object> response, Object result) {
        if (result instanceof CrmMethods.ListResult list) {
            response.put("result", list.rows());
            response.put("total", list.total());
        } else {
            response.put("result", result);
        }
    }

    /** One method call, on its own or as a batch command; the caller is authenticated. */
    private Object runMethod(int userId, String caller, String method, Map<String, Object> params) {
        if (!CrmMethods.exists(method)) {
            throw new MethodException(Bitrix24Error.ERROR_METHOD_NOT_FOUND);
        }
        // rest.php processCall l.211-214: the operating-time check comes before the method
        if (!selfHosted && limits.methodBlocked(caller, method, clock.millis())) {
            throw new MethodException(Bitrix24Error.OPERATION_TIME_LIMIT);
        }
        if (limits.latencyMillis() > 0) {
            AnswerWriter.pause(limits.latencyMillis());
        }
        return methods.call(userId, method, params);
    }

    static String stripJsonSuffix(String method) {
        return method.endsWith(".json") ? method.substring(0, method.length() - ".json".length()) : method;
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> params) {
        Map<String, Object> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, v == null ? "" : v));
        return copy;
    }
}
