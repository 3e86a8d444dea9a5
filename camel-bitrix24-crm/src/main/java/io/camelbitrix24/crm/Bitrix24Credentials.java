package io.camelbitrix24.crm;

import java.net.URI;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.HttpTransport;

/**
 * Checks the configured credentials when an endpoint starts (one way to authenticate, HTTPS unless allowed otherwise) and
 * builds the matching client. Its messages never repeat a secret.
 */
final class Bitrix24Credentials {

    private static final Pattern WEBHOOK_URL = Pattern.compile("(?i)https?://[^/?#]+(/[^?#]*)?/rest/\\d+/[^/?#]+/?");

    private Bitrix24Credentials() {
    }

    static void validate(Bitrix24CrmConfiguration config) {
        boolean webhook = config.getWebhookUrl() != null && !config.getWebhookUrl().isBlank();
        boolean oauth = config.getPortalUrl() != null && !config.getPortalUrl().isBlank();
        if (webhook && oauth) {
            throw new IllegalArgumentException(
                    "Both webhookUrl and portalUrl are set: authenticate with one of them, not both");
        }
        if (!webhook && !oauth) {
            throw new IllegalArgumentException("No Bitrix24 credentials: set webhookUrl (https://{portal}/rest/{userId}/{code}/),"
                                               + " or portalUrl with accessToken (and refreshToken, clientId, clientSecret"
                                               + " to refresh it)");
        }
        if (webhook) {
            if (!WEBHOOK_URL.matcher(config.getWebhookUrl().strip()).matches()) {
                throw new IllegalArgumentException("webhookUrl must look like https://{portal}/rest/{userId}/{code}/ (given: "
                                                   + maskWebhook(config.getWebhookUrl()) + ")");
            }
            requireSecure("webhookUrl", config.getWebhookUrl(), config);
        } else {
            requireSecure("portalUrl", config.getPortalUrl(), config);
            boolean stored = config.getTokenStore() != null && config.getTokenStore().load() != null;
            if (!stored && (config.getAccessToken() == null || config.getAccessToken().isBlank())) {
                throw new IllegalArgumentException("portalUrl is set but there is no accessToken (nor tokens in the tokenStore)");
            }
            if (config.getRefreshToken() != null) {
                requireSecure("oauthServerUrl", config.getOauthServerUrl(), config);
            }
        }
    }

    static Bitrix24Client createClient(Bitrix24CrmConfiguration config, HttpTransport transport, ObjectMapper mapper,
                                       Bitrix24RateLimiter limiter) {
        if (config.getWebhookUrl() != null && !config.getWebhookUrl().isBlank()) {
            return new Bitrix24Client(transport, mapper, config.getWebhookUrl().strip(), null, limiter);
        }
        Bitrix24TokenStore store = config.getTokenStore() != null ? config.getTokenStore() : new InMemoryBitrix24TokenStore();
        Bitrix24OAuthSession session = new Bitrix24OAuthSession(transport, mapper, config.getOauthServerUrl(),
                config.getClientId(), config.getClientSecret(), store,
                new Bitrix24Tokens(config.getAccessToken(), config.getRefreshToken()));
        String portal = config.getPortalUrl().strip();
        portal = portal.endsWith("/") ? portal.substring(0, portal.length() - 1) : portal;
        return new Bitrix24Client(transport, mapper, portal + "/rest/", session, limiter);
    }

    private static void requireSecure(String option, String url, Bitrix24CrmConfiguration config) {
        String scheme;
        try {
            scheme = URI.create(url.strip()).getScheme();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + " is not a valid URL: " + maskWebhook(url));
        }
        if ("http".equalsIgnoreCase(scheme) && !config.isAllowInsecureHttp()) {
            throw new IllegalArgumentException(option + " uses plain http://, which Bitrix24 refuses and which would expose"
                                               + " credentials; use https://, or set allowInsecureHttp=true for a local"
                                               + " emulator or test portal only");
        }
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException(option + " must be an https:// URL: " + maskWebhook(url));
        }
    }

    /** A URL fit for a message: scheme and host, the rest of the path masked. */
    static String maskWebhook(String url) {
        int rest = url.indexOf("/rest/");
        return rest < 0 ? url.replaceAll("(?<=://[^/]{0,200}/).*", "xxxxxx") : url.substring(0, rest) + "/rest/xxxxxx";
    }
}
