package io.camelbitrix24.crm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a validated delete into the Bitrix24 method and JSON parameters. Ids go out as JSON numbers, never spliced into a
 * URL.
 */
final class Bitrix24RequestBuilder {

    static final String ITEM_DELETE = "crm.item.delete";
    static final String BATCH = "batch";
    static final String BATCH_KEY_PREFIX = "c";
    static final String LEAD_LIST = "crm.lead.list";
    static final String CONTACT_LIST = "crm.contact.list";
    static final String ITEM_LIST = "crm.item.list";

    private final ObjectMapper mapper;
    private final boolean useItemApi;

    Bitrix24RequestBuilder(ObjectMapper mapper, boolean useItemApi) {
        this.mapper = mapper;
        this.useItemApi = useItemApi;
    }

    /** The method this builder calls for an operation. */
    String methodFor(Bitrix24CrmOperation operation) {
        return useItemApi && operation.itemEntityTypeId() > 0 ? ITEM_DELETE : operation.method();
    }

    /**
     * A {@code batch} of deletes, commands {@code c0, c1, ...} in order. Each command is Bitrix24's
     * {@code method?query}; its values are validated integers, URL-encoded all the same.
     */
    Bitrix24Call buildBatch(List<Bitrix24DeleteRequest> requests, boolean halt) {
        ObjectNode params = mapper.createObjectNode();
        params.put("halt", halt ? 1 : 0);
        ObjectNode commands = params.putObject("cmd");
        for (int i = 0; i < requests.size(); i++) {
            commands.put(BATCH_KEY_PREFIX + i, command(requests.get(i)));
        }
        return new Bitrix24Call(BATCH, params);
    }

    private String command(Bitrix24DeleteRequest request) {
        Bitrix24CrmOperation operation = request.operation();
        String method = methodFor(operation);
        StringBuilder query = new StringBuilder(method).append('?');
        if (ITEM_DELETE.equals(method)) {
            query.append("entityTypeId=").append(operation.itemEntityTypeId()).append('&');
        }
        query.append("id=").append(encode(String.valueOf(request.id())));
        if (operation.needsContactId()) {
            query.append('&').append(encode("fields[CONTACT_ID]")).append('=').append(encode(String.valueOf(request.contactId())));
        }
        return query.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    Bitrix24Call build(Bitrix24DeleteRequest request) {
        Bitrix24CrmOperation operation = request.operation();
        ObjectNode params = mapper.createObjectNode();
        String method = methodFor(operation);
        if (ITEM_DELETE.equals(method)) {
            params.put("entityTypeId", operation.itemEntityTypeId());
        }
        params.put("id", request.id());
        if (operation.needsContactId()) {
            params.putObject("fields").put("CONTACT_ID", request.contactId());
        }
        return new Bitrix24Call(method, params, request);
    }

    /**
     * A read of which of these records (all of one operation that deletes records) the portal still has:
     * {@code crm.lead.list} / {@code crm.contact.list} filtered by {@code ID} (one) or {@code @ID} (many), or
     * {@code crm.item.list} by {@code id} / {@code @id} for the item API, selecting the id alone. A list answers
     * {@code []} for records that are not there, in every portal language. At most 50 ids: one page.
     */
    Bitrix24Call existenceRead(List<Bitrix24DeleteRequest> requests) {
        Bitrix24CrmOperation operation = requests.get(0).operation();
        boolean item = ITEM_DELETE.equals(methodFor(operation));
        String idField = item ? "id" : "ID";
        ObjectNode params = mapper.createObjectNode();
        if (item) {
            params.put("entityTypeId", operation.itemEntityTypeId());
        }
        ObjectNode filter = params.putObject("filter");
        if (requests.size() == 1) {
            filter.put(idField, requests.get(0).id());
        } else {
            ArrayNode ids = filter.putArray("@" + idField);
            requests.forEach(r -> ids.add(r.id()));
        }
        params.putArray("select").add(idField);
        String method = item ? ITEM_LIST : operation == Bitrix24CrmOperation.LEAD_DELETE ? LEAD_LIST : CONTACT_LIST;
        return new Bitrix24Call(method, params);
    }

    /** The ids a list answer holds: {@code [{"ID":"5"}]}, or {@code {"items":[{"id":5}]}} from {@code crm.item.list}. */
    static Set<Integer> existingIds(Bitrix24Response response) {
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
