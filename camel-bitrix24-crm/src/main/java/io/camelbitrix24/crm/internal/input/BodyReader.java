package io.camelbitrix24.crm.internal.input;

import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * What a body carries: one delete's ids (a number or numeric string, or a Map or JSON object with the ids), or the
 * items of a batch. What is not a value already is read as text by Camel's type converters (String, byte[],
 * InputStream, a file, ...). Finds values; {@link InputReader} validates them.
 */
final class BodyReader {

    /** The body key of an item delete's entity type; also the field a refusal of it names. */
    static final String ENTITY_TYPE_ID = "entityTypeId";

    private final ObjectMapper mapper;
    private final String method;

    BodyReader(ObjectMapper mapper, String method) {
        this.mapper = mapper;
        this.method = method;
    }

    /**
     * The items of a body for batch mode, in order: a Collection, an array (not bytes), or a JSON array as text
     * ({@code "[12, 13]"}); null when the body is one delete. An id header beside such a body is ambiguous (an
     * aggregator carries the first message's headers): refused, naming both, before anything is sent.
     */
    List<Object> batchItems(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        List<Object> items = null;
        if (body instanceof Collection<?> collection) {
            items = new ArrayList<>(collection);
        } else if (isArrayOfItems(body)) {
            items = new ArrayList<>();
            for (int i = 0; i < Array.getLength(body); i++) {
                items.add(Array.get(body, i));
            }
        } else {
            String text = bodyText(exchange);
            if (text != null && text.strip().startsWith("[")) {
                items = fromJsonArray(text.strip());
            }
        }
        Object idHeader = message.getHeader(Headers.ID);
        if (items != null && idHeader != null) {
            throw Failure.invalidInput(method, "header " + Headers.ID,
                    "Ambiguous input for " + method + ": header " + Headers.ID + " is " + Echo.of(idHeader)
                    + " and the body is a list of " + items.size() + " items; send one id in the header or a list in the"
                    + " body, not both (an aggregator keeps the first message's headers: remove the header before the"
                    + " batch). Nothing was sent to Bitrix24.");
        }
        return items;
    }

    private List<Object> fromJsonArray(String json) {
        try {
            return new ArrayList<>(mapper.readValue(json, List.class));
        } catch (JsonProcessingException e) {
            throw Failure.invalidInput(method, "body", "Invalid body for " + method + ": " + Echo.of(json)
                    + " is not a valid JSON array (" + e.getOriginalMessage() + "). Nothing was sent to Bitrix24.");
        }
    }

    /** The ids of a body that is one delete; {@code idLabel} names the main id in refusals. */
    BodyIds readBody(Exchange exchange, String idLabel) {
        Object body = exchange.getMessage().getBody();
        if (isValue(body)) {
            return fromValue(body, "body");
        }
        if (isList(body)) {
            throw Failure.invalidInput(method, "body", "Invalid body for " + method + ": a "
                    + body.getClass().getSimpleName() + " of ids; send one id (or one JSON object) per exchange. Nothing was"
                    + " sent to Bitrix24.");
        }
        String text = bodyText(exchange);
        if (text == null) {
            throw Failure.invalidInput(method, "body", "Invalid body for " + method + ": a "
                    + body.getClass().getName() + " carries no " + idLabel + "; send a number, a numeric"
                    + " string, a Map or a JSON object with 'id', or set header " + Headers.ID
                    + ". Nothing was sent to Bitrix24.");
        }
        return fromText(text, "body");
    }

    /**
     * The body as text, read as Camel reads bodies, by its type converters (String, byte[] in the exchange's charset,
     * a stream, a file from the file component, ...); null for nothing, a Map, a number, a list, or what Camel cannot
     * read as text. A stream reads once: its text becomes the body, so a failed exchange still carries its input.
     */
    private static String bodyText(Exchange exchange) {
        Message message = exchange.getMessage();
        Object body = message.getBody();
        if (isValue(body) || isList(body)) {
            return null;
        }
        String text = exchange.getContext().getTypeConverter().tryConvertTo(String.class, exchange, body);
        if (text != null && (body instanceof InputStream || body instanceof Reader)) {
            message.setBody(text);
        }
        return text;
    }

    /** Nothing, a Map or a number: a body that is read as it is, not as text. */
    private static boolean isValue(Object body) {
        return body == null || body instanceof Map<?, ?> || body instanceof Number;
    }

    /** Several items: an Iterable or an array (not bytes). */
    private static boolean isList(Object body) {
        return body instanceof Iterable<?> || isArrayOfItems(body);
    }

    /** An array of ids or objects; a byte[] is text. */
    private static boolean isArrayOfItems(Object body) {
        return body != null && body.getClass().isArray() && !(body instanceof byte[]);
    }

    /**
     * The ids of a body or batch item that is already a value: nothing (null), a number (the id), text (an id or a JSON
     * object), or a Map. Null for any other type.
     */
    BodyIds fromValue(Object value, String where) {
        if (value == null) {
            return BodyIds.NONE;
        }
        if (value instanceof Map<?, ?> map) {
            return fromMap(map, where);
        }
        if (value instanceof Number) {
            return new BodyIds(new Found(value, where), null, null, null);
        }
        if (value instanceof CharSequence text) {
            return fromText(text.toString(), where);
        }
        return null;
    }

    private BodyIds fromText(String text, String where) {
        String trimmed = text.strip();
        return trimmed.startsWith("{") ? fromJson(trimmed, where) : new BodyIds(new Found(text, where), null, null, null);
    }

    private BodyIds fromJson(String json, String where) {
        Object parsed;
        try {
            parsed = mapper.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw Failure.invalidInput(method, where, "Invalid " + where + " for " + method + ": " + Echo.of(json)
                    + " is not a valid JSON object (" + e.getOriginalMessage() + "). Nothing was sent to Bitrix24.");
        }
        return fromMap((Map<?, ?>) parsed, where);
    }

    private static BodyIds fromMap(Map<?, ?> map, String where) {
        Found id = first(map, where, "id", "ID");
        Map<?, ?> fields = map.get("fields") instanceof Map<?, ?> f ? f : Map.of();
        Found contactId = first(map, where, "contactId", "CONTACT_ID");
        if (contactId == null) {
            contactId = first(fields, where + ".fields", "CONTACT_ID", "contactId");
        }
        Found companyId = first(map, where, "companyId", "COMPANY_ID");
        if (companyId == null) {
            companyId = first(fields, where + ".fields", "COMPANY_ID", "companyId");
        }
        return new BodyIds(id, contactId, companyId, first(map, where, ENTITY_TYPE_ID, "ENTITY_TYPE_ID"));
    }

    private static Found first(Map<?, ?> map, String where, String... keys) {
        for (String key : keys) {
            if (map.containsKey(key)) {
                return new Found(map.get(key), where + "." + key);
            }
        }
        return null;
    }
}
