package io.camelbitrix24.crm.internal.call;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The endpoints: an entity/operation pair of the URI and the Bitrix24 method behind it. The record deletes, the
 * unbindings of contacts and companies, and the two that take an application's installation events in many-portal
 * mode.
 */
public enum Operation {

    LEAD_DELETE("lead", "delete", "crm.lead.delete", 1, "crm.lead.list"),
    // crm.contact.list and crm.company.list list the default category only (restservice.php innerGetList forces
    // @CATEGORY_ID = 0): their records are read through crm.item.list, which lists every category
    CONTACT_DELETE("contact", "delete", "crm.contact.delete", 3, RequestBuilder.ITEM_LIST),
    DEAL_DELETE("deal", "delete", "crm.deal.delete", 2, "crm.deal.list"),
    COMPANY_DELETE("company", "delete", "crm.company.delete", 4, RequestBuilder.ITEM_LIST),
    QUOTE_DELETE("quote", "delete", "crm.quote.delete", 7, "crm.quote.list"),
    /** Activities have no item-API form. */
    ACTIVITY_DELETE("activity", "delete", "crm.activity.delete", 0, "crm.activity.list"),
    /** Any CRM type: the entityTypeId comes with each delete. */
    ITEM_DELETE("item", "delete", RequestBuilder.ITEM_DELETE, 0, RequestBuilder.ITEM_LIST),
    LEAD_CONTACT_DELETE("lead-contact", "delete", "crm.lead.contact.delete"),
    LEAD_CONTACT_ITEMS_DELETE("lead-contact", "items-delete", "crm.lead.contact.items.delete"),
    DEAL_CONTACT_DELETE("deal-contact", "delete", "crm.deal.contact.delete"),
    DEAL_CONTACT_ITEMS_DELETE("deal-contact", "items-delete", "crm.deal.contact.items.delete"),
    COMPANY_CONTACT_DELETE("company-contact", "delete", "crm.company.contact.delete"),
    COMPANY_CONTACT_ITEMS_DELETE("company-contact", "items-delete", "crm.company.contact.items.delete"),
    CONTACT_COMPANY_DELETE("contact-company", "delete", "crm.contact.company.delete"),
    CONTACT_COMPANY_ITEMS_DELETE("contact-company", "items-delete", "crm.contact.company.items.delete"),
    /** {@code ONAPPINSTALL}, verified with {@code app.info} on the OAuth server. */
    APP_INSTALL("app", "install", "app.info"),
    /**
     * {@code ONAPPUNINSTALL}: no call, the event's {@code application_token} checked against the stored one; so no
     * method, and its failures name none.
     */
    APP_UNINSTALL("app", "uninstall", null);

    private static final String UNBIND_ONE = "delete";

    private final String entity;
    private final String operation;
    private final String method;
    private final int itemEntityTypeId;
    private final String listMethod;

    Operation(String entity, String operation, String method, int itemEntityTypeId, String listMethod) {
        this.entity = entity;
        this.operation = operation;
        this.method = method;
        this.itemEntityTypeId = itemEntityTypeId;
        this.listMethod = listMethod;
    }

    /** An unbinding, or an installation event: no record of its own to read. */
    Operation(String entity, String operation, String method) {
        this(entity, operation, method, 0, null);
    }

    public String entity() {
        return entity;
    }

    public String operation() {
        return operation;
    }

    /**
     * The classic Bitrix24 method, e.g. {@code crm.lead.delete}; {@code app.info} for an install; null for an
     * uninstall.
     */
    public String method() {
        return method;
    }

    /** The {@code entityTypeId} of the operation's records, or 0 when it has none (activities, unbindings, any type). */
    public int itemEntityTypeId() {
        return itemEntityTypeId;
    }

    /** The list method that reads whether a record is still there; null when the operation deletes no record. */
    String listMethod() {
        return listMethod;
    }

    /** True when the operation deletes records (rather than unbinding, or taking an installation event). */
    public boolean deletesRecord() {
        return listMethod != null;
    }

    /** True when each delete names its entity type: {@code item/delete}. */
    public boolean needsEntityTypeId() {
        return this == ITEM_DELETE;
    }

    /** The kind of record the main id names: {@code lead}, {@code deal}, ... (the owner, for an unbinding). */
    public String owner() {
        int dash = entity.indexOf('-');
        return dash < 0 ? entity : entity.substring(0, dash);
    }

    /** The kind of record an unbinding unbinds, {@code contact} or {@code company}; null for other operations. */
    public String bound() {
        int dash = entity.indexOf('-');
        return dash < 0 ? null : entity.substring(dash + 1);
    }

    /** True when the operation unbinds companies ({@code contact-company}) rather than contacts. */
    public boolean unbindsCompanies() {
        return "company".equals(bound());
    }

    /** True when one bound record is unbound, and its id is needed: {@code deal-contact/delete}. */
    public boolean needsBoundId() {
        return bound() != null && UNBIND_ONE.equals(operation);
    }

    /** What the main id is, for messages: "lead id", "deal id", "item id". */
    public String idLabel() {
        return isAppEvent() ? "member_id" : owner() + " id";
    }

    /** The event an installation endpoint takes, {@code ONAPPINSTALL} or {@code ONAPPUNINSTALL}; null for deletes. */
    public String event() {
        return switch (this) {
            case APP_INSTALL -> "ONAPPINSTALL";
            case APP_UNINSTALL -> "ONAPPUNINSTALL";
            default -> null;
        };
    }

    /** An installation event of the application, not a delete. */
    public boolean isAppEvent() {
        return this == APP_INSTALL || this == APP_UNINSTALL;
    }

    /** {@code entity/operation}, as in the endpoint URI. */
    public String path() {
        return entity + "/" + operation;
    }

    public static Operation of(String entity, String operation) {
        for (Operation candidate : values()) {
            if (candidate.entity.equals(entity) && candidate.operation.equals(operation)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException(
                "Unknown Bitrix24 CRM endpoint '" + entity + "/" + operation + "'. Valid endpoints: " + validPaths());
    }

    public static String validPaths() {
        return Arrays.stream(values()).map(o -> "bitrix24-crm:" + o.path()).collect(Collectors.joining(", "));
    }
}
