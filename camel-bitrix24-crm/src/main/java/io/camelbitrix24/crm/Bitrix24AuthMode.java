package io.camelbitrix24.crm;

/** How an endpoint authenticates, decided once from its options when it is made. */
enum Bitrix24AuthMode {

    /** An inbound webhook: {@code webhookUrl}, its code in the path. */
    WEBHOOK,
    /** One portal's OAuth application: {@code portalUrl} with its tokens. */
    OAUTH,
    /** Many portals: the application's {@code clientId} and {@code clientSecret}, and no one portal's credentials. */
    MANY_PORTALS;

    /** The mode the options name; no credentials, or two ways to one portal, are refused saying which options. */
    static Bitrix24AuthMode of(Bitrix24CrmConfiguration config) {
        boolean webhook = isSet(config.getWebhookUrl());
        boolean oauth = isSet(config.getPortalUrl());
        if (webhook && oauth) {
            throw new IllegalArgumentException(
                    "Both webhookUrl and portalUrl are set: authenticate with one of them, not both");
        }
        if (webhook) {
            return WEBHOOK;
        }
        if (oauth) {
            return OAUTH;
        }
        if (isSet(config.getClientId()) && isSet(config.getClientSecret())) {
            return MANY_PORTALS;
        }
        throw new IllegalArgumentException("No Bitrix24 credentials: set webhookUrl (https://{portal}/rest/{userId}/{code}/),"
                                           + " or portalUrl with accessToken (and refreshToken, clientId, clientSecret"
                                           + " to refresh it), or clientId and clientSecret alone to serve many portals");
    }

    private static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
