package io.camelbitrix24.crm;

import java.net.URI;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.http.HttpTransport;

/**
 * Checks the configured credentials when an endpoint starts (one way to authenticate, HTTPS unless allowed otherwise) and
 * builds the matching client. Its messages never repeat a secret.
 */
final class Bitrix24Credentials {

    private static final Pattern PORTAL_ADDRESS = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^/?#\\s]+)");
    private static final Pattern WEBHOOK_USER = Pattern.compile("/rest/(\\d+)/");
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
        if (config.servesManyPortals()) {
            // each installation's address comes from the portal registry, checked when a call names it
            requireSecure("oauthServerUrl", config.getOauthServerUrl(), config);
            return;
        }
        if (!webhook && !oauth) {
            throw new IllegalArgumentException("No Bitrix24 credentials: set webhookUrl (https://{portal}/rest/{userId}/{code}/),"
                                               + " or portalUrl with accessToken (and refreshToken, clientId, clientSecret"
                                               + " to refresh it), or clientId and clientSecret alone to serve many portals");
        }
        if (webhook) {
            if (!WEBHOOK_URL.matcher(config.getWebhookUrl()).matches()) {
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
                                       Bitrix24Limiter limiter) {
        if (config.getWebhookUrl() != null && !config.getWebhookUrl().isBlank()) {
            return new Bitrix24Client(transport, mapper, config.getWebhookUrl(), null,
                    new Bitrix24Pacing(limiter, limiterKey(config), System::currentTimeMillis));
        }
        Bitrix24TokenStore store = config.getTokenStore() != null ? config.getTokenStore() : new InMemoryBitrix24TokenStore();
        Bitrix24OAuthSession session = new Bitrix24OAuthSession(transport, mapper, config.getOauthServerUrl(),
                config.getClientId(), config.getClientSecret(), store,
                new Bitrix24Tokens(config.getAccessToken(), config.getRefreshToken()));
        // credentials are trimmed by the configuration's setters
        String portal = config.getPortalUrl();
        portal = portal.endsWith("/") ? portal.substring(0, portal.length() - 1) : portal;
        return new Bitrix24Client(transport, mapper, portal + "/rest/", session,
                new Bitrix24Pacing(limiter, limiterKey(config), System::currentTimeMillis));
    }

    /**
     * Whose calls may leave together: the same webhook; with OAuth, the same portal and application reading one token
     * store bean, else only the calls of {@code endpoint} (its tokens are its own).
     */
    static Object coalescingIdentity(Bitrix24CrmConfiguration config, Object endpoint) {
        if (config.getWebhookUrl() != null && !config.getWebhookUrl().isBlank()) {
            return config.getWebhookUrl();
        }
        return config.getTokenStore() != null
                ? java.util.Arrays.asList(config.getPortalUrl(), config.getClientId(), config.getTokenStore())
                : endpoint;
    }

    /**
     * The limiter's key: the portal ({@code scheme://host:port}) and the caller whose operating time the calls spend,
     * a webhook by its user id, an application by its client id; never the webhook code or a token.
     */
    static Bitrix24LimiterKey limiterKey(Bitrix24CrmConfiguration config) {
        String webhook = config.getWebhookUrl();
        if (webhook != null && !webhook.isBlank()) {
            java.util.regex.Matcher m = WEBHOOK_USER.matcher(webhook);
            return new Bitrix24LimiterKey(portalAddress(webhook), "webhook:" + (m.find() ? m.group(1) : "?"));
        }
        return new Bitrix24LimiterKey(portalAddress(config.getPortalUrl()),
                "app:" + (config.getClientId() == null ? "?" : config.getClientId()));
    }

    /** {@code scheme://host:port} of a URL, read as text: a URI parser's errors would quote the whole URL. */
    static String portalAddress(String url) {
        if (url == null) {
            return null;
        }
        java.util.regex.Matcher address = PORTAL_ADDRESS.matcher(url);
        return address.lookingAt() ? address.group(1).toLowerCase(java.util.Locale.ROOT) : null;
    }

    static void requireSecure(String option, String url, Bitrix24CrmConfiguration config) {
        String scheme;
        try {
            scheme = URI.create(url).getScheme();
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

    /** {@code url} ending with one slash, as a base the path of a call is appended to. */
    static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }

    /** A URL fit for a message: scheme and host, the rest of the path masked. */
    static String maskWebhook(String url) {
        int rest = url.indexOf("/rest/");
        return rest < 0 ? url.replaceAll("(?<=://[^/]{0,200}/).*", "xxxxxx") : url.substring(0, rest) + "/rest/xxxxxx";
    }
}
