package io.camelbitrix24.crm.internal.call;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a validated delete into the Bitrix24 method and JSON parameters. Ids go out as JSON numbers, never spliced into a
 * URL.
 */
public final class RequestBuilder {

    static final String ITEM_DELETE = "crm.item.delete";
    public static final String BATCH = "batch";
    static final String BATCH_KEY_PREFIX = "c";
    static final String ITEM_LIST = "crm.item.list";

    private final ObjectMapper mapper;
    private final boolean useItemApi;

    public RequestBuilder(ObjectMapper mapper, boolean useItemApi) {
        this.mapper = mapper;
        this.useItemApi = useItemApi;
    }

    /** The method this builder calls for an operation. */
    public String methodFor(Operation operation) {
        return useItemApi && operation.itemEntityTypeId() > 0 ? ITEM_DELETE : operation.method();
    }

    /**
     * A {@code batch} of deletes, commands {@code c0, c1, ...} in order. Each command is Bitrix24's
     * {@code method?query}; its values are validated integers, URL-encoded all the same.
     */
    public Call buildBatch(List<RecordRequest> requests, boolean halt) {
        return batchOf(requests.stream().map(this::build).toList(), halt);
    }

    /** A {@code batch} of these calls, commands {@code c0, c1, ...} in order. */
    public Call batchOf(List<Call> calls, boolean halt) {
        ObjectNode params = mapper.createObjectNode();
        params.put("halt", halt ? 1 : 0);
        ObjectNode commands = params.putObject("cmd");
        for (int i = 0; i < calls.size(); i++) {
            commands.put(BATCH_KEY_PREFIX + i, command(calls.get(i)));
        }
        return new Call(BATCH, params, null, false, List.copyOf(calls));
    }

    /**
     * A call as a batch command: {@code method?query}, its parameters written as PHP reads a query string
     * ({@code fields[CONTACT_ID]=7}, {@code filter[@ID][0]=5}), every name and value URL-encoded.
     */
    static String command(Call call) {
        StringBuilder query = new StringBuilder(call.method()).append('?');
        appendQuery(query, null, call.params());
        if (query.charAt(query.length() - 1) == '&') {
            query.setLength(query.length() - 1);
        }
        return query.toString();
    }

    private static void appendQuery(StringBuilder query, String prefix, JsonNode node) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> appendQuery(query,
                    prefix == null ? field.getKey() : prefix + "[" + field.getKey() + "]", field.getValue()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                appendQuery(query, prefix + "[" + i + "]", node.get(i));
            }
        } else {
            query.append(encode(prefix)).append('=').append(encode(node.asText())).append('&');
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    public Call build(RecordRequest request) {
        Operation operation = request.operation();
        ObjectNode params = mapper.createObjectNode();
        String method = methodFor(operation);
        if (ITEM_DELETE.equals(method)) {
            params.put("entityTypeId", request.entityTypeId());
        }
        params.put("id", request.id());
        if (operation.needsBoundId()) {
            params.putObject("fields").put(boundField(operation), request.boundId());
        }
        return new Call(method, params, request);
    }

    /** The field of an unbinding's bound record: {@code CONTACT_ID} or {@code COMPANY_ID}. */
    static String boundField(Operation operation) {
        return operation.bound().toUpperCase(Locale.ROOT) + "_ID";
    }

    /**
     * A read of which of these records (all of one operation that deletes records, of one entity type) the portal
     * still has: the operation's list method ({@code crm.deal.list}, ...) filtered by {@code ID} (one) or {@code @ID}
     * (many), or {@code crm.item.list} by {@code id} / {@code @id} with the entity type, for the item API and for
     * contacts and companies, selecting the id alone. A list answers {@code []} for records that are not there, in
     * every portal language. At most 50 ids: one page.
     */
    public Call existenceRead(List<RecordRequest> requests) {
        RecordRequest first = requests.get(0);
        Operation operation = first.operation();
        String method = ITEM_DELETE.equals(methodFor(operation)) ? ITEM_LIST : operation.listMethod();
        boolean item = ITEM_LIST.equals(method);
        String idField = item ? "id" : "ID";
        ObjectNode params = mapper.createObjectNode();
        if (item) {
            params.put("entityTypeId", first.entityTypeId());
        }
        ObjectNode filter = params.putObject("filter");
        if (requests.size() == 1) {
            filter.put(idField, first.id());
        } else {
            ArrayNode ids = filter.putArray("@" + idField);
            requests.forEach(r -> ids.add(r.id()));
        }
        params.putArray("select").add(idField);
        return requests.size() == 1 ? new Call(method, params, first, true) : new Call(method, params);
    }

    /**
     * What merges reads of one record each into one read: reads of the same list method, of the same entity type for
     * {@code crm.item.list}. Null for a call that is no such read.
     */
    public static String readGroup(Call call) {
        return call.read() ? call.method() + " " + call.params().path("entityTypeId").asText("") : null;
    }

    /** One read of the records of these reads (one {@link #readGroup}, at most 50): the list filtered by {@code @ID}. */
    public static Call mergeReads(List<Call> reads) {
        if (reads.size() == 1) {
            return reads.get(0);
        }
        ObjectNode params = reads.get(0).params().deepCopy();
        ObjectNode filter = (ObjectNode) params.get("filter");
        String idField = filter.fieldNames().next();
        filter.removeAll();
        ArrayNode ids = filter.putArray("@" + idField);
        reads.forEach(read -> ids.add(read.request().id()));
        return new Call(reads.get(0).method(), params);
    }

    /** The ids a list answer holds: {@code [{"ID":"5"}]}, or {@code {"items":[{"id":5}]}} from {@code crm.item.list}. */
    public static Set<Integer> existingIds(Response response) {
        JsonNode rows = response.result().isArray() ? response.result() : response.result().path("items");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode row : rows) {
            JsonNode id = row.has("ID") ? row.get("ID") : row.path("id");
            if (id.canConvertToInt() || id.isTextual()) {
                ids.add(id.asInt());
            }
        }
        return ids;
    }
}
