package io.camelbitrix24.crm;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelbitrix24.crm.internal.HttpTransport;

/**
 * Calls a Bitrix24 method: picks the URL and auth (webhook path, or OAuth {@code auth} field), sends it, reads the answer,
 * and for OAuth refreshes an expired access token once and repeats the call. Answers a future that fails with a
 * {@link Bitrix24Exception}.
 */
final class Bitrix24Client {

    private final HttpTransport transport;
    private final ObjectMapper mapper;
    private final Bitrix24ResponseParser parser;
    private final String restBase;
    private final Bitrix24OAuthSession oauth;

    /** A client for webhook auth ({@code oauth} null, {@code restBase} the webhook URL) or OAuth ({@code {portal}/rest/}). */
    Bitrix24Client(HttpTransport transport, ObjectMapper mapper, String restBase, Bitrix24OAuthSession oauth) {
        this.transport = transport;
        this.mapper = mapper;
        this.parser = new Bitrix24ResponseParser(mapper);
        this.restBase = restBase.endsWith("/") ? restBase : restBase + "/";
        this.oauth = oauth;
    }

    CompletableFuture<Bitrix24Response> call(Bitrix24Call call) {
        if (oauth == null) {
            return send(call.method(), call.params());
        }
        String token = oauth.accessToken();
        return send(call.method(), withAuth(call.params(), token)).exceptionallyCompose(error -> {
            Throwable cause = unwrap(error);
            if (cause instanceof Bitrix24AuthenticationException auth && Bitrix24ErrorMapper.isExpiredToken(auth)
                    && oauth.canRefresh()) {
                return oauth.refreshAfter(token, call.method())
                        .thenCompose(tokens -> send(call.method(), withAuth(call.params(), tokens.getAccessToken())));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private CompletableFuture<Bitrix24Response> send(String method, ObjectNode params) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(params);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
        return transport.postJson(URI.create(restBase + method), body).handle((raw, error) -> {
            if (error != null) {
                throw Bitrix24ErrorMapper.fromTransportFailure(method, unwrap(error));
            }
            return parser.parse(method, raw);
        });
    }

    private static ObjectNode withAuth(ObjectNode params, String token) {
        ObjectNode copy = params.deepCopy();
        copy.put("auth", token);
        return copy;
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
