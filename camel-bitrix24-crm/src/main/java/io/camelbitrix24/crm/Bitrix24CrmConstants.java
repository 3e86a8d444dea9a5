package io.camelbitrix24.crm;

import io.camelbitrix24.crm.internal.input.Headers;
import org.apache.camel.spi.Metadata;

/**
 * The exchange headers the component reads and writes. Headers carry ids, and a portal's member_id where the endpoint
 * serves many portals: never a URL, a method or a credential.
 */
public final class Bitrix24CrmConstants {

    @Metadata(label = "producer",
              description = "The id of the record to delete (lead/delete, deal/delete, item/delete, ...) or of the record"
                            + " whose bindings to remove (the lead of lead-contact/delete, the contact of"
                            + " contact-company/items-delete, ...). Overrides an id in the body. A whole number from 1 to"
                            + " 2147483647, or a string of digits.",
              javaType = "Integer or String")
    public static final String ID = Headers.ID;

    @Metadata(label = "producer",
              description = "The id of the contact to unbind (lead-contact/delete, deal-contact/delete,"
                            + " company-contact/delete). Overrides a contact id in the body.",
              javaType = "Integer or String")
    public static final String CONTACT_ID = Headers.CONTACT_ID;

    @Metadata(label = "producer",
              description = "The id of the company to unbind from the contact (contact-company/delete). Overrides a"
                            + " company id in the body.",
              javaType = "Integer or String")
    public static final String COMPANY_ID = Headers.COMPANY_ID;

    @Metadata(label = "producer",
              description = "item/delete: the entityTypeId of the record (1 lead, 2 deal, 3 contact, 4 company, 7 quote,"
                            + " 31 smart invoice, a smart process's own id). Overrides the body's entityTypeId and the"
                            + " endpoint's option; the method stays crm.item.delete.",
              javaType = "Integer or String")
    public static final String ENTITY_TYPE_ID = Headers.ENTITY_TYPE_ID;

    @Metadata(label = "producer",
              description = "The portal to call, by its installation's member_id, on an endpoint that serves many portals"
                            + " (clientId and clientSecret without webhookUrl or portalUrl). Refused, with nothing sent,"
                            + " on an endpoint with one portal's credentials.",
              javaType = "String")
    public static final String PORTAL = Headers.PORTAL;

    @Metadata(label = "producer",
              description = "The Bitrix24 result: true when the record was deleted or unbound, false when there was"
                            + " nothing to do (the contact or company was not bound, or not found with"
                            + " notFoundIsSuccess).",
              javaType = "Boolean")
    public static final String RESULT = "CamelBitrix24CrmResult";

    @Metadata(label = "producer",
              description = "True when an attempt got no readable answer (the connection dropped, the answer came too"
                            + " late or garbled) and a retry settled the outcome. If the retry found the record gone,"
                            + " the lost attempt deleted it and the result is true.",
              javaType = "Boolean")
    public static final String UNKNOWN_OUTCOME_RETRIED = "CamelBitrix24CrmUnknownOutcomeRetried";

    @Metadata(label = "producer",
              description = "The Bitrix24 method that was called, e.g. crm.lead.delete or crm.item.delete.",
              javaType = "String")
    public static final String METHOD = "CamelBitrix24CrmMethod";

    @Metadata(label = "producer",
              description = "Seconds of the method's operating-time budget spent in the current window (time.operating).",
              javaType = "Double")
    public static final String OPERATING = "CamelBitrix24CrmOperating";

    @Metadata(label = "producer",
              description = "Unix time at which the method's operating-time budget resets (time.operating_reset_at).",
              javaType = "Long")
    public static final String OPERATING_RESET_AT = "CamelBitrix24CrmOperatingResetAt";

    @Metadata(label = "producer",
              description = "Batch mode (the body is a list): how many items succeeded.", javaType = "Integer")
    public static final String BATCH_SUCCEEDED = "CamelBitrix24CrmBatchSucceeded";

    @Metadata(label = "producer",
              description = "Batch mode (the body is a list): how many items failed; each failed item's result carries"
                            + " its exception.",
              javaType = "Integer")
    public static final String BATCH_FAILED = "CamelBitrix24CrmBatchFailed";

    private Bitrix24CrmConstants() {
    }
}
