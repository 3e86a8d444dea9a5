package io.camelbitrix24.crm;

/** The component's version, as it names itself to Bitrix24. */
final class Bitrix24CrmVersion {

    static final String VERSION = "0.1.0";
    static final String DEFAULT_USER_AGENT = "camel-bitrix24-crm/" + VERSION;

    private Bitrix24CrmVersion() {
    }
}
