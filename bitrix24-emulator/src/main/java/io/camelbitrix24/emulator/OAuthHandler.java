package io.camelbitrix24.emulator;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The OAuth server's refresh grant, {@code GET /oauth/token/?grant_type=refresh_token&client_id=..&client_secret=..
 * &refresh_token=..}: answers a new access token and a new refresh token, spending the old one, for the portal that
 * issued it (one OAuth server serves every portal, as oauth.bitrix.info does), with that portal's {@code member_id}
 * and {@code client_endpoint}.
 */
final class OAuthHandler implements HttpHandler {

    private final Collection<Bitrix24Emulator> portals;
    private final AtomicLong refreshes = new AtomicLong();
    private volatile long delayMillis;
    private final AtomicLong unavailable = new AtomicLong();

    OAuthHandler(Collection<Bitrix24Emulator> portals) {
        this.portals = portals;
    }

    void setDelayMillis(long delayMillis) {
        this.delayMillis = delayMillis;
    }

    void failNext(int count) {
        unavailable.set(count);
    }

    long refreshCount() {
        return refreshes.get();
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            AnswerWriter.readBody(exchange.getRequestBody());
            refreshes.incrementAndGet();
            if (delayMillis > 0) {
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                AnswerWriter.send(exchange, new Answer(503, "text/html", new byte[0]));
                return;
            }
            Map<String, Object> query = RequestParams.parse(exchange.getRequestURI().getRawQuery(), null, new byte[0]);
            Answer answer;
            if (!"refresh_token".equals(query.get("grant_type"))) {
                answer = Answer.error(400, "invalid_request", "Unsupported grant_type");
            } else {
                String refreshToken = (String) query.get("refresh_token");
                // the portal that issued the token; another spends nothing and refuses it
                Bitrix24Emulator portal = portals.stream().filter(p -> p.access().holdsRefreshToken(refreshToken))
                        .findFirst().orElse(portals.iterator().next());
                AccessControl access = portal.access();
                try {
                    AccessControl.TokenPair pair = access.refresh(
                            (String) query.get("client_id"), (String) query.get("client_secret"),
                            refreshToken);
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("access_token", pair.accessToken());
                    body.put("expires", System.currentTimeMillis() / 1000 + pair.expiresInSeconds());
                    body.put("expires_in", pair.expiresInSeconds());
                    // the application's scopes, comma-separated (docs settings/oauth/auto-renewal.md)
                    body.put("scope", String.join(",", new java.util.TreeSet<>(access.appScopes())));
                    body.put("domain", "oauth.bitrix.info");
                    body.put("server_endpoint", "https://oauth.bitrix.info/rest/");
                    body.put("status", "L");
                    body.put("client_endpoint", portal.restUrl());
                    body.put("member_id", portal.memberId());
                    body.put("user_id", 1);
                    body.put("refresh_token", pair.refreshToken());
                    answer = new Answer(200, "application/json; charset=utf-8", Json.write(body));
                } catch (MethodException e) {
                    answer = Answer.error(e.error());
                }
            }
            AnswerWriter.send(exchange, answer);
        }
    }
}
