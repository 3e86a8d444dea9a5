package io.camelbitrix24.crm;

/**
 * The exchange did not carry valid input (a missing or malformed id). Raised before any call: nothing was sent to
 * Bitrix24. The message names the field and the offending value.
 */
public class Bitrix24ValidationException extends Bitrix24Exception {

    private final String field;

    Bitrix24ValidationException(String method, String field, String message) {
        super(message, method, 0, null, message, false, null);
        this.field = field;
    }

    /** The input that was wrong, e.g. {@code header CamelBitrix24CrmId} or {@code body.contactId}. */
    public String getField() {
        return field;
    }
}
