package io.camelbitrix24.crm;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.auth.InMemoryTokenStore;
import io.camelbitrix24.crm.internal.auth.OAuthSession;
import io.camelbitrix24.crm.internal.call.Urls;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.internal.send.Client;
import io.camelbitrix24.crm.internal.send.Pacing;
import io.camelbitrix24.crm.internal.send.PortalActivity;
import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24LimiterKey;
import io.camelbitrix24.crm.spi.Bitrix24TokenStore;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;

/**
 * Checks the configured credentials when an endpoint starts (one way to authenticate, HTTPS unless allowed otherwise) and
 * builds the matching client. Its messages never repeat a secret.
 */
final class Bitrix24Credentials {

    private static final Pattern WEBHOOK_USER = Pattern.compile("/rest/(\\d+)/");
    private static final Pattern WEBHOOK_URL = Pattern.compile("(?i)https?://[^/?#]+(/[^?#]*)?/rest/\\d+/[^/?#]+/?");

    private Bitrix24Credentials() {
    }

    /** Checks the credentials of {@code mode}, as {@link Bitrix24AuthMode#of} decided it from {@code config}. */
    static void validate(Bitrix24CrmConfiguration config, Bitrix24AuthMode mode) {
        if (mode == Bitrix24AuthMode.MANY_PORTALS) {
            // each installation's address comes from the portal registry, checked when a call names it
            Urls.requireSecure("oauthServerUrl", config.getOauthServerUrl(), config.isAllowInsecureHttp());
            return;
        }
        if (mode == Bitrix24AuthMode.WEBHOOK) {
            if (!WEBHOOK_URL.matcher(config.getWebhookUrl()).matches()) {
                throw new IllegalArgumentException("webhookUrl must look like https://{portal}/rest/{userId}/{code}/ (given: "
                                                   + Urls.maskPath(config.getWebhookUrl()) + ")");
            }
            Urls.requireSecure("webhookUrl", config.getWebhookUrl(), config.isAllowInsecureHttp());
        } else {
            Urls.requireSecure("portalUrl", config.getPortalUrl(), config.isAllowInsecureHttp());
            boolean stored = config.getTokenStore() != null && config.getTokenStore().load() != null;
            if (!stored && (config.getAccessToken() == null || config.getAccessToken().isBlank())) {
                throw new IllegalArgumentException("portalUrl is set but there is no accessToken (nor tokens in the tokenStore)");
            }
            if (config.getRefreshToken() != null) {
                Urls.requireSecure("oauthServerUrl", config.getOauthServerUrl(), config.isAllowInsecureHttp());
            }
        }
    }

    static Client createClient(Bitrix24CrmConfiguration config, Bitrix24AuthMode mode, HttpTransport transport,
                               ObjectMapper mapper, Bitrix24Limiter limiter, PortalActivity activity) {
        if (mode == Bitrix24AuthMode.WEBHOOK) {
            return new Client(transport, mapper, config.getWebhookUrl(), null,
                    new Pacing(limiter, limiterKey(config, mode), System::currentTimeMillis), activity);
        }
        Bitrix24TokenStore store = config.getTokenStore() != null ? config.getTokenStore() : new InMemoryTokenStore();
        OAuthSession session = new OAuthSession(transport, mapper, config.getOauthServerUrl(),
                config.getClientId(), config.getClientSecret(), store,
                new Bitrix24Tokens(config.getAccessToken(), config.getRefreshToken()));
        // credentials are trimmed by the configuration's setters
        String portal = config.getPortalUrl();
        portal = portal.endsWith("/") ? portal.substring(0, portal.length() - 1) : portal;
        return new Client(transport, mapper, portal + "/rest/", session,
                new Pacing(limiter, limiterKey(config, mode), System::currentTimeMillis), activity);
    }

    /**
     * Whose calls may leave together: the same webhook; with OAuth, the same portal and application reading one token
     * store bean, else only the calls of {@code endpoint} (its tokens are its own).
     */
    static Object coalescingIdentity(Bitrix24CrmConfiguration config, Bitrix24AuthMode mode, Object endpoint) {
        if (mode == Bitrix24AuthMode.WEBHOOK) {
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
    static Bitrix24LimiterKey limiterKey(Bitrix24CrmConfiguration config, Bitrix24AuthMode mode) {
        String webhook = config.getWebhookUrl();
        if (mode == Bitrix24AuthMode.WEBHOOK) {
            java.util.regex.Matcher m = WEBHOOK_USER.matcher(webhook);
            return new Bitrix24LimiterKey(Urls.portalAddress(webhook), "webhook:" + (m.find() ? m.group(1) : "?"));
        }
        return new Bitrix24LimiterKey(Urls.portalAddress(config.getPortalUrl()),
                "app:" + (config.getClientId() == null ? "?" : config.getClientId()));
    }
}
