package io.camelbitrix24.crm;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads an installation event as Bitrix24 posts it: the form text ({@code event=ONAPPINSTALL&auth[member_id]=...}), or
 * a Map of its fields, flat ({@code "auth[member_id]"}) or nested ({@code "auth" -> {"member_id": ...}}), as Camel's
 * {@code platform-http} or a JSON body gives it. Its messages name fields, never a value that could be a token.
 */
final class Bitrix24AppEvents {

    private Bitrix24AppEvents() {
    }

    /** The event's fields, flat: {@code event}, {@code auth[member_id]}, ... */
    static Map<String, String> fields(Object body, String method) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (body instanceof Map<?, ?> map) {
            flatten("", map, fields);
        } else if (body instanceof String text && !text.isBlank()) {
            for (String pair : text.trim().split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                fields.put(key, value);
            }
        } else {
            throw new Bitrix24ValidationException(method, "body", "An installation event is the form Bitrix24 posts"
                                                                  + " (text) or a Map of its fields; the body was "
                                                                  + (body == null ? "empty" : "a " + body.getClass().getSimpleName()));
        }
        return fields;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> into) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(entry.getKey()) : prefix + "[" + entry.getKey() + "]";
            if (entry.getValue() instanceof Map<?, ?> nested) {
                flatten(key, nested, into);
            } else if (entry.getValue() != null) {
                into.put(key, String.valueOf(entry.getValue()));
            }
        }
    }

    /** A field the event must have; a missing one fails, naming the field (never its value). */
    static String required(Map<String, String> fields, String name, String method) {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw new Bitrix24ValidationException(method, name, "The installation event has no " + name
                                                                + "; nothing was stored");
        }
        return value.trim();
    }
}
