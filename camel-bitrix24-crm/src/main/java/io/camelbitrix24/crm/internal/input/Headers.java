package io.camelbitrix24.crm.internal.input;

/**
 * The names of the headers the machinery reads. The Camel surface documents them, under the same names, in
 * {@code Bitrix24CrmConstants}, whose constants are these.
 */
public final class Headers {

    public static final String ID = "CamelBitrix24CrmId";
    public static final String CONTACT_ID = "CamelBitrix24CrmContactId";
    public static final String COMPANY_ID = "CamelBitrix24CrmCompanyId";
    public static final String ENTITY_TYPE_ID = "CamelBitrix24CrmEntityTypeId";
    public static final String PORTAL = "CamelBitrix24CrmPortal";

    private Headers() {
    }
}
