package io.camelbitrix24.emulator;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator's answers, checked over real HTTP with the JDK client: the shapes the reference describes. */
class Bitrix24EmulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private Bitrix24Emulator portal;

    @BeforeEach
    void start() {
        portal = Bitrix24Emulator.builder().webhook(7, "s3cr3tcode").start();
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    private final EmulatorHttp client = new EmulatorHttp();

    private HttpResponse<String> post(String url, String body) throws Exception {
        return client.post(url, body);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return EmulatorHttp.json(response);
    }

    @Test
    void leadDeleteAnswersTrueWithTimeBlockAndRemovesTheLead() throws Exception {
        int lead = portal.data().addLead("A", "NEW");
        HttpResponse<String> response = post(portal.webhookUrl() + "crm.lead.delete", "{\"id\":" + lead + "}");
        assertEquals(200, response.statusCode());
        JsonNode body = json(response);
        assertTrue(body.get("result").booleanValue());
        for (String field : List.of("start", "finish", "duration", "processing", "date_start", "date_finish",
                "operating_reset_at", "operating")) {
            assertTrue(body.get("time").has(field), field);
        }
        assertFalse(portal.data().hasLead(lead));
        assertEquals(1, portal.requests().count("crm.lead.delete"));
    }

    @Test
    void acceptsUpperCaseIdNumericStringAndJsonSuffix() throws Exception {
        int contact = portal.data().addContact("C");
        HttpResponse<String> response = post(portal.webhookUrl() + "crm.contact.delete.json", "{\"ID\":\"" + contact + "\"}");
        assertEquals(200, response.statusCode());
        assertFalse(portal.data().hasContact(contact));
        assertEquals(1, portal.requests().count("crm.contact.delete"));
    }

    @Test
    void acceptsQueryAndFormParameters() throws Exception {
        int lead = portal.data().addLead("A", "NEW");
        int contact = portal.data().addContact("C");
        portal.data().bindContact(lead, contact);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(portal.webhookUrl() + "crm.lead.contact.delete"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("id=" + lead + "&fields%5BCONTACT_ID%5D=" + contact)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(json(response).get("result").booleanValue());
        assertEquals(List.of(), portal.data().contactsOfLead(lead));

        int other = portal.data().addLead("B", "NEW");
        response = http.send(HttpRequest.newBuilder(URI.create(portal.webhookUrl() + "crm.lead.delete.json?id=" + other))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertFalse(portal.data().hasLead(other));
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "-1", "\"abc\"", "null", "\"\"", "false", "\"-5\"", "[]", "\"0x1A\"" })
    void idsThatCastToNothingAnswer400WithEmptyCode(String id) throws Exception {
        HttpResponse<String> response = post(portal.webhookUrl() + "crm.lead.delete", "{\"id\":" + id + "}");
        assertEquals(400, response.statusCode());
        assertEquals("", json(response).get("error").asText());
        assertEquals("ID is not defined or invalid.", json(response).get("error_description").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"12abc\"", "12.9", "\" 12\"", "\"1.2e1\"", "\"12.5abc\"" })
    void idsAreCastAsPhpDoesSoATrailingTextDeletesTheRecordItStartsWith(String id) throws Exception {
        for (int i = 0; i < 12; i++) {
            portal.data().addLead("L" + i, "NEW");
        }
        HttpResponse<String> response = post(portal.webhookUrl() + "crm.lead.delete", "{\"id\":" + id + "}");
        assertEquals(200, response.statusCode(), response.body());
        assertFalse(portal.data().hasLead(12), "(int) " + id + " is 12");
        assertTrue(portal.data().hasLead(1));
    }

    @Test
    void unboundContactAnswersResultFalse() throws Exception {
        int lead = portal.data().addLead("A", "NEW");
        int contact = portal.data().addContact("C");
        HttpResponse<String> response = post(portal.webhookUrl() + "crm.lead.contact.delete",
                "{\"id\":" + lead + ",\"fields\":{\"CONTACT_ID\":" + contact + "}}");
        assertEquals(200, response.statusCode());
        assertFalse(json(response).get("result").booleanValue());
    }

    @Test
    void itemDeleteAnswersEmptyArray() throws Exception {
        int contact = portal.data().addContact("C");
        JsonNode body = json(post(portal.webhookUrl() + "crm.item.delete", "{\"entityTypeId\":3,\"id\":" + contact + "}"));
        assertTrue(body.get("result").isArray());
        assertEquals(0, body.get("result").size());
        assertFalse(portal.data().hasContact(contact));
    }

    @Test
    void authErrors() throws Exception {
        HttpResponse<String> wrongCode = post(portal.baseUrl() + "/rest/7/wrong/crm.lead.delete", "{\"id\":1}");
        assertEquals(401, wrongCode.statusCode());
        assertEquals("INVALID_CREDENTIALS", json(wrongCode).get("error").asText());
        assertEquals("Invalid request credentials", json(wrongCode).get("error_description").asText());

        HttpResponse<String> noToken = post(portal.baseUrl() + "/rest/crm.lead.delete", "{\"id\":1}");
        assertEquals("NO_AUTH_FOUND", json(noToken).get("error").asText());

        HttpResponse<String> badToken = post(portal.baseUrl() + "/rest/crm.lead.delete", "{\"id\":1,\"auth\":\"nope\"}");
        assertEquals("invalid_token", json(badToken).get("error").asText());

        AccessControl.TokenPair tokens = portal.access().issueTokens(7);
        portal.access().expireAllAccessTokens();
        HttpResponse<String> expired = post(portal.baseUrl() + "/rest/crm.lead.delete",
                "{\"id\":1,\"auth\":\"" + tokens.accessToken() + "\"}");
        assertEquals(401, expired.statusCode());
        assertEquals("expired_token", json(expired).get("error").asText());
        assertEquals("The access token provided has expired", json(expired).get("error_description").asText());

        portal.access().deactivateUser(7);
        HttpResponse<String> inactive = post(portal.webhookUrl() + "crm.lead.delete", "{\"id\":1}");
        assertEquals(401, inactive.statusCode());
        assertEquals("authorization_error", json(inactive).get("error").asText());
        assertEquals("Unable to authorize user", json(inactive).get("error_description").asText());

        // the method is looked up before the credentials
        HttpResponse<String> unknownMethod = post(portal.baseUrl() + "/rest/7/wrong/crm.lead.explode", "{}");
        assertEquals(404, unknownMethod.statusCode());
        assertEquals("ERROR_METHOD_NOT_FOUND", json(unknownMethod).get("error").asText());
    }

    @Test
    void refreshSpendsTheOldRefreshToken() throws Exception {
        portal.close();
        portal = Bitrix24Emulator.builder().oauthApplication("app", "appsecret").start();
        AccessControl.TokenPair tokens = portal.access().issueTokens(1);
        String url = portal.oauthServerUrl() + "/oauth/token/?grant_type=refresh_token&client_id=app&client_secret=appsecret"
                     + "&refresh_token=" + tokens.refreshToken();
        HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, first.statusCode());
        JsonNode pair = json(first);
        assertFalse(pair.get("refresh_token").asText().equals(tokens.refreshToken()));
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, again.statusCode());
        assertEquals("invalid_grant", json(again).get("error").asText());
        // the new access token works
        int lead = portal.data().addLead("A", "NEW");
        HttpResponse<String> call = post(portal.baseUrl() + "/rest/crm.lead.delete",
                "{\"id\":" + lead + ",\"auth\":\"" + pair.get("access_token").asText() + "\"}");
        assertEquals(200, call.statusCode());
    }

    @Test
    void httpsWithBundledCertificate() throws Exception {
        portal.close();
        portal = Bitrix24Emulator.builder().https(true).webhook(1, "tlscode").start();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(Bitrix24Emulator.TRUSTSTORE_RESOURCE)) {
            trust.load(in, Bitrix24Emulator.STORE_PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient tls = HttpClient.newBuilder().sslContext(ssl).build();
        int lead = portal.data().addLead("A", "NEW");
        HttpResponse<String> response = tls.send(HttpRequest.newBuilder(URI.create(portal.webhookUrl() + "crm.lead.delete"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":" + lead + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        assertTrue(portal.webhookUrl().startsWith("https://"));
    }

    @Test
    void plainHttpOnACloudPortalAnswersInvalidRequest() throws Exception {
        portal.setHttpsRequired(true);
        HttpResponse<String> response = post(portal.webhookUrl() + "crm.lead.delete", "{\"id\":1}");
        // rest/lib/apauth/auth.php l.50-54: an OAuthException, 401 (the docs say 400)
        assertEquals(401, response.statusCode());
        assertEquals("INVALID_REQUEST", json(response).get("error").asText());
    }

    @Test
    void scriptedAnswersReplaceTheNextCalls() throws Exception {
        portal.script(Answer.error(Bitrix24Error.QUERY_LIMIT_EXCEEDED), Answer.proxyErrorPage());
        assertEquals(503, post(portal.webhookUrl() + "crm.lead.delete", "{\"id\":1}").statusCode());
        HttpResponse<String> page = post(portal.webhookUrl() + "crm.lead.delete", "{\"id\":1}");
        assertEquals(502, page.statusCode());
        assertTrue(page.body().contains("Bad Gateway"));
        assertEquals(2, portal.requests().total());
        assertEquals(Map.of("id", 1), portal.requests().last().params());
    }

    @Test
    void theStandaloneUsageStatesTheDefaultsItReallyUses() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        EmulatorMain.usage(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        String usage = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(usage.contains("default " + EmulatorMain.DEFAULT_PORT), usage);
        assertTrue(usage.contains("default 1/" + EmulatorMain.DEFAULT_WEBHOOK_CODE), usage);
        assertTrue(usage.contains("--export-truststore") && usage.contains("--lang"), usage);
    }

    @Test
    void theExportedTrustStoreTrustsTheEmulator(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("nested/truststore.p12");
        Bitrix24Emulator.exportTrustStore(file);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            trust.load(in, Bitrix24Emulator.STORE_PASSWORD.toCharArray());
        }
        assertTrue(trust.size() > 0);
        portal.close();
        portal = Bitrix24Emulator.builder().https(true).webhook(1, "tlscode").start();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpResponse<String> response = HttpClient.newBuilder().sslContext(ssl).build().send(HttpRequest.newBuilder(
                URI.create(portal.webhookUrl() + "crm.lead.list")).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
    }
}
