package io.camelbitrix24.crm.internal.call;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The endpoints: an entity/operation pair of the URI and the Bitrix24 method behind it. The four deletes, and the two
 * that take an application's installation events in many-portal mode.
 */
public enum Operation {

    LEAD_DELETE("lead", "delete", "crm.lead.delete", 1, "lead id"),
    CONTACT_DELETE("contact", "delete", "crm.contact.delete", 3, "contact id"),
    LEAD_CONTACT_DELETE("lead-contact", "delete", "crm.lead.contact.delete", 0, "lead id"),
    LEAD_CONTACT_ITEMS_DELETE("lead-contact", "items-delete", "crm.lead.contact.items.delete", 0, "lead id"),
    /** {@code ONAPPINSTALL}, verified with {@code app.info} on the OAuth server. */
    APP_INSTALL("app", "install", "app.info", 0, "member_id"),
    /**
     * {@code ONAPPUNINSTALL}: no call, the event's {@code application_token} checked against the stored one; so no
     * method, and its failures name none.
     */
    APP_UNINSTALL("app", "uninstall", null, 0, "member_id");

    private final String entity;
    private final String operation;
    private final String method;
    private final int itemEntityTypeId;
    private final String idLabel;

    Operation(String entity, String operation, String method, int itemEntityTypeId, String idLabel) {
        this.entity = entity;
        this.operation = operation;
        this.method = method;
        this.itemEntityTypeId = itemEntityTypeId;
        this.idLabel = idLabel;
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

    /** The {@code entityTypeId} for {@code crm.item.delete}, or 0 when the operation has no item-API form. */
    int itemEntityTypeId() {
        return itemEntityTypeId;
    }

    /** What the main id is, for messages: "lead id" or "contact id". */
    public String idLabel() {
        return idLabel;
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

    public boolean needsContactId() {
        return this == LEAD_CONTACT_DELETE;
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
