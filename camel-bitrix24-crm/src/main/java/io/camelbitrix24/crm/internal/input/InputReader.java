package io.camelbitrix24.crm.internal.input;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.crm.internal.call.RecordRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * Reads the ids of one delete from an exchange, headers first, then the body, and validates them before anything is
 * sent. The body may be a number or numeric string (the id), or a Map or JSON object with {@code id}/{@code ID},
 * {@code contactId}/{@code CONTACT_ID}/{@code fields.CONTACT_ID}, {@code companyId}/{@code COMPANY_ID}/
 * {@code fields.COMPANY_ID} and {@code entityTypeId}; what is not a value already is read as text by Camel's type
 * converters (String, byte[], InputStream, a file, ...). An {@code item/delete} takes its entity type from the header,
 * the body, or the endpoint's {@code entityTypeId}, in that order; a batch item's own key comes first.
 */
public final class InputReader {

    private static final Pattern DIGITS = Pattern.compile("\\d{1,10}");
    private static final String RANGE = "a whole number from 1 to " + Integer.MAX_VALUE;


    private final BodyReader bodyReader;
    private final String method;
    /** The endpoint's {@code entityTypeId}: the type of an {@code item/delete} whose input names none. */
    private final Integer defaultEntityTypeId;

    public InputReader(ObjectMapper mapper, String method, Integer defaultEntityTypeId) {
        this.bodyReader = new BodyReader(mapper, method);
        this.method = method;
        this.defaultEntityTypeId = defaultEntityTypeId;
    }

    public RecordRequest read(Exchange exchange, Operation operation) {
        Message message = exchange.getMessage();
        BodyIds body = null;

        Found id = headerValue(message, Headers.ID);
        if (id == null) {
            body = bodyReader.readBody(exchange, operation.idLabel());
            id = body.id();
        }
        int recordId = parseId(id, operation.idLabel(), Headers.ID, "id");

        Integer boundId = null;
        if (operation.needsBoundId()) {
            String header = boundHeader(operation);
            Found bound = headerValue(message, header);
            if (bound == null) {
                body = body != null ? body : bodyReader.readBody(exchange, operation.idLabel());
                bound = body.bound(operation);
            }
            boundId = parseId(bound, operation.bound() + " id", header, boundKey(operation));
        }
        int entityTypeId = operation.itemEntityTypeId();
        if (operation.needsEntityTypeId()) {
            Found type = headerValue(message, Headers.ENTITY_TYPE_ID);
            if (type == null) {
                type = (body != null ? body : bodyReader.readBody(exchange, operation.idLabel())).entityTypeId();
            }
            entityTypeId = entityTypeId(type == null ? endpointEntityType() : type);
        }
        return new RecordRequest(operation, entityTypeId, recordId, boundId);
    }

    private static String boundHeader(Operation operation) {
        return operation.unbindsCompanies() ? Headers.COMPANY_ID : Headers.CONTACT_ID;
    }

    private static String boundKey(Operation operation) {
        return operation.bound() + "Id";
    }

    private Found endpointEntityType() {
        return defaultEntityTypeId == null ? null : new Found(defaultEntityTypeId, "endpoint option entityTypeId");
    }

    private int entityTypeId(Found found) {
        if (found == null) {
            throw Failure.invalidInput(method, BodyReader.ENTITY_TYPE_ID, "Missing entityTypeId for " + method
                    + ": set the endpoint option entityTypeId, header " + Headers.ENTITY_TYPE_ID + ", or the body key"
                    + " 'entityTypeId' (e.g. 2 for deals, 31 for smart invoices, 1038 for a smart process). Nothing was"
                    + " sent to Bitrix24.");
        }
        return parseId(found, BodyReader.ENTITY_TYPE_ID, null, BodyReader.ENTITY_TYPE_ID);
    }
    /**
     * The items of a body for batch mode, in order: a Collection, an array (not bytes), or a JSON array as text
     * ({@code "[12, 13]"}); null when the body is one delete. An id header beside such a body is ambiguous (an
     * aggregator carries the first message's headers): refused, naming both, before anything is sent.
     */
    public List<Object> batchItems(Exchange exchange) {
        return bodyReader.batchItems(exchange);
    }

    /**
     * Every item of a batch body, read before anything is sent: one bad item fails the whole exchange with a failure
     * naming it, and saying how many more are bad.
     */
    public List<RecordRequest> readItems(Exchange exchange, List<Object> items, Operation operation) {
        List<RecordRequest> requests = new ArrayList<>(items.size());
        Failure firstBad = null;
        int bad = 0;
        Found type = operation.needsEntityTypeId() ? headerValue(exchange.getMessage(), Headers.ENTITY_TYPE_ID) : null;
        Found typeOfAll = type == null ? endpointEntityType() : type;
        for (int i = 0; i < items.size(); i++) {
            try {
                requests.add(readItem(items.get(i), i, operation, typeOfAll));
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
     * One item of a batch body: a number or numeric string (the id), or a Map or JSON object with the ids. Id headers do
     * not apply to items; the entity type of all ({@code typeOfAll}, from the header or the endpoint) does where the
     * item names none.
     */
    RecordRequest readItem(Object item, int index, Operation operation, Found typeOfAll) {
        String where = "body[" + index + "]";
        BodyIds ids = bodyReader.fromValue(item, where);
        if (ids == null) {
            throw Failure.invalidInput(method, where, "Invalid " + where + " for " + method + ": a "
                    + item.getClass().getName() + " is not an id, a Map or a JSON object. Nothing was sent to Bitrix24.");
        }
        int id = parseId(requireItemValue(ids.id(), operation.idLabel(), where, "id"), operation.idLabel(), null, "id");
        Integer boundId = null;
        if (operation.needsBoundId()) {
            String label = operation.bound() + " id";
            boundId = parseId(requireItemValue(ids.bound(operation), label, where, boundKey(operation)), label, null,
                    boundKey(operation));
        }
        int entityTypeId = operation.itemEntityTypeId();
        if (operation.needsEntityTypeId()) {
            entityTypeId = entityTypeId(ids.entityTypeId() != null ? ids.entityTypeId() : typeOfAll);
        }
        return new RecordRequest(operation, entityTypeId, id, boundId);
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

    /**
     * A whole number from 1 up; {@code header} is the header to set when it is missing, and {@code key} the body's key.
     */
    private int parseId(Found found, String label, String header, String key) {
        if (found == null) {
            throw Failure.invalidInput(method, header, "Missing " + label + " for " + method + ": set header " + header
                    + ", or send it in the body (" + ("id".equals(key) ? "a number, or " : "") + "a JSON object or Map"
                    + " with '" + key + "'). Nothing was sent to Bitrix24.");
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
