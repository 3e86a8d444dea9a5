package io.camelbitrix24.emulator;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.camelbitrix24.emulator.EmulatorHttp.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Several portals and their shared OAuth server, over real HTTP: each portal on its own, tokens never crossing. */
class Bitrix24CloudTest {

    private final EmulatorHttp http = new EmulatorHttp();
    private final Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(3).languages("en", "ru", "de").start();

    @AfterEach
    void stop() {
        cloud.close();
    }

    private HttpResponse<String> call(Bitrix24Emulator portal, String method, String token, String body)
            throws Exception {
        return http.post(portal.restUrl() + method + "?auth=" + token, body);
    }

    @Test
    void eachPortalHasItsOwnAddressIdentityRecordsAndLanguage() throws Exception {
        List<Bitrix24Emulator> portals = cloud.portals();
        assertEquals(3, new HashSet<>(portals.stream().map(Bitrix24Emulator::memberId).toList()).size());
        assertEquals(3, new HashSet<>(portals.stream().map(p -> p.domain().split(":")[0]).toList()).size(),
                "a loopback address each");
        portals.forEach(p -> assertTrue(p.memberId().matches("[0-9a-f]{32}"), p.memberId()));
        assertEquals(List.of("en", "ru", "de"), portals.stream().map(p -> p.language().code()).toList());

        int lead = cloud.portal(0).data().addLead("A", "NEW");
        assertEquals(lead, cloud.portal(1).data().addLead("B", "NEW"), "the same ids on every portal");
        String token = cloud.portal(1).access().issueTokens(1).accessToken();
        assertEquals(200, call(cloud.portal(1), "crm.lead.delete", token, "{\"id\":" + lead + "}").statusCode());
        assertFalse(cloud.portal(1).data().hasLead(lead));
        assertTrue(cloud.portal(0).data().hasLead(lead), "portal 0's lead of the same id is untouched");
        assertEquals(1, cloud.portal(1).requests().count("crm.lead.delete"));
        assertEquals(0, cloud.portal(0).requests().total(), "a request log per portal");
    }

    @Test
    void aPortalsTokenIsRefusedByEveryOtherPortal() throws Exception {
        int lead = cloud.portal(0).data().addLead("A", "NEW");
        String portal1Token = cloud.portal(1).access().issueTokens(1).accessToken();
        HttpResponse<String> refused = call(cloud.portal(0), "crm.lead.delete", portal1Token, "{\"id\":" + lead + "}");
        assertEquals(401, refused.statusCode());
        assertEquals("invalid_token", json(refused).path("error").asText());
        assertTrue(cloud.portal(0).data().hasLead(lead));
    }

    @Test
    void theOAuthServerRefreshesEachPortalsTokensWithThatPortalsIdentity() throws Exception {
        AccessControl.TokenPair tokens = cloud.portal(2).access().issueTokens(1);
        HttpResponse<String> refreshed = http.get(cloud.oauthServerUrl() + "/oauth/token/?grant_type=refresh_token"
                                                  + "&client_id=" + cloud.clientId() + "&client_secret="
                                                  + cloud.clientSecret() + "&refresh_token=" + tokens.refreshToken());
        assertEquals(200, refreshed.statusCode());
        JsonNode answer = json(refreshed);
        assertEquals(cloud.portal(2).memberId(), answer.path("member_id").asText());
        assertEquals(cloud.portal(2).restUrl(), answer.path("client_endpoint").asText());
        String fresh = answer.path("access_token").asText();
        assertNotEquals(tokens.accessToken(), fresh);
        int lead = cloud.portal(2).data().addLead("C", "NEW");
        assertEquals(200, call(cloud.portal(2), "crm.lead.delete", fresh, "{\"id\":" + lead + "}").statusCode());
        assertEquals(401, call(cloud.portal(0), "crm.lead.delete", fresh, "{\"id\":1}").statusCode());

        HttpResponse<String> spent = http.get(cloud.oauthServerUrl() + "/oauth/token/?grant_type=refresh_token"
                                              + "&client_id=" + cloud.clientId() + "&client_secret="
                                              + cloud.clientSecret() + "&refresh_token=" + tokens.refreshToken());
        assertEquals("invalid_grant", json(spent).path("error").asText(), "a refresh token is spent when used");
        assertEquals(2, cloud.oauthRequestCount());
    }

    @Test
    void appInfoNamesTheApplicationAndTheInstallationOfAToken() throws Exception {
        String token = cloud.portal(1).access().issueTokens(1).accessToken();
        JsonNode info = json(http.get(cloud.oauthServerUrl() + "/rest/app.info?auth=" + token)).path("result");
        assertEquals(cloud.clientId(), info.path("client_id").asText());
        assertEquals(cloud.portal(1).memberId(), info.path("install").path("member_id").asText());
        assertEquals(cloud.portal(1).domain(), info.path("install").path("domain").asText());
        assertEquals(cloud.portal(1).baseUrl(), info.path("install").path("uri").asText());
        assertTrue(info.path("install").path("installed").booleanValue());

        HttpResponse<String> unknown = http.get(cloud.oauthServerUrl() + "/rest/app.info?auth=0123456789abcdef");
        assertEquals(401, unknown.statusCode());
        assertEquals("invalid_token", json(unknown).path("error").asText());
    }

    @Test
    void installAndUninstallArePostedAsBitrix24PostsThem() throws Exception {
        List<Map<String, String>> received = new CopyOnWriteArrayList<>();
        HttpServer handler = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        handler.createContext("/events", exchange -> {
            try (exchange) {
                Map<String, String> fields = EmulatorHttp.formFields(exchange);
                fields.put("Content-Type", exchange.getRequestHeaders().getFirst("Content-Type"));
                received.add(fields);
                exchange.sendResponseHeaders(200, -1);
            }
        });
        handler.start();
        try {
            URI events = URI.create("http://127.0.0.1:" + handler.getAddress().getPort() + "/events");
            assertEquals(200, cloud.install(1, events));
            Map<String, String> install = received.get(0);
            assertEquals("ONAPPINSTALL", install.get("event"));
            assertEquals("application/x-www-form-urlencoded", install.get("Content-Type"));
            assertEquals(cloud.portal(1).memberId(), install.get("auth[member_id]"));
            assertEquals(cloud.portal(1).domain(), install.get("auth[domain]"));
            assertEquals(cloud.portal(1).restUrl(), install.get("auth[client_endpoint]"));
            assertEquals(cloud.portal(1).applicationToken(), install.get("auth[application_token]"));
            String token = install.get("auth[access_token]");
            int lead = cloud.portal(1).data().addLead("L", "NEW");
            assertEquals(200, call(cloud.portal(1), "crm.lead.delete", token, "{\"id\":" + lead + "}").statusCode(),
                    "the event's token works on its portal");

            assertEquals(200, cloud.uninstall(1, events));
            Map<String, String> uninstall = received.get(1);
            assertEquals("ONAPPUNINSTALL", uninstall.get("event"));
            assertEquals(install.get("auth[member_id]"), uninstall.get("auth[member_id]"));
            assertEquals(install.get("auth[application_token]"), uninstall.get("auth[application_token]"));
            assertFalse(uninstall.containsKey("auth[access_token]"), "API access is already revoked");
            assertEquals(401, call(cloud.portal(1), "crm.lead.delete", token, "{\"id\":1}").statusCode());
        } finally {
            handler.stop(0);
        }
    }

    @Test
    void aCloudOnOnePortGivesEachPortalItsAddressRecordsAndWebhook() throws Exception {
        int port = LoopbackPorts.freeOn("127.0.1.1", "127.0.1.2");
        try (Bitrix24Cloud onePort = Bitrix24Cloud.builder().portals(2).port(port).seedLeads(3).seedContacts(2)
                .webhook(1, "cloud-code").start()) {
            assertEquals("http://127.0.0.1:" + port, onePort.oauthServerUrl());
            for (int i = 0; i < 2; i++) {
                Bitrix24Emulator portal = onePort.portal(i);
                assertEquals("http://127.0.1." + (i + 1) + ":" + port + "/rest/", portal.restUrl());
                assertEquals(portal.restUrl() + "1/cloud-code/", portal.webhookUrl());
                assertEquals(3, portal.data().leadCount());
                assertEquals(2, portal.data().contactCount());
                HttpResponse<String> list = http.post(portal.webhookUrl() + "crm.lead.list", "{}");
                assertEquals(200, list.statusCode(), list.body());
                assertEquals(3, json(list).path("result").size());
            }
            assertEquals(200, http.post(onePort.portal(0).webhookUrl() + "crm.lead.delete", "{\"id\":1}").statusCode());
            assertEquals(2, onePort.portal(0).data().leadCount());
            assertEquals(3, onePort.portal(1).data().leadCount(), "a portal's own records");
        }
    }

    @Test
    void aPortalUninstalledThenInstalledAgainTakesTheNewTokensOnly() throws Exception {
        String first = Bitrix24Cloud.installation(cloud.installEvent(0)).accessToken();
        cloud.uninstallEvent(0);
        assertEquals(null, cloud.portal(0).applicationToken());
        Bitrix24Cloud.Installation again = Bitrix24Cloud.installation(cloud.installEvent(0));
        assertEquals(again.applicationToken(), cloud.portal(0).applicationToken());
        int lead = cloud.portal(0).data().addLead("L", "NEW");
        assertEquals(401, call(cloud.portal(0), "crm.lead.delete", first, "{\"id\":" + lead + "}").statusCode());
        assertEquals(200, call(cloud.portal(0), "crm.lead.delete", again.accessToken(), "{\"id\":" + lead + "}")
                .statusCode(), "the reinstall's token works");
    }
}
