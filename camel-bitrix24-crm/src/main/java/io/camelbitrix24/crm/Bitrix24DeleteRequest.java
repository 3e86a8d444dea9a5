package io.camelbitrix24.crm;

/** One validated delete: the main id (lead or contact) and, for lead-contact/delete, the contact id. */
record Bitrix24DeleteRequest(Bitrix24CrmOperation operation, int id, Integer contactId) {

    /** True when the request deletes a lead or contact record, rather than unbinding contacts from a lead. */
    boolean deletesRecord() {
        return operation == Bitrix24CrmOperation.LEAD_DELETE || operation == Bitrix24CrmOperation.CONTACT_DELETE;
    }

    /** What the request is about, for messages and logs: {@code lead 12}, {@code contact 7 of lead 12}. */
    String subject() {
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
