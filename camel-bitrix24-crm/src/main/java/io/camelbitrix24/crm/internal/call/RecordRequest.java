package io.camelbitrix24.crm.internal.call;

/** One validated delete: the main id (lead or contact) and, for lead-contact/delete, the contact id. */
public record RecordRequest(Operation operation, int id, Integer contactId) {

    /** True when the request deletes a lead or contact record, rather than unbinding contacts from a lead. */
    public boolean deletesRecord() {
        return operation == Operation.LEAD_DELETE || operation == Operation.CONTACT_DELETE;
    }

    /** What the request is about, for messages and logs: {@code lead 12}, {@code contact 7 of lead 12}. */
    public String subject() {
        return switch (operation) {
            case LEAD_DELETE -> "lead " + id;
            case CONTACT_DELETE -> "contact " + id;
            case LEAD_CONTACT_DELETE -> "contact " + contactId + " of lead " + id;
            case LEAD_CONTACT_ITEMS_DELETE -> "the contacts of lead " + id;
            // installation events make no delete request
            case APP_INSTALL, APP_UNINSTALL -> throw new IllegalStateException(operation + " deletes nothing");
        };
    }
}
