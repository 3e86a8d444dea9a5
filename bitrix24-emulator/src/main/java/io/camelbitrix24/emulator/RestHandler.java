package io.camelbitrix24.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * Serves {@code /rest/...}: webhook paths {@code /rest/{userId}/{code}/{method}} and OAuth paths
 * {@code /rest/{method}} with the token as {@code auth}. Checks transport, auth, scope and permission in the order a
 * portal does, runs the method, and answers with {@code result} and {@code time}, or with the Bitrix24 error.
 */
final class RestHandler implements HttpHandler {

    private static final String JSON = "application/json; charset=utf-8";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.UTC);

    private final CrmMethods methods;
    private final AccessControl access;
    private final RequestLog log;
    private final Clock clock;
    private final boolean secureTransport;
    private final Queue<Answer> scripted = new ConcurrentLinkedQueue<>();
    private volatile boolean httpsRequired;
    private volatile boolean portalDeleted;

    RestHandler(CrmMethods methods, AccessControl access, RequestLog log, Clock clock, boolean secureTransport) {
        this.methods = methods;
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
            double start = clock.millis() / 1000.0;
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
            if (answer != null && answer.delayMillis() > 0) {
                pause(answer.delayMillis());
            }
            if (answer == null || answer.runsMethod()) {
                answer = run(webhook, path, method, params, auth, start);
            }
            send(exchange, answer);
        }
    }

    private Answer run(boolean webhook, String[] path, String method, Map<String, Object> params, Object auth, double start) {
        try {
            if (httpsRequired && !secureTransport) {
                throw new MethodException(Bitrix24Error.INVALID_REQUEST);
            }
            if (portalDeleted) {
                throw new MethodException(Bitrix24Error.PORTAL_DELETED);
            }
            int userId = webhook ? access.authenticateWebhook(path[0], path[1]) : access.authenticateToken(auth);
            if (!CrmMethods.exists(method)) {
                throw new MethodException(Bitrix24Error.ERROR_METHOD_NOT_FOUND);
            }
            if (CrmMethods.DELETE_METHODS.contains(method) && !access.mayDelete(userId)) {
                throw new MethodException(Bitrix24Error.ACCESS_DENIED);
            }
            Object result = methods.call(method, params);
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("result", result);
            response.put("time", timeBlock(start));
            return new Answer(200, JSON, Json.write(response));
        } catch (MethodException e) {
            return Answer.error(e.error());
        }
    }

    private Map<String, Object> timeBlock(double start) {
        double finish = clock.millis() / 1000.0;
        double duration = finish - start;
        Map<String, Object> time = new LinkedHashMap<>();
        // seconds with microsecond decimals, written plainly as the portal does (1705764932.998683)
        time.put("start", java.math.BigDecimal.valueOf(start));
        time.put("finish", java.math.BigDecimal.valueOf(finish));
        time.put("duration", duration);
        time.put("processing", duration);
        time.put("date_start", DATE.format(Instant.ofEpochMilli((long) (start * 1000))));
        time.put("date_finish", DATE.format(Instant.ofEpochMilli((long) (finish * 1000))));
        // calls under 0.1 s do not count against the method's operating budget
        time.put("operating_reset_at", (long) start + 600);
        time.put("operating", duration < 0.1 ? 0 : duration);
        return time;
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
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
