package io.camelbitrix24.crm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Turns a validated delete into the Bitrix24 method and JSON parameters. Ids go out as JSON numbers, never spliced into a
 * URL.
 */
final class Bitrix24RequestBuilder {

    static final String ITEM_DELETE = "crm.item.delete";

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
