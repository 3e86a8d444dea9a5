package io.camelbitrix24.crm.internal.input;

import io.camelbitrix24.crm.internal.call.Operation;

/** The ids a body or batch item carries; any may be null. */
record BodyIds(Found id, Found contactId, Found companyId, Found entityTypeId) {

    static final BodyIds NONE = new BodyIds(null, null, null, null);

    /** The id of the record an unbinding of {@code operation} unbinds: a contact's or a company's. */
    Found bound(Operation operation) {
        return operation.unbindsCompanies() ? companyId : contactId;
    }
}
