package io.camelbitrix24.crm;

/** One validated delete: the main id (lead or contact) and, for lead-contact/delete, the contact id. */
record Bitrix24DeleteRequest(Bitrix24CrmOperation operation, int id, Integer contactId) {
}
