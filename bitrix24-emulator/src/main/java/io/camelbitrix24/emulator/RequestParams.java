package io.camelbitrix24.emulator;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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

    @SuppressWarnings("unchecked")
    private static void parseForm(String form, Map<String, Object> params) {
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            int bracket = key.indexOf('[');
            if (bracket > 0 && key.endsWith("]")) {
                String outer = key.substring(0, bracket);
                String inner = key.substring(bracket + 1, key.length() - 1);
                Object nested = params.computeIfAbsent(outer, k -> new LinkedHashMap<String, Object>());
                if (nested instanceof Map<?, ?> map) {
                    ((Map<String, Object>) map).put(inner, value);
                }
            } else {
                params.put(key, value);
            }
        }
    }
}
