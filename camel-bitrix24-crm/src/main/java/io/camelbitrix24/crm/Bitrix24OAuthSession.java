package io.camelbitrix24.crm;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.http.HttpTransport;
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
    // told of a final refusal with the refresh token it refused; null when no one needs to know
    private final BiConsumer<String, Bitrix24AuthenticationException> onRefusal;
    /**
     * The token pair in use, when it was received and how long the OAuth server said its access token lives (0 when not
     * known: configured or stored tokens). One immutable value, so a reader never pairs a token with another's lifetime.
     */
    private record Issued(Bitrix24Tokens tokens, long receivedAtMillis, long lifetimeMillis) {
    }

    private volatile Issued current;
    private CompletableFuture<Bitrix24Tokens> refreshing;
    /** The refresh token the OAuth server refused, and how: it is not offered again (the refusal is final). */
    private String refusedRefreshToken;
    private Bitrix24AuthenticationException refusal;

    Bitrix24OAuthSession(HttpTransport transport, ObjectMapper mapper, String oauthServerUrl, String clientId,
                         String clientSecret, Bitrix24TokenStore tokenStore, Bitrix24Tokens configured) {
        this(transport, mapper, oauthServerUrl, clientId, clientSecret, tokenStore, configured, null);
    }

    /** {@code onRefusal}: told when the OAuth server refuses a refresh for good, with the refresh token it refused. */
    Bitrix24OAuthSession(HttpTransport transport, ObjectMapper mapper, String oauthServerUrl, String clientId,
                         String clientSecret, Bitrix24TokenStore tokenStore, Bitrix24Tokens configured,
                         BiConsumer<String, Bitrix24AuthenticationException> onRefusal) {
        this.onRefusal = onRefusal;
        this.transport = transport;
        this.mapper = mapper;
        this.oauthServerUrl = oauthServerUrl.endsWith("/") ? oauthServerUrl : oauthServerUrl + "/";
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.tokenStore = tokenStore;
        Bitrix24Tokens stored = tokenStore.load();
        this.current = new Issued(stored != null ? stored : configured, 0, 0);
    }

    String accessToken() {
        return current.tokens().getAccessToken();
    }

    /**
     * True unless {@code refusedToken} is the current token and is too young to have expired: a portal that refuses a
     * token within the first half of the lifetime it was issued with refuses every new one, and refreshing again would
     * loop. A token that aged past its lifetime (waiting in a long queue, say) may be refreshed again.
     */
    boolean mayHaveExpired(String refusedToken) {
        Issued issued = current;
        if (!Objects.equals(issued.tokens().getAccessToken(), refusedToken) || issued.lifetimeMillis() == 0) {
            return true;
        }
        return System.currentTimeMillis() - issued.receivedAtMillis() >= issued.lifetimeMillis() / 2;
    }

    boolean canRefresh() {
        return current.tokens().getRefreshToken() != null && clientId != null && clientSecret != null;
    }

    /**
     * A fresh access token after {@code staleAccessToken} was refused as expired: the current one if another call has
     * refreshed meanwhile, the refresh under way if there is one, or a new refresh.
     */
    CompletableFuture<Bitrix24Tokens> refreshAfter(String staleAccessToken, String method) {
        CompletableFuture<Bitrix24Tokens> refresh;
        synchronized (this) {
            if (!Objects.equals(current.tokens().getAccessToken(), staleAccessToken)) {
                return CompletableFuture.completedFuture(current.tokens());
            }
            if (refreshing != null) {
                return refreshing;
            }
            if (refusal != null && Objects.equals(current.tokens().getRefreshToken(), refusedRefreshToken)) {
                // the pair may have been renewed elsewhere (another instance sharing the token store)
                Bitrix24Tokens stored = tokenStore.load();
                if (stored == null || Objects.equals(stored.getRefreshToken(), refusedRefreshToken)) {
                    return CompletableFuture.failedFuture(refusal);
                }
                current = new Issued(stored, 0, 0);
                return CompletableFuture.completedFuture(stored);
            }
            refresh = new CompletableFuture<>();
            refreshing = refresh;
        }
        LOG.debug("Access token expired on {}; refreshing it", method);
        long requestedAt = System.currentTimeMillis();
        String refreshTokenUsed = current.tokens().getRefreshToken();
        transport.getFirst(refreshUri(refreshTokenUsed)).handle((raw, error) -> {
            if (error != null) {
                throw Bitrix24ErrorMapper.fromTransportFailure("oauth/token", error);
            }
            JsonNode body = readJson(raw.body());
            String access = body == null ? null : body.path("access_token").asText(null);
            String refreshToken = body == null ? null : body.path("refresh_token").asText(null);
            if (raw.status() != 200 || access == null || refreshToken == null) {
                String code = body == null ? null : body.path("error").asText(null);
                String description = body == null ? "not a JSON answer" : body.path("error_description").asText("");
                // the OAuth server's own failures (5xx) may pass; its refusals (4xx: invalid_grant, ...) do not
                throw new Bitrix24AuthenticationException(
                        "OAuth token refresh for " + method + " failed: HTTP " + raw.status() + ", error '"
                                                          + (code == null ? "" : code) + "': " + description,
                        method, raw.status(), code, description, raw.status() >= 500, null);
            }
            long lifetimeMillis = Math.max(0, body.path("expires_in").asLong(0)) * 1000;
            return new Issued(new Bitrix24Tokens(access, refreshToken), requestedAt, lifetimeMillis);
        }).whenComplete((issued, error) -> {
            if (error == null) {
                // the old refresh token is spent: persist the new pair before anything uses it
                tokenStore.save(issued.tokens());
                current = issued;
            }
            synchronized (this) {
                refreshing = null;
                if (error != null && Bitrix24Client.unwrap(error) instanceof Bitrix24AuthenticationException refused
                        && !refused.isRetryable()) {
                    refusedRefreshToken = refreshTokenUsed;
                    refusal = refused;
                }
            }
            if (onRefusal != null && error != null
                && Bitrix24Client.unwrap(error) instanceof Bitrix24AuthenticationException refused && !refused.isRetryable()) {
                onRefusal.accept(refreshTokenUsed, refused);
            }
            if (error == null) {
                refresh.complete(issued.tokens());
            } else {
                Throwable cause = Bitrix24Client.unwrap(error);
                // no answer from the OAuth server: the call may try again, within its retries
                boolean retryable = cause instanceof Bitrix24Exception failure && failure.isRetryable();
                refresh.completeExceptionally(cause instanceof Bitrix24AuthenticationException
                        ? cause
                        : new Bitrix24AuthenticationException("OAuth token refresh for " + method + " failed: "
                                                              + cause.getMessage(), method, 0, null, null, retryable, cause));
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

    private URI refreshUri(String refreshToken) {
        return URI.create(oauthServerUrl + "oauth/token/?grant_type=refresh_token"
                          + "&client_id=" + encode(clientId)
                          + "&client_secret=" + encode(clientSecret)
                          + "&refresh_token=" + encode(refreshToken));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
