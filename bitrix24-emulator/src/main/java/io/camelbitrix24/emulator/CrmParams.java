package io.camelbitrix24.emulator;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of the CRM methods, read as the server reads them: PHP casts for the classic methods, the engine's
 * binder for the controllers' actions.
 */
final class CrmParams {

    private static final Pattern PHP_NUMBER_PREFIX = Pattern.compile("^[ \\t\\n\\r\\x0B\\f]*([+-]?(\\d+(\\.\\d*)?|\\.\\d+)"
                                                                      + "([eE][+-]?\\d+)?)");
    private static final Pattern ENGINE_INT = Pattern.compile("[+-]?\\d+");

    private CrmParams() {
    }

    /** restservice.php resolveEntityID l.757-760: {@code ID} if present, else {@code id}. */
    static Object entityIdParam(Map<String, Object> params) {
        return params.containsKey("ID") ? params.get("ID") : params.get("id");
    }

    /**
     * The id a classic method works on: {@code (int)} of the parameter, above 0 (restservice.php delete l.1581-1586,
     * checkEntityID l.1834-1837).
     */
    static int requireEntityId(Map<String, Object> params) {
        long id = phpInt(entityIdParam(params));
        if (id <= 0) {
            throw new MethodException(Bitrix24Error.ID_INVALID);
        }
        return toInt(id);
    }

    /**
     * An {@code int} parameter of a controller action (main/lib/engine binder): a whole number, or code {@code 100}
     * (main/lib/ArgumentException.php l.12-15) naming the parameter.
     */
    static long engineInt(Map<String, Object> params, String name) {
        Object value = params.get(name);
        if (value == null) {
            throw new MethodException(
                    new Bitrix24Error(400, "100", "Could not find value for parameter {" + name + "}"));
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        if (value instanceof String s && ENGINE_INT.matcher(s).matches() && s.length() < 19) {
            return Long.parseLong(s);
        }
        throw new MethodException(new Bitrix24Error(400, "100", "Invalid value {" + value + "} to match with parameter {"
                                                                + name + "}. Should be value of type int."));
    }

    /**
     * PHP's {@code (int)} cast, which the classic methods apply to ids: {@code "12abc"} is 12, {@code "abc"} 0,
     * {@code "1e3"} 1000, {@code "5.9"} 5, {@code true} and a non-empty array 1, {@code null} 0.
     */
    static long phpInt(Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return 0;
        }
        if (Boolean.TRUE.equals(value)) {
            return 1;
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? (long) d : 0;
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() ? 0 : 1;
        }
        if (value instanceof Collection<?> list) {
            return list.isEmpty() ? 0 : 1;
        }
        Matcher m = PHP_NUMBER_PREFIX.matcher(value.toString());
        if (!m.find()) {
            return 0;
        }
        try {
            return new BigDecimal(m.group(1)).longValue();
        } catch (NumberFormatException | ArithmeticException e) {
            return 0;
        }
    }

    /** An id past int range names no record here. */
    static int toInt(long id) {
        return id > Integer.MAX_VALUE || id < Integer.MIN_VALUE ? Integer.MAX_VALUE : (int) id;
    }

    /**
     * An array parameter as CCrmRestHelper::resolveArrayParam (restservice.php l.761-797) finds it: {@code fields},
     * {@code FIELDS}, {@code Fields} or {@code arFields}; null when none is there.
     */
    static Object arrayParam(Map<String, Object> params, String name) {
        String capitalized = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        String upper = name.toUpperCase(java.util.Locale.ROOT);
        for (String key : new String[] {name, upper, capitalized, "ar" + capitalized}) {
            if (params.get(key) != null) {
                return params.get(key);
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> fields(Map<String, Object> params) {
        Object fields = params.get("fields");
        return fields instanceof Map<?, ?> ? (Map<String, Object>) fields : Map.of();
    }

    static String string(Object value, String fallback) {
        return value == null ? fallback : value.toString();
    }
}
