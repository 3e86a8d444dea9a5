package io.camelbitrix24.crm.internal.auth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.FailureKind;
import io.camelbitrix24.crm.internal.call.TransportFailures;
import io.camelbitrix24.crm.internal.call.Urls;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;

/**
 * The OAuth server, as an application asks it for a new pair: one refresh, the pair it issued or its typed refusal.
 * The request carries the client secret and the refresh token, so no failure quotes it.
 */
final class OAuthServer {

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final String url;
    private final String clientId;
    private final String clientSecret;

    OAuthServer(HttpTransport transport, ObjectMapper mapper, String url, String clientId, String clientSecret) {
        this.transport = transport;
        this.mapper = mapper;
        this.url = Urls.withSlash(url);
        this.clientId = clientId;
        this.clientSecret = clientSecret;
    }

    /** Whether a refresh can be asked for at all: the application's credentials are known. */
    boolean hasCredentials() {
        return clientId != null && clientSecret != null;
    }

    /** One refresh at the OAuth server: the new pair, or the typed refusal. */
    CompletableFuture<Issued> refresh(String refreshToken, String method) {
        long requestedAt = System.currentTimeMillis();
        return transport.getFirst(refreshUri(refreshToken)).handle((raw, error) -> {
            if (error != null) {
                throw TransportFailures.of("oauth/token", error);
            }
            JsonNode body = readJson(raw.body());
            String access = body == null ? null : body.path("access_token").asText(null);
            String newRefreshToken = body == null ? null : body.path("refresh_token").asText(null);
            if (raw.status() != 200 || access == null || newRefreshToken == null) {
                String code = body == null ? null : body.path("error").asText(null);
                String description = body == null ? "not a JSON answer" : body.path("error_description").asText("");
                // the OAuth server's own failures (5xx) may pass; its refusals (4xx: invalid_grant, ...) do not
                throw new Failure(FailureKind.AUTHENTICATION,
                        "OAuth token refresh for " + method + " failed: HTTP " + raw.status() + ", error '"
                                                              + (code == null ? "" : code) + "': " + description,
                        method, raw.status(), code, description, raw.status() >= 500, false, null);
            }
            long lifetimeMillis = Math.max(0, body.path("expires_in").asLong(0)) * 1000;
            return new Issued(new Bitrix24Tokens(access, newRefreshToken), requestedAt, lifetimeMillis,
                    body.path("member_id").asText(null), body.path("client_endpoint").asText(null));
        });
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
        return URI.create(url + "oauth/token/?grant_type=refresh_token"
                          + "&client_id=" + encode(clientId)
                          + "&client_secret=" + encode(clientSecret)
                          + "&refresh_token=" + encode(refreshToken));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
