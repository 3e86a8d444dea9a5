package io.camelbitrix24.crm.internal.input;

import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Array;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.crm.internal.call.RecordRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Reads the ids of one delete from an exchange, headers first, then the body, and validates them before anything is
 * sent. The body may be a number or numeric string (the id), or a Map or JSON object with {@code id}/{@code ID} and
 * {@code contactId}/{@code CONTACT_ID}/{@code fields.CONTACT_ID}; what is not a value already is read as text by
 * Camel's type converters (String, byte[], InputStream, a file, ...).
 */
public final class InputReader {

    private static final Pattern DIGITS = Pattern.compile("\\d{1,10}");
    private static final String RANGE = "a whole number from 1 to " + Integer.MAX_VALUE;

    /** An id as found in the input, with where it was found. */
    private record Found(Object value, String field) {
    }

    /** The ids the body carries; either may be null. */
    private record BodyIds(Found id, Found contactId) {
    }

    private final ObjectMapper mapper;
    private final String method;

    public InputReader(ObjectMapper mapper, String method) {
        this.mapper = mapper;
        this.method = method;
    }

    public RecordRequest read(Exchange exchange, Operation operation) {
        Message message = exchange.getMessage();
        BodyIds body = null;

        Found id = headerValue(message, Headers.ID);
        if (id == null) {
            body = readBody(exchange, operation);
            id = body.id();
        }
        int leadOrContactId = parseId(id, operation.idLabel(), Headers.ID);

        Integer contactId = null;
        if (operation.needsContactId()) {
            Found contact = headerValue(message, Headers.CONTACT_ID);
            if (contact == null) {
                contact = (body != null ? body : readBody(exchange, operation)).contactId();
            }
            contactId = parseId(contact, "contact id", Headers.CONTACT_ID);
        }
        return new RecordRequest(operation, leadOrContactId, contactId);
    }

    /**
     * The items of a body for batch mode, in order: a Collection, an array (not bytes), or a JSON array as text
     * ({@code "[12, 13]"}); null when the body is one delete. An id header beside such a body is ambiguous (an
     * aggregator carries the first message's headers): refused, naming both, before anything is sent.
     */
    public List<Object> batchItems(Exchange exchange) {
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

    /**
     * Every item of a batch body, read before anything is sent: one bad item fails the whole exchange with a failure
     * naming it, and saying how many more are bad.
     */
    public List<RecordRequest> readItems(List<Object> items, Operation operation) {
        List<RecordRequest> requests = new ArrayList<>(items.size());
        Failure firstBad = null;
        int bad = 0;
        for (int i = 0; i < items.size(); i++) {
            try {
                requests.add(readItem(items.get(i), i, operation));
            } catch (Failure e) {
                firstBad = firstBad == null ? e : firstBad;
                bad++;
            }
        }
        if (firstBad != null) {
            String more = bad > 1 ? " " + (bad - 1) + " more of the " + items.size() + " items are invalid too." : "";
            throw Failure.invalidInput(firstBad.getMethod(), firstBad.getField(), firstBad.getMessage() + more);
        }
        return requests;
    }

    /**
     * One item of a batch body: a number or numeric string (the id), or a Map or JSON object with the ids. Headers do
     * not apply to items.
     */
    RecordRequest readItem(Object item, int index, Operation operation) {
        String where = "body[" + index + "]";
        BodyIds ids = fromValue(item, where);
        if (ids == null) {
            throw Failure.invalidInput(method, where, "Invalid " + where + " for " + method + ": a "
                    + item.getClass().getName() + " is not an id, a Map or a JSON object. Nothing was sent to Bitrix24.");
        }
        int id = parseId(requireItemValue(ids.id(), operation.idLabel(), where, "id"), operation.idLabel(), null);
        Integer contactId = operation.needsContactId()
                ? parseId(requireItemValue(ids.contactId(), "contact id", where, "contactId"), "contact id", null)
                : null;
        return new RecordRequest(operation, id, contactId);
    }

    private Found requireItemValue(Found found, String label, String where, String key) {
        if (found == null) {
            throw Failure.invalidInput(method, where, "Missing " + label + " in " + where + " for " + method
                    + ": an item is an id, or a Map or JSON object with '" + key + "'. Nothing was sent to Bitrix24.");
        }
        return found;
    }

    private static Found headerValue(Message message, String header) {
        Object value = message.getHeader(header);
        return value == null ? null : new Found(value, "header " + header);
    }

    private BodyIds readBody(Exchange exchange, Operation operation) {
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
                    + body.getClass().getName() + " carries no " + operation.idLabel() + "; send a number, a numeric"
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
    private BodyIds fromValue(Object value, String where) {
        if (value == null) {
            return new BodyIds(null, null);
        }
        if (value instanceof Map<?, ?> map) {
            return fromMap(map, where);
        }
        if (value instanceof Number) {
            return new BodyIds(new Found(value, where), null);
        }
        if (value instanceof CharSequence text) {
            return fromText(text.toString(), where);
        }
        return null;
    }

    private BodyIds fromText(String text, String where) {
        String trimmed = text.strip();
        return trimmed.startsWith("{") ? fromJson(trimmed, where) : new BodyIds(new Found(text, where), null);
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
        Found contactId = first(map, where, "contactId", "CONTACT_ID");
        if (contactId == null && map.get("fields") instanceof Map<?, ?> fields) {
            contactId = first(fields, where + ".fields", "CONTACT_ID", "contactId");
        }
        return new BodyIds(id, contactId);
    }

    private static Found first(Map<?, ?> map, String where, String... keys) {
        for (String key : keys) {
            if (map.containsKey(key)) {
                return new Found(map.get(key), where + "." + key);
            }
        }
        return null;
    }

    private int parseId(Found found, String label, String header) {
        if (found == null) {
            throw Failure.invalidInput(method, header, "Missing " + label + " for " + method + ": set header "
                    + header + ", or send it in the body (a number, or a JSON object or Map with '"
                    + (Headers.ID.equals(header) ? "id" : "contactId") + "'). Nothing was sent to Bitrix24.");
        }
        Object value = found.value();
        Long parsed = null;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof AtomicInteger || value instanceof AtomicLong) {
            parsed = ((Number) value).longValue();
        } else if (value instanceof BigInteger big && big.bitLength() < 63) {
            parsed = big.longValue();
        } else if (value instanceof CharSequence text) {
            String trimmed = text.toString().strip();
            if (DIGITS.matcher(trimmed).matches()) {
                parsed = Long.parseLong(trimmed);
            }
        }
        if (parsed == null || parsed < 1 || parsed > Integer.MAX_VALUE) {
            throw Failure.invalidInput(method, found.field(), "Invalid " + label + " in " + found.field() + ": "
                    + Echo.of(value) + " (" + RANGE + " is required). Nothing was sent to Bitrix24 (" + method + ").");
        }
        return parsed.intValue();
    }
}
