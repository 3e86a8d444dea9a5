package io.camelbitrix24.crm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a validated delete into the Bitrix24 method and JSON parameters. Ids go out as JSON numbers, never spliced into a
 * URL.
 */
final class Bitrix24RequestBuilder {

    static final String ITEM_DELETE = "crm.item.delete";
    static final String BATCH = "batch";
    static final String BATCH_KEY_PREFIX = "c";

    private final ObjectMapper mapper;
    private final boolean useItemApi;

    Bitrix24RequestBuilder(ObjectMapper mapper, boolean useItemApi) {
        this.mapper = mapper;
        this.useItemApi = useItemApi;
    }

    /**
     * True for the methods that delete a record, whose "not found" on a retry means an earlier attempt deleted it. Not
     * for the unbinding methods: their "not found" is about the lead, which they never delete.
     */
    static boolean deletesRecord(String method) {
        return ITEM_DELETE.equals(method) || Bitrix24CrmOperation.LEAD_DELETE.method().equals(method)
               || Bitrix24CrmOperation.CONTACT_DELETE.method().equals(method);
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
        return new Bitrix24Call(method, params);
    }
}
