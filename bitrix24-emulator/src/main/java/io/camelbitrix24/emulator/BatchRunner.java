package io.camelbitrix24.emulator;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a {@code batch} call's commands, each through the same method calls as a direct call. */
final class BatchRunner {

    static final String BATCH = "batch";
    private static final int MAX_BATCH = 50;

    /** One authenticated method call, as a direct call makes it. */
    interface MethodCall {
        Object call(int userId, String caller, String method, Map<String, Object> params);
    }

    private final MethodCall methods;
    private final TimeBlock timeBlock;
    private final PortalLimits limits;
    private final Clock clock;

    BatchRunner(MethodCall methods, TimeBlock timeBlock, PortalLimits limits, Clock clock) {
        this.methods = methods;
        this.timeBlock = timeBlock;
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * {@code batch} (rest/classes/general/rest_provider.php methodsBatch l.267-393): HTTP 200 whatever each command did.
     * The first 50 commands run; each one past them answers {@code ERROR_BATCH_LENGTH_EXCEEDED}. {@code halt} is any
     * PHP-true value and stops at the first failed command. A failed command has no {@code result} or
     * {@code result_time} entry. Empty buckets are PHP {@code []}. Each command's time counts against its own method;
     * the batch call itself is never counted (loadlimiter.php).
     */
    Answer run(AccessControl.Caller who, String caller, Map<String, Object> params, long startMillis) {
        Map<?, ?> commands = commands(params.get("cmd"));
        if (commands.isEmpty()) {
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
            String method = RestHandler.stripJsonSuffix(query < 0 ? text : text.substring(0, query));
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
                Object result = methods.call(who.userId(), caller, method, commandParams);
                long commandFinish = clock.millis();
                if (result instanceof CrmMethods.ListResult list) {
                    results.put(key, list.rows());
                    totals.put(key, list.total());
                } else {
                    results.put(key, result);
                }
                secondsPerMethod.merge(method, (commandFinish - commandStart) / 1000.0, Double::sum);
                times.put(key, timeBlock.of(caller, method, commandStart, commandFinish));
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
        response.put("time", timeBlock.of(caller, BATCH, startMillis, finishMillis));
        return new Answer(200, AnswerWriter.JSON, Json.write(response));
    }

    /**
     * The commands by key: {@code cmd} as named commands, or as a list (a JSON array, or {@code cmd[]=...}), which PHP
     * holds as an array keyed 0, 1, ... (the JS SDK sends an array of commands so).
     */
    private static Map<?, ?> commands(Object cmd) {
        if (cmd instanceof Map<?, ?> named) {
            return named;
        }
        Map<String, Object> keyed = new LinkedHashMap<>();
        if (cmd instanceof List<?> listed) {
            for (int i = 0; i < listed.size(); i++) {
                keyed.put(String.valueOf(i), listed.get(i));
            }
        }
        return keyed;
    }

    private static Map<String, Object> errorEntry(Bitrix24Error error) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("error", error.code());
        entry.put("error_description", error.description());
        return entry;
    }

    /**
     * As PHP's json_encode writes an array: empty, or keyed 0, 1, ... in order (the commands of a listed {@code cmd}
     * that all answered), as a JSON array; otherwise as an object.
     */
    private static Object phpArray(Map<String, Object> map) {
        int expected = 0;
        for (String key : map.keySet()) {
            if (!key.equals(String.valueOf(expected++))) {
                return map;
            }
        }
        return new java.util.ArrayList<>(map.values());
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
}
