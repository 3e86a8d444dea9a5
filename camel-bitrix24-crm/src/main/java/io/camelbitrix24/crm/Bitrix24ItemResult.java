package io.camelbitrix24.crm;

import io.camelbitrix24.crm.internal.call.RecordRequest;

/**
 * The outcome of one item of a batch body, in the body's order: the item as given, the ids read from it (null when it
 * could not be read), and either the Bitrix24 result or the failure. A failed item never hides the others.
 */
public final class Bitrix24ItemResult {

    private final Object input;
    private final Integer id;
    private final Integer contactId;
    private final Integer companyId;
    private final Integer entityTypeId;
    private final Boolean result;
    private final Bitrix24Exception exception;

    /** {@code request}: the delete read from the item, null when it could not be read. */
    Bitrix24ItemResult(Object input, RecordRequest request, Boolean result, Bitrix24Exception exception) {
        this.input = input;
        this.id = request == null ? null : request.id();
        boolean company = request != null && request.operation().unbindsCompanies();
        this.contactId = request == null || company ? null : request.boundId();
        this.companyId = company ? request.boundId() : null;
        this.entityTypeId = request == null || request.entityTypeId() == 0 ? null : request.entityTypeId();
        this.result = result;
        this.exception = exception;
    }

    /** The item as it was in the body. */
    public Object getInput() {
        return input;
    }

    /** The id of the record (or of the owner of the bindings), or null when the item could not be read. */
    public Integer getId() {
        return id;
    }

    /** The contact id of a lead-contact, deal-contact or company-contact/delete item. */
    public Integer getContactId() {
        return contactId;
    }

    /** The company id of a contact-company/delete item. */
    public Integer getCompanyId() {
        return companyId;
    }

    /**
     * The entity type of the record (1 lead, 2 deal, ..., an item/delete's own), or null for activities and unbindings.
     */
    public Integer getEntityTypeId() {
        return entityTypeId;
    }

    /** True when Bitrix24 did what was asked (or, with notFoundIsSuccess, it was already done). */
    public boolean isSuccess() {
        return exception == null;
    }

    /** The Bitrix24 result (true deleted or unbound, false nothing to do), or null on failure. */
    public Boolean getResult() {
        return result;
    }

    /** Why the item failed, or null. */
    public Bitrix24Exception getException() {
        return exception;
    }

    @Override
    public String toString() {
        return "Bitrix24ItemResult[" + (entityTypeId == null ? "" : "entityTypeId=" + entityTypeId + ", ") + "id=" + id
               + (contactId == null ? "" : ", contactId=" + contactId)
               + (companyId == null ? "" : ", companyId=" + companyId)
               + (exception == null ? ", result=" + result : ", failed: " + exception.getMessage()) + "]";
    }
}
