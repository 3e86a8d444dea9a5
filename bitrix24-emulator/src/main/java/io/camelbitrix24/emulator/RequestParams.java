package io.camelbitrix24.emulator;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a method's parameters the ways a portal accepts them: a JSON object body, a form body, or the query string,
 * with PHP-style keys such as {@code fields[CONTACT_ID]=5} becoming nested maps.
 */
final class RequestParams {

    private RequestParams() {
    }

    static Map<String, Object> parse(String rawQuery, String contentType, byte[] body) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            parseForm(rawQuery, params);
        }
        if (body.length == 0) {
            return params;
        }
        String type = contentType == null ? "" : contentType.toLowerCase();
        if (type.contains("application/x-www-form-urlencoded")) {
            parseForm(new String(body, StandardCharsets.UTF_8), params);
        } else {
            try {
                params.putAll(Json.readObject(body));
            } catch (IOException e) {
                // a body that is not a JSON object carries no parameters, as on a real portal
            }
        }
        return params;
    }

    /** The parameters of a batch command's query string, {@code id=5&fields[CONTACT_ID]=7}. */
    static Map<String, Object> parseQuery(String query) {
        Map<String, Object> params = new LinkedHashMap<>();
        if (query != null && !query.isEmpty()) {
            parseForm(query, params);
        }
        return params;
    }

    /**
     * PHP's {@code parse_str}, which batch commands go through (rest/classes/general/rest_provider.php methodsBatch),
     * and which reads form and query parameters (main/php_variables.c php_register_variable_ex): {@code a[b][c]=v}
     * nests, {@code a[]=v} appends. An array whose keys are 0, 1, ... in order is a list, as the same array arrives
     * from a JSON body ({@code select[0]=ID} is {@code "select": ["ID"]}).
     */
    private static void parseForm(String form, Map<String, Object> params) {
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            int bracket = key.indexOf('[');
            if (bracket <= 0 || !key.endsWith("]")) {
                params.put(key, value);
                continue;
            }
            List<String> path = new ArrayList<>();
            path.add(key.substring(0, bracket));
            for (String inner : key.substring(bracket + 1, key.length() - 1).split("\\]\\[", -1)) {
                path.add(inner);
            }
            put(params, path, value);
        }
        params.replaceAll((name, value) -> asListWhereSequential(value));
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> params, List<String> path, String value) {
        Map<String, Object> map = params;
        for (int i = 0; i < path.size() - 1; i++) {
            String name = path.get(i).isEmpty() ? String.valueOf(map.size()) : path.get(i);
            Object nested = map.get(name);
            if (!(nested instanceof Map<?, ?>)) {
                nested = new LinkedHashMap<String, Object>();
                map.put(name, nested);
            }
            map = (Map<String, Object>) nested;
        }
        String last = path.get(path.size() - 1);
        map.put(last.isEmpty() ? String.valueOf(map.size()) : last, value);
    }

    private static Object asListWhereSequential(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return value;
        }
        Map<String, Object> converted = new LinkedHashMap<>();
        map.forEach((k, v) -> converted.put(String.valueOf(k), asListWhereSequential(v)));
        int index = 0;
        for (String k : converted.keySet()) {
            if (!k.equals(String.valueOf(index++))) {
                return converted;
            }
        }
        return new ArrayList<>(converted.values());
    }
}
