package io.camelbitrix24.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Serves {@code /rest/...}: webhook paths {@code /rest/{userId}/{code}/{method}} and OAuth paths
 * {@code /rest/{method}} with the token as {@code auth}. Checks transport, auth, scope and permission in the order a
 * portal does, runs the method, and answers with {@code result} and {@code time}, or with the Bitrix24 error.
 */
final class RestHandler implements HttpHandler {

    private static final String JSON = "application/json; charset=utf-8";
    private static final String BATCH = "batch";
    /** The method that lists the caller's scopes; it needs none itself (rest/classes/general/rest_provider.php). */
    private static final String SCOPE = "scope";
    private static final int MAX_BATCH = 50;
    /** PHP's {@code date('c')}: {@code 2024-08-15T15:05:09+02:00}, no fraction, the offset always written out. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    private final CrmMethods methods;
    private final AccessControl access;
    private final RequestLog log;
    private final Clock clock;
    private final PortalLimits limits;
    private final boolean secureTransport;
    private final Queue<Answer> scripted = new ConcurrentLinkedQueue<>();
    private final FaultInjection faults;
    private volatile boolean httpsRequired;
    private volatile boolean portalDeleted;
    private final boolean selfHosted;

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
    }

    void script(Answer answer) {
        scripted.add(answer);
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
            byte[] body = readBody(exchange.getRequestBody());
            String[] path = exchange.getRequestURI().getRawPath().substring("/rest/".length()).split("/");
            boolean webhook = path.length >= 3;
            String method = stripJsonSuffix(webhook ? path[2] : path[0]);
            Map<String, Object> params = RequestParams.parse(
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Content-Type"), body);
            Object auth = params.remove("auth");
            log.record(new RecordedRequest(method, Map.copyOf(withoutNulls(params)),
                    exchange.getRequestHeaders().getFirst("User-Agent"),
                    exchange.getRequestHeaders().getFirst("Content-Type")));

            Answer answer = scripted.poll();
            Fault fault = answer == null ? faults.draw() : null;
            if (fault != null) {
                injectFault(exchange, fault, () -> run(webhook, path, method, params, auth));
                return;
            }
            if (answer != null && answer.delayMillis() > 0) {
                pause(answer.delayMillis());
            }
            if (answer == null || answer.runsMethod()) {
                answer = run(webhook, path, method, params, auth);
            }
            if (answer.isEndless()) {
                trickle(exchange);
                return;
            }
            send(exchange, answer);
        } finally {
            log.finished();
        }
    }

    /**
     * Answers with {@code fault}, running the method first for the kinds that fail after the work. Returning without
     * sending an answer makes the JDK server close the connection: the client sees it dropped mid-call.
     */
    private void injectFault(HttpExchange exchange, Fault fault, Supplier<Answer> method)
            throws IOException {
        Answer ran = fault.applied() ? method.get() : null;
        switch (fault) {
            case SERVER_ERROR -> send(exchange, Answer.error(Bitrix24Error.INTERNAL_SERVER_ERROR));
            case SERVICE_UNAVAILABLE -> send(exchange, new Answer(503, "text/html", new byte[0]));
            case QUERY_LIMIT_EXCEEDED -> send(exchange, Answer.error(Bitrix24Error.QUERY_LIMIT_EXCEEDED));
            case RESET_BEFORE_ANSWER, RESET_AFTER_APPLY -> {
                // no answer: the exchange closes with the connection
            }
            case SLOW_ANSWER -> {
                pause(faults.slowAnswerMillis());
                send(exchange, ran);
            }
            case HTML_502 -> send(exchange, Answer.proxyErrorPage());
            case TRUNCATED_JSON -> send(exchange, new Answer(ran.status(), ran.contentType(),
                    Arrays.copyOf(ran.body(), ran.body().length / 2)));
            case NON_JSON_200 -> send(exchange, Answer.raw(200, "text/html; charset=utf-8",
                    "<br />\n<b>Notice</b>: Undefined index: ID in <b>/home/bitrix/www/bitrix/modules/crm/lib/"
                    + "rest.php</b> on line <b>42</b><br />\n" + new String(ran.body(), StandardCharsets.UTF_8)));
            case OVERSIZED_ANSWER -> send(exchange, Answer.oversized(FaultInjection.OVERSIZED_BYTES));
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
                return batch(who, webhook ? "webhook:" : caller, params, startMillis);
            }
            who.requireScopeOf(method);
            Object result = SCOPE.equals(method) ? List.copyOf(new java.util.TreeSet<>(who.scopes()))
                    : runMethod(who.userId(), caller, method, params);
            long finishMillis = clock.millis();
            limits.operating().record(caller, method, finishMillis, (finishMillis - startMillis) / 1000.0);
            Map<String, Object> response = new LinkedHashMap<>();
            putResult(response, result);
            response.put("time", timeBlock(caller, method, startMillis, finishMillis));
            return new Answer(200, JSON, Json.write(response));
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
            pause(limits.latencyMillis());
        }
        return methods.call(userId, method, params);
    }

    /**
     * {@code batch} (rest/classes/general/rest_provider.php methodsBatch l.267-393): HTTP 200 whatever each command did.
     * The first 50 commands run; each one past them answers {@code ERROR_BATCH_LENGTH_EXCEEDED}. {@code halt} is any
     * PHP-true value and stops at the first failed command. A failed command has no {@code result} or
     * {@code result_time} entry. Empty buckets are PHP {@code []}. Each command's time counts against its own method;
     * the batch call itself is never counted (loadlimiter.php).
     */
    private Answer batch(AccessControl.Caller who, String caller, Map<String, Object> params, long startMillis) {
        if (!(params.get("cmd") instanceof Map<?, ?> commands) || commands.isEmpty()) {
            throw new MethodException(Bitrix24Error.emptyCode("Parameter 'cmd' is required"));
        }
        // the keys are upper-cased first, so "HALT" or "Halt" halts too
        boolean halt = false;
        for (Map.Entry<String, Object> param : params.entrySet()) {
            halt |= "HALT".equalsIgnoreCase(param.getKey()) && phpTrue(param.getValue());
        }
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Object> errors = new LinkedHashMap<>();
        Map<String, Object> totals = new LinkedHashMap<>();
        Map<String, Object> times = new LinkedHashMap<>();
        Map<String, Double> secondsPerMethod = new LinkedHashMap<>();
        int position = 0;
        for (Map.Entry<?, ?> command : commands.entrySet()) {
            String key = String.valueOf(command.getKey());
            if (++position > MAX_BATCH) {
                errors.put(key, errorEntry(Bitrix24Error.ERROR_BATCH_LENGTH_EXCEEDED));
                if (halt) {
                    break;
                }
                continue;
            }
            if (!(command.getValue() instanceof String text)) {
                // skipped without a trace, but counted towards the 50
                continue;
            }
            int query = text.indexOf('?');
            String method = stripJsonSuffix(query < 0 ? text : text.substring(0, query));
            long commandStart = clock.millis();
            try {
                if (BATCH.equals(method)) {
                    throw new MethodException(Bitrix24Error.ERROR_BATCH_METHOD_NOT_ALLOWED);
                }
                Map<String, Object> commandParams = RequestParams.parseQuery(query < 0 ? "" : text.substring(query + 1));
                if (!who.hasScopeOf(method)) {
                    // rest.php l.969-976: a command without its scope, with an empty description
                    throw new MethodException(new Bitrix24Error(401, "insufficient_scope", ""));
                }
                Object result = runMethod(who.userId(), caller, method, commandParams);
                long commandFinish = clock.millis();
                if (result instanceof CrmMethods.ListResult list) {
                    results.put(key, list.rows());
                    totals.put(key, list.total());
                } else {
                    results.put(key, result);
                }
                secondsPerMethod.merge(method, (commandFinish - commandStart) / 1000.0, Double::sum);
                times.put(key, timeBlock(caller, method, commandStart, commandFinish));
            } catch (MethodException e) {
                errors.put(key, errorEntry(e.error()));
                if (halt) {
                    break;
                }
            }
        }
        long finishMillis = clock.millis();
        // a request's time per method, counted once it reaches 0.1 s
        secondsPerMethod.forEach((method, seconds) -> limits.operating().record(caller, method, finishMillis, seconds));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("result", phpArray(results));
        result.put("result_error", phpArray(errors));
        result.put("result_total", phpArray(totals));
        result.put("result_next", List.of());
        result.put("result_time", phpArray(times));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("result", result);
        response.put("time", timeBlock(caller, BATCH, startMillis, finishMillis));
        return new Answer(200, JSON, Json.write(response));
    }

    private static Map<String, Object> errorEntry(Bitrix24Error error) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("error", error.code());
        entry.put("error_description", error.description());
        return entry;
    }

    /** PHP answers an empty associative array as {@code []}. */
    private static Object phpArray(Map<String, Object> map) {
        return map.isEmpty() ? List.of() : map;
    }

    /** PHP's truthiness: false, 0, "0", "", null and an empty array are false; "false" and "N" are true. */
    static boolean phpTrue(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return false;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof Map<?, ?> map) {
            return !map.isEmpty();
        }
        if (value instanceof java.util.Collection<?> list) {
            return !list.isEmpty();
        }
        String text = value.toString();
        return !text.isEmpty() && !"0".equals(text);
    }

    /**
     * rest.php appendDebugInfo l.731-764: {@code start} a whole number (since 25.700 the timer is declared int),
     * {@code finish} with microseconds, {@code processing} 0, dates as PHP {@code date('c')}; {@code operating} and
     * {@code operating_reset_at} while the load limiter is active, as on every cloud portal (a self-hosted portal has
     * it off by default). The {@code batch} call's own {@code operating} is always 0.
     */
    private Map<String, Object> timeBlock(String caller, String method, long startMillis, long finishMillis) {
        long start = startMillis / 1000;
        BigDecimal finish = BigDecimal.valueOf(finishMillis, 3);
        Map<String, Object> time = new LinkedHashMap<>();
        time.put("start", start);
        time.put("finish", finish);
        time.put("duration", finish.subtract(BigDecimal.valueOf(start)).doubleValue());
        time.put("processing", 0);
        time.put("date_start", DATE.format(Instant.ofEpochMilli(startMillis)));
        time.put("date_finish", DATE.format(Instant.ofEpochMilli(finishMillis)));
        if (!selfHosted) {
            time.put("operating_reset_at", limits.operating().resetAtSeconds(caller, method, finishMillis, startMillis));
            time.put("operating", BATCH.equals(method) ? 0 : limits.operating().spent(caller, method, finishMillis));
        }
        return time;
    }

    static void send(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    /** Sends a chunked 200 that never completes, until the client closes the connection or a minute passes. */
    private static void trickle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("{\"result\":true,\"padding\":\"".getBytes(StandardCharsets.UTF_8));
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            out.write('0');
            out.flush();
            pause(50);
        }
    }

    private static String stripJsonSuffix(String method) {
        return method.endsWith(".json") ? method.substring(0, method.length() - ".json".length()) : method;
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> params) {
        Map<String, Object> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, v == null ? "" : v));
        return copy;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] readBody(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
