package io.camelbitrix24.crm.internal.input;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Reads an installation event as Bitrix24 posts it, and takes its fields off the message: the form text
 * ({@code event=ONAPPINSTALL&auth[member_id]=...}) as a String, bytes or a stream; the same fields as JSON; or a Map of
 * them, flat ({@code "auth[member_id]"}) or nested ({@code "auth" -> {"member_id": ...}}), as Camel's
 * {@code platform-http} gives a form. HTTP consumers also copy a form's fields into headers, decoded: those are read when
 * the body is empty, and win over a Map body's values. Messages name fields, never a value that could be a token.
 */
public final class AppEvents {

    private AppEvents() {
    }

    /**
     * An event's fields, held where a log, a tracer, an error handler or an HTTP reply would print the body: its
     * {@code toString} names the event and portal only. The body stays this until the event is handled, so a redelivery
     * reads it again.
     */
    public static final class Event {
        private final Map<String, String> fields;

        Event(Map<String, String> fields) {
            this.fields = Collections.unmodifiableMap(fields);
        }

        public Map<String, String> fields() {
            return fields;
        }

        @Override
        public String toString() {
            return "Bitrix24 " + fields.getOrDefault("event", "event") + " for portal "
                   + fields.getOrDefault("auth[member_id]", "?") + " (fields held back: they carry tokens)";
        }
    }

    /**
     * Reads the exchange's event and takes its fields off the message: the body becomes an {@link Event} and no header
     * holds a field of it, whether or not the event can be read. A body that is no event fails, naming its type, never
     * its text.
     */
    public static Event take(Exchange exchange, ObjectMapper mapper, String method, String nothingDone) {
        Message message = exchange.getMessage();
        try {
            Event event = read(exchange, mapper, method, nothingDone);
            message.setBody(event);
            removeFieldHeaders(message, event.fields());
            return event;
        } catch (RuntimeException e) {
            // the body may be a form this reader cannot take, with tokens in it
            message.setBody(null);
            removeFieldHeaders(message, Map.of());
            throw e;
        }
    }

    private static Event read(Exchange exchange, ObjectMapper mapper, String method, String nothingDone) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (body instanceof Event event) {
            return event;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        if (body instanceof Map<?, ?> map) {
            flatten("", map, fields);
            // Spring Boot's platform-http gives the form's values still URL-encoded in the body, decoded in the headers
            fields.replaceAll((name, value) -> message.getHeader(name) instanceof String decoded ? decoded : value);
            return new Event(fields);
        }
        String text = body == null ? null : exchange.getContext().getTypeConverter().tryConvertTo(String.class, exchange, body);
        if (text == null && body != null) {
            throw notAnEvent(method, nothingDone, "its body is a " + body.getClass().getName() + ", which is not text");
        }
        if (text == null || text.isBlank()) {
            fromHeaders(message, fields);
            if (fields.isEmpty()) {
                throw notAnEvent(method, nothingDone, "its body is empty");
            }
        } else if (text.strip().startsWith("{")) {
            flatten("", fromJson(mapper, text, method, nothingDone), fields);
        } else {
            fromForm(text.strip(), fields);
        }
        return new Event(fields);
    }

    private static Failure notAnEvent(String method, String nothingDone, String why) {
        return Failure.invalidInput(method, "body", "The message is not a Bitrix24 installation event: " + why
                                                               + ". An event is the form Bitrix24 posts (text), the same"
                                                               + " fields as JSON, or a Map of them; " + nothingDone);
    }

    private static Map<?, ?> fromJson(ObjectMapper mapper, String json, String method, String nothingDone) {
        try {
            Map<?, ?> map = mapper.readValue(json, Map.class);
            if (map == null) {
                throw notAnEvent(method, nothingDone, "its body is JSON null");
            }
            return map;
        } catch (IOException e) {
            // the parser's message quotes the text, which may hold a token
            throw notAnEvent(method, nothingDone, "its body starts as JSON but is not a valid JSON object");
        }
    }

    private static void fromForm(String text, Map<String, String> into) {
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                into.put(key, value);
            } catch (IllegalArgumentException e) {
                // a stray '%': the field is unreadable, and the checks below name what is then missing
            }
        }
    }

    /** The event's fields an HTTP consumer put in headers, when it left the body empty. */
    private static void fromHeaders(Message message, Map<String, String> into) {
        message.getHeaders().forEach((name, value) -> {
            if (value != null && isEventField(name)) {
                into.put(name, String.valueOf(value));
            }
        });
        if (!into.isEmpty() && message.getHeader("event") != null) {
            into.put("event", String.valueOf(message.getHeader("event")));
        }
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

    /**
     * Removes the event's fields from the headers, where an HTTP consumer copies a form's fields: an {@code auth[...]}
     * header carries a token, and some HTTP servers refuse to send such a name back in the reply.
     */
    private static void removeFieldHeaders(Message message, Map<String, String> fields) {
        message.getHeaders().keySet().removeIf(name -> isEventField(name) || fields.containsKey(name));
    }

    /** {@code auth[...]}, {@code data[...]}: the fields of every Bitrix24 event (b24restdocs, events). */
    private static boolean isEventField(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return (lower.startsWith("auth[") || lower.startsWith("data[")) && lower.endsWith("]");
    }

    /** A field the event must have; a missing one fails, naming the field (never its value). */
    public static String required(Map<String, String> fields, String name, String method, String nothingDone) {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw Failure.invalidInput(method, name, "The installation event lacks the field " + name + "; "
                                                                + nothingDone);
        }
        return value.trim();
    }
}
