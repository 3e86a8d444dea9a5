package io.camelbitrix24.crm;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.HttpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth token pair of one endpoint, and its refresh. Calls that fail with {@code expired_token} at the same time share
 * one refresh: the first starts it, the others wait for it. The new pair is saved to the token store before the new
 * access token is used, since the old refresh token is spent.
 */
final class Bitrix24OAuthSession {

    private static final Logger LOG = LoggerFactory.getLogger(Bitrix24OAuthSession.class);

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final String oauthServerUrl;
    private final String clientId;
    private final String clientSecret;
    private final Bitrix24TokenStore tokenStore;
    private volatile Bitrix24Tokens current;
    private CompletableFuture<Bitrix24Tokens> refreshing;

    Bitrix24OAuthSession(HttpTransport transport, ObjectMapper mapper, String oauthServerUrl, String clientId,
                         String clientSecret, Bitrix24TokenStore tokenStore, Bitrix24Tokens configured) {
        this.transport = transport;
        this.mapper = mapper;
        this.oauthServerUrl = oauthServerUrl.endsWith("/") ? oauthServerUrl : oauthServerUrl + "/";
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.tokenStore = tokenStore;
        Bitrix24Tokens stored = tokenStore.load();
        this.current = stored != null ? stored : configured;
    }

    String accessToken() {
        return current.getAccessToken();
    }

    boolean canRefresh() {
        return current.getRefreshToken() != null && clientId != null && clientSecret != null;
    }

    /**
     * A fresh access token after {@code staleAccessToken} was refused as expired: the current one if another call has
     * refreshed meanwhile, the refresh under way if there is one, or a new refresh.
     */
    CompletableFuture<Bitrix24Tokens> refreshAfter(String staleAccessToken, String method) {
        CompletableFuture<Bitrix24Tokens> refresh;
        synchronized (this) {
            if (!Objects.equals(current.getAccessToken(), staleAccessToken)) {
                return CompletableFuture.completedFuture(current);
            }
            if (refreshing != null) {
                return refreshing;
            }
            refresh = new CompletableFuture<>();
            refreshing = refresh;
        }
        LOG.debug("Access token expired on {}; refreshing it", method);
        transport.get(refreshUri()).handle((raw, error) -> {
            if (error != null) {
                throw Bitrix24ErrorMapper.fromTransportFailure("oauth/token", error);
            }
            JsonNode body = readJson(raw.body());
            String access = body == null ? null : body.path("access_token").asText(null);
            String refreshToken = body == null ? null : body.path("refresh_token").asText(null);
            if (raw.status() != 200 || access == null || refreshToken == null) {
                String code = body == null ? null : body.path("error").asText(null);
                String description = body == null ? "not a JSON answer" : body.path("error_description").asText("");
                throw new Bitrix24AuthenticationException(
                        "OAuth token refresh for " + method + " failed: HTTP " + raw.status() + ", error '"
                                                          + (code == null ? "" : code) + "': " + description,
                        method, raw.status(), code, description, false, null);
            }
            return new Bitrix24Tokens(access, refreshToken);
        }).whenComplete((tokens, error) -> {
            if (error == null) {
                // the old refresh token is spent: persist the new pair before anything uses it
                tokenStore.save(tokens);
                current = tokens;
            }
            synchronized (this) {
                refreshing = null;
            }
            if (error == null) {
                refresh.complete(tokens);
            } else {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                refresh.completeExceptionally(cause instanceof Bitrix24AuthenticationException
                        ? cause
                        : new Bitrix24AuthenticationException("OAuth token refresh for " + method + " failed: "
                                                              + cause.getMessage(), method, 0, null, null, false, cause));
            }
        });
        return refresh;
    }

    private JsonNode readJson(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            return node != null && node.isObject() ? node : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private URI refreshUri() {
        return URI.create(oauthServerUrl + "oauth/token/?grant_type=refresh_token"
                          + "&client_id=" + encode(clientId)
                          + "&client_secret=" + encode(clientSecret)
                          + "&refresh_token=" + encode(current.getRefreshToken()));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
