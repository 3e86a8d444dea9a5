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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
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
    private static final int MAX_BATCH = 50;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

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

    RestHandler(CrmMethods methods, AccessControl access, RequestLog log, Clock clock, PortalLimits limits,
                boolean secureTransport, FaultInjection faults) {
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

    private Answer run(boolean webhook, String[] path, String method, Map<String, Object> params, Object auth) {
        long startMillis = clock.millis();
        try {
            if (httpsRequired && !secureTransport) {
                throw new MethodException(Bitrix24Error.INVALID_REQUEST);
            }
            if (portalDeleted) {
                throw new MethodException(Bitrix24Error.PORTAL_DELETED);
            }
            if (!limits.admitRequest()) {
                throw new MethodException(Bitrix24Error.QUERY_LIMIT_EXCEEDED);
            }
            int userId = webhook ? access.authenticateWebhook(path[0], path[1]) : access.authenticateToken(auth);
            if (BATCH.equals(method)) {
                return batch(userId, params, startMillis);
            }
            Object result = runMethod(userId, method, params);
            long finishMillis = clock.millis();
            limits.operating().record(method, finishMillis, (finishMillis - startMillis) / 1000.0);
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("result", result);
            response.put("time", timeBlock(method, startMillis, finishMillis));
            return new Answer(200, JSON, Json.write(response));
        } catch (MethodException e) {
            return Answer.error(e.error());
        }
    }

    /** One method call, on its own or as a batch command; the caller is authenticated. */
    private Object runMethod(int userId, String method, Map<String, Object> params) {
        if (!CrmMethods.exists(method)) {
            throw new MethodException(Bitrix24Error.ERROR_METHOD_NOT_FOUND);
        }
        if (limits.methodBlocked(method, clock.millis())) {
            throw new MethodException(Bitrix24Error.OPERATION_TIME_LIMIT);
        }
        if (CrmMethods.DELETE_METHODS.contains(method) && !access.mayDelete(userId)) {
            throw new MethodException(Bitrix24Error.ACCESS_DENIED);
        }
        if (limits.latencyMillis() > 0) {
            pause(limits.latencyMillis());
        }
        return methods.call(method, params);
    }

    /**
     * {@code batch}: up to 50 commands {@code "method?query"}, answered with HTTP 200 whatever each command did; with
     * {@code halt} it stops at the first failed command. The whole batch's time counts against each method in it.
     */
    private Answer batch(int userId, Map<String, Object> params, long startMillis) {
        if (!(params.get("cmd") instanceof Map<?, ?> commands) || commands.isEmpty()) {
            throw new MethodException(Bitrix24Error.emptyCode("Parameter 'cmd' is required"));
        }
        if (commands.size() > MAX_BATCH) {
            throw new MethodException(Bitrix24Error.ERROR_BATCH_LENGTH_EXCEEDED);
        }
        boolean halt = isTrue(params.get("halt"));
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Object> errors = new LinkedHashMap<>();
        Map<String, Object> times = new LinkedHashMap<>();
        Set<String> methodsUsed = new LinkedHashSet<>();
        for (Map.Entry<?, ?> command : commands.entrySet()) {
            String key = String.valueOf(command.getKey());
            String text = String.valueOf(command.getValue());
            int query = text.indexOf('?');
            String method = stripJsonSuffix(query < 0 ? text : text.substring(0, query));
            long commandStart = clock.millis();
            try {
                if (BATCH.equals(method)) {
                    throw new MethodException(Bitrix24Error.ERROR_BATCH_METHOD_NOT_ALLOWED);
                }
                methodsUsed.add(method);
                Map<String, Object> commandParams = RequestParams.parseQuery(query < 0 ? "" : text.substring(query + 1));
                results.put(key, runMethod(userId, method, commandParams));
                times.put(key, timeBlock(method, commandStart, clock.millis()));
            } catch (MethodException e) {
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("error", e.error().code());
                error.put("error_description", e.error().description());
                errors.put(key, error);
                if (halt) {
                    break;
                }
            }
        }
        long finishMillis = clock.millis();
        for (String method : methodsUsed) {
            limits.operating().record(method, finishMillis, (finishMillis - startMillis) / 1000.0);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        // PHP answers an empty associative array as []
        result.put("result", results.isEmpty() ? List.of() : results);
        result.put("result_error", errors.isEmpty() ? List.of() : errors);
        result.put("result_total", List.of());
        result.put("result_next", List.of());
        result.put("result_time", times.isEmpty() ? List.of() : times);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("result", result);
        response.put("time", timeBlock(BATCH, startMillis, finishMillis));
        return new Answer(200, JSON, Json.write(response));
    }

    private static boolean isTrue(Object value) {
        return value != null && (Boolean.TRUE.equals(value) || "1".equals(value.toString())
                                 || "true".equalsIgnoreCase(value.toString()) || "Y".equals(value.toString()));
    }

    private Map<String, Object> timeBlock(String method, long startMillis, long finishMillis) {
        double duration = (finishMillis - startMillis) / 1000.0;
        Map<String, Object> time = new LinkedHashMap<>();
        // seconds with decimals, written plainly as the portal does (1705764932.998683)
        time.put("start", BigDecimal.valueOf(startMillis, 3));
        time.put("finish", BigDecimal.valueOf(finishMillis, 3));
        time.put("duration", duration);
        time.put("processing", duration);
        time.put("date_start", DATE.format(Instant.ofEpochMilli(startMillis)));
        time.put("date_finish", DATE.format(Instant.ofEpochMilli(finishMillis)));
        time.put("operating_reset_at", limits.operating().resetAtSeconds(method, finishMillis));
        time.put("operating", limits.operating().spent(method, finishMillis));
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
