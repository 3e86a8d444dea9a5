package io.camelbitrix24.emulator;

import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A test of the CRM methods over real HTTP: one portal per test, called through webhook user 7. */
abstract class CrmMethodsOverHttp {

    private final EmulatorHttp http = new EmulatorHttp();
    protected Bitrix24Emulator portal;

    @AfterEach
    void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    protected PortalData start(Bitrix24Emulator.Builder builder) {
        portal = builder.webhook(7, "c0de").start();
        return portal.data();
    }

    protected HttpResponse<String> post(String method, String body) throws Exception {
        return http.post(portal.webhookUrl() + method, body);
    }

    /** The {@code result} of a call that must succeed. */
    protected JsonNode result(String method, String body) throws Exception {
        HttpResponse<String> response = post(method, body);
        assertEquals(200, response.statusCode(), method + " " + body + ": " + response.body());
        return EmulatorHttp.json(response).get("result");
    }

    protected void assertError(String method, String body, int status, String code, String description)
            throws Exception {
        HttpResponse<String> response = post(method, body);
        assertEquals(status, response.statusCode(), method + " " + body + ": " + response.body());
        JsonNode json = EmulatorHttp.json(response);
        assertEquals(code, json.get("error").asText(), response.body());
        assertEquals(description, json.get("error_description").asText(), method + " " + body);
    }
}
