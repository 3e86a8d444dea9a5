package io.camelbitrix24.crm;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A Bitrix24 method and its JSON parameters, ready to send; {@code request} is the delete it carries out, or null for a
 * batch or a read.
 */
record Bitrix24Call(String method, ObjectNode params, Bitrix24DeleteRequest request) {

    Bitrix24Call(String method, ObjectNode params) {
        this(method, params, null);
    }

    /** True when the call deletes one lead or contact record. */
    boolean deletesRecord() {
        return request != null && request.deletesRecord();
    }

    /** {@code crm.lead.delete for lead 12}, or the method alone. */
    String describe() {
        return request == null ? method : method + " for " + request.subject();
    }
}
