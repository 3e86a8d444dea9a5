package io.camelbitrix24.crm;

/**
 * The outcome of one item of a batch body, in the body's order: the item as given, the ids read from it (null when it
 * could not be read), and either the Bitrix24 result or the failure. A failed item never hides the others.
 */
public final class Bitrix24ItemResult {

    private final Object input;
    private final Integer id;
    private final Integer contactId;
    private final Boolean result;
    private final Bitrix24Exception exception;

    Bitrix24ItemResult(Object input, Integer id, Integer contactId, Boolean result, Bitrix24Exception exception) {
        this.input = input;
        this.id = id;
        this.contactId = contactId;
        this.result = result;
        this.exception = exception;
    }

    /** The item as it was in the body. */
    public Object getInput() {
        return input;
    }

    /** The lead or contact id, or null when the item could not be read. */
    public Integer getId() {
        return id;
    }

    /** The contact id of a lead-contact/delete item. */
    public Integer getContactId() {
        return contactId;
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
        return "Bitrix24ItemResult[id=" + id + (contactId == null ? "" : ", contactId=" + contactId)
               + (exception == null ? ", result=" + result : ", failed: " + exception.getMessage()) + "]";
    }
}
