package io.camelbitrix24.emulator;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * {@code app.info} on the OAuth server ({@code {server_endpoint}app.info?auth=<access token>}, GET or POST): which
 * application the token belongs to and on which installation, so that an application can check an install event
 * before it trusts the event's tokens. Bitrix24 documents only the portal's own {@code app.info}
 * (b24restdocs api-reference/common/system/app-info.md); the OAuth server's answer follows the official SDKs that read
 * it: b24pysdk schemas/api.py l.65-87 ({@code result}: {@code client_id}, {@code scope}, {@code expires},
 * {@code user_id}, {@code install} with {@code installed}, {@code version}, {@code status}, {@code scope},
 * {@code domain}, {@code uri}, {@code client_endpoint}, {@code member_id}, {@code member_type}; credentials/auth.py
 * l.108-114 compares {@code member_id} and {@code domain} with the event's) and b24phpsdk Services/Main/Service/Main.php
 * l.246-256 ({@code install.uri} is the portal's address). A token no portal issued, or one expired, answers the REST
 * auth error.
 */
final class AppInfoHandler implements HttpHandler {

    private final Collection<Bitrix24Emulator> portals;

    AppInfoHandler(Collection<Bitrix24Emulator> portals) {
        this.portals = portals;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = AnswerWriter.readBody(exchange.getRequestBody());
            Map<String, Object> params = RequestParams.parse(exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body);
            Object auth = params.get("auth");
            String token = auth instanceof String text ? text : null;
            Bitrix24Emulator portal = null;
            Integer userId = null;
            for (Bitrix24Emulator candidate : portals) {
                userId = candidate.access().userOfValidAccessToken(token);
                if (userId != null) {
                    portal = candidate;
                    break;
                }
            }
            Answer answer;
            if (token == null || token.isEmpty()) {
                answer = Answer.error(Bitrix24Error.NO_AUTH_FOUND);
            } else if (portal == null) {
                answer = Answer.error(Bitrix24Error.INVALID_TOKEN);
            } else {
                Map<String, Object> install = new LinkedHashMap<>();
                install.put("installed", true);
                install.put("version", 1);
                install.put("status", "L");
                install.put("scope", "crm");
                install.put("domain", portal.domain());
                install.put("uri", portal.baseUrl());
                install.put("client_endpoint", portal.restUrl());
                install.put("member_id", portal.memberId());
                install.put("member_type", "company");
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("client_id", portal.access().clientId());
                result.put("scope", "crm");
                result.put("expires", Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.SECONDS).toString());
                result.put("user_id", userId);
                result.put("install", install);
                Map<String, Object> answerBody = new LinkedHashMap<>();
                answerBody.put("result", result);
                answer = new Answer(200, AnswerWriter.JSON, Json.write(answerBody));
            }
            AnswerWriter.send(exchange, answer);
        }
    }
}
