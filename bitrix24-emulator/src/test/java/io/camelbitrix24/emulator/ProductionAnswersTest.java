package io.camelbitrix24.emulator;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every row of "what production portals answer" (the project's Bitrix24 reference, section 7, checked against the
 * server's code), over real HTTP, in the portal languages that matter: English, Russian, and a language no client
 * table holds.
 */
class ProductionAnswersTest {

    private final EmulatorHttp http = new EmulatorHttp();
    private Bitrix24Emulator portal;

    @AfterEach
    void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    private Bitrix24Emulator start(Bitrix24Emulator.Builder builder) {
        portal = builder.webhook(7, "c0de").start();
        return portal;
    }

    private HttpResponse<String> post(String method, String body) throws Exception {
        return http.post(portal.webhookUrl() + method, body);
    }

    private static void assertError(HttpResponse<String> response, int status, String code, String description)
            throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = EmulatorHttp.json(response);
        assertEquals(code, body.get("error").asText(), response.body());
        assertEquals(description, body.get("error_description").asText(), response.body());
        assertFalse(body.has("time"), "error answers carry no time block");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "en|Item was not found.|Lead was not found.",
            "ru|Элемент не найден|Лид не найден",
            "ua|Елемент не знайдений|Лід не знайдено" })
    void aMissingLeadIsAnErrorCoreInThePortalsLanguage(String language, String factory, String legacy) throws Exception {
        start(Bitrix24Emulator.builder().language(language));
        assertError(post("crm.lead.delete", "{\"id\":999}"), 400, "ERROR_CORE", factory);
        portal.close();
        start(Bitrix24Emulator.builder().language(language).legacyDelete(true));
        assertError(post("crm.lead.delete", "{\"id\":999}"), 400, "ERROR_CORE", legacy);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "en|Item was not found.", "ru|Элемент не найден" })
    void aMissingContactIsAnErrorCoreOrOnALegacyPortalNothingAtAll(String language, String text) throws Exception {
        start(Bitrix24Emulator.builder().language(language));
        assertError(post("crm.contact.delete", "{\"id\":999}"), 400, "ERROR_CORE", text);
        portal.close();
        start(Bitrix24Emulator.builder().language(language).legacyDelete(true));
        assertError(post("crm.contact.delete", "{\"id\":999}"), 400, "", "");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "en|Item was not found.|Smart Process Automation was not found|Access denied",
            "ru|Элемент не найден|Смарт-процесс не найден|Доступ запрещен" })
    void theItemApiAnswersNotFoundAndAccessDeniedCodesWithLocalizedTexts(String language, String item, String type,
                                                                         String denied) throws Exception {
        start(Bitrix24Emulator.builder().language(language));
        assertError(post("crm.item.delete", "{\"entityTypeId\":1,\"id\":999}"), 400, "NOT_FOUND", item);
        assertError(post("crm.item.delete", "{\"entityTypeId\":150,\"id\":1}"), 400, "NOT_FOUND", type);
        assertEquals("ENTITY_TYPE_NOT_SUPPORTED",
                EmulatorHttp.json(post("crm.item.delete", "{\"entityTypeId\":9,\"id\":1}")).get("error").asText());
        assertEquals("100", EmulatorHttp.json(post("crm.item.delete", "{\"entityTypeId\":1,\"id\":\"5abc\"}")).get("error").asText(),
                "a controller's int parameter is not cast");
        int lead = portal.data().addLead("L", "NEW");
        portal.access().denyDelete(7);
        assertError(post("crm.item.delete", "{\"entityTypeId\":1,\"id\":" + lead + "}"), 400, "ACCESS_DENIED", denied);
        assertTrue(portal.data().hasLead(lead));
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "ru", PortalLanguage.PSEUDO })
    void noDeletePermissionIsAnEmptyCodeInEnglishCheckedBeforeTheRecordExists(String language) throws Exception {
        start(Bitrix24Emulator.builder().language(language));
        int lead = portal.data().addLead("L", "NEW");
        int contact = portal.data().addContact("C");
        portal.access().denyDelete(7);
        assertError(post("crm.lead.delete", "{\"id\":" + lead + "}"), 400, "", "Access denied.");
        assertError(post("crm.contact.delete", "{\"id\":" + contact + "}"), 400, "", "Access denied.");
        assertError(post("crm.lead.delete", "{\"id\":999}"), 400, "", "Access denied.");
        assertTrue(portal.data().hasLead(lead) && portal.data().hasContact(contact));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "en|[Contact #5] You don't have permission to view this item.",
            "ru|[Контакт #5] У Вас нет прав на просмотр этого элемента" })
    void unbindingOneContactChecksInTheServersOrder(String language, String noRead) throws Exception {
        start(Bitrix24Emulator.builder().language(language));
        int lead = portal.data().addLead("L", "NEW");
        assertError(post("crm.lead.contact.delete", "{\"id\":0,\"fields\":{\"CONTACT_ID\":5}}"), 400, "",
                "The parameter 'ownerEntityID' is invalid or not defined.");
        assertError(post("crm.lead.contact.delete", "{\"id\":999}"), 400, "", "The parameter 'item' must be array.");
        assertError(post("crm.lead.contact.delete", "{\"id\":999,\"fields\":{\"CONTACT_ID\":5}}"), 400, "", "Not found.");
        assertError(post("crm.lead.contact.delete", "{\"id\":" + lead + ",\"fields\":{\"CONTACT_ID\":0}}"), 400, "",
                "The parameter 'fields' is not valid.");
        HttpResponse<String> unbound = post("crm.lead.contact.delete", "{\"id\":" + lead + ",\"fields\":{\"CONTACT_ID\":5}}");
        assertEquals(200, unbound.statusCode());
        assertFalse(EmulatorHttp.json(unbound).get("result").booleanValue(), "a contact that is not bound answers false");

        portal.access().deny(7, AccessControl.Permission.READ);
        assertError(post("crm.lead.contact.delete", "{\"id\":" + lead + ",\"fields\":{\"CONTACT_ID\":5}}"), 400, "",
                noRead);
        portal.access().deny(7, AccessControl.Permission.UPDATE);
        assertError(post("crm.lead.contact.delete", "{\"id\":999,\"fields\":{\"CONTACT_ID\":5}}"), 403, "ACCESS_DENIED",
                "Access denied!");
    }

    @Test
    void unbindingEveryContactDoesNotCheckTheLeadExists() throws Exception {
        start(Bitrix24Emulator.builder());
        HttpResponse<String> missing = post("crm.lead.contact.items.delete", "{\"id\":999}");
        assertEquals(200, missing.statusCode());
        assertTrue(EmulatorHttp.json(missing).get("result").booleanValue());
        assertError(post("crm.lead.contact.items.delete", "{\"id\":0}"), 400, "",
                "The parameter ownerEntityID is invalid or not defined.");
        portal.access().deny(7, AccessControl.Permission.READ);
        assertError(post("crm.lead.contact.items.delete", "{\"id\":999}"), 403, "ACCESS_DENIED", "Access denied!");
    }

    @Test
    void textsAreWrittenWithThePortalsHexEscapes() throws Exception {
        start(Bitrix24Emulator.builder().language("ru"));
        String raw = post("crm.lead.contact.delete", "{\"id\":0}").body();
        assertTrue(raw.contains("The parameter \\u0027ownerEntityID\\u0027"), raw);
        assertTrue(post("crm.lead.delete", "{\"id\":999}").body().contains("Элемент не найден"), "unicode stays as it is");
    }

    @Test
    void aTestOnlyLanguageLocalizesEveryLangTextAndNoHardcodedOne() throws Exception {
        start(Bitrix24Emulator.builder().language(PortalLanguage.PSEUDO));
        String text = EmulatorHttp.json(post("crm.lead.delete", "{\"id\":999}")).get("error_description").asText();
        assertNotEquals("Item was not found.", text);
        assertTrue(text.startsWith("[!! ") && text.endsWith(" !!]"), text);
        assertError(post("crm.lead.contact.delete", "{\"id\":999,\"fields\":{\"CONTACT_ID\":5}}"), 400, "", "Not found.");
    }

    @Test
    void listsReadRecordsByIdInEveryLanguage() throws Exception {
        start(Bitrix24Emulator.builder().language("ru"));
        int a = portal.data().addLead("A", "NEW");
        int b = portal.data().addLead("B", "NEW");
        JsonNode one = EmulatorHttp.json(post("crm.lead.list", "{\"filter\":{\"ID\":" + a + "},\"select\":[\"ID\"]}"));
        assertEquals("[{\"ID\":\"" + a + "\"}]", one.get("result").toString());
        assertEquals(1, one.get("total").asInt());
        JsonNode many = EmulatorHttp.json(post("crm.lead.list", "{\"filter\":{\"@ID\":[" + a + "," + b + ",999]},\"select\":[\"ID\"]}"));
        assertEquals(2, many.get("result").size());
        JsonNode none = EmulatorHttp.json(post("crm.contact.list", "{\"filter\":{\"ID\":999},\"select\":[\"ID\"]}"));
        assertEquals("[]", none.get("result").toString());
        assertEquals(0, none.get("total").asInt());
        JsonNode items = EmulatorHttp.json(post("crm.item.list", "{\"entityTypeId\":1,\"filter\":{\"@id\":[" + b + ",999]},"
                                                   + "\"select\":[\"id\"]}"));
        assertEquals("{\"items\":[{\"id\":" + b + "}]}", items.get("result").toString());
    }

    /** CCrmContactRestProxy::innerGetList forces @CATEGORY_ID = 0; crm.item.list lists every category. */
    @Test
    void theContactListHoldsTheDefaultCategoryOnlyAndTheItemListEvery() throws Exception {
        start(Bitrix24Emulator.builder());
        int contractor = portal.data().addContact("Supplier", 5);
        int client = portal.data().addContact("Client");
        JsonNode contacts = EmulatorHttp.json(post("crm.contact.list", "{\"filter\":{\"@ID\":[" + contractor + ","
                                                                       + client + "]},\"select\":[\"ID\"]}"));
        assertEquals("[{\"ID\":\"" + client + "\"}]", contacts.get("result").toString());
        JsonNode items = EmulatorHttp.json(post("crm.item.list", "{\"entityTypeId\":3,\"filter\":{\"@id\":["
                                                                 + contractor + "," + client + "]},\"select\":[\"id\"]}"));
        assertEquals("{\"items\":[{\"id\":" + contractor + "},{\"id\":" + client + "}]}",
                items.get("result").toString());
    }

    @Test
    void haltIsAnyPhpTrueValue() throws Exception {
        start(Bitrix24Emulator.builder());
        for (String halt : List.of("1", "\"false\"", "\"N\"", "true")) {
            int third = portal.data().addLead("L", "NEW");
            JsonNode result = EmulatorHttp.json(post("batch", "{\"halt\":" + halt + ",\"cmd\":{\"a\":\"crm.lead.delete?id=999\","
                                                 + "\"b\":\"crm.lead.delete?id=" + third + "\"}}")).get("result");
            assertTrue(portal.data().hasLead(third), "halt " + halt + " stops the batch");
            assertEquals("[]", result.get("result").toString(), "an empty bucket is PHP's []");
        }
        for (String halt : List.of("0", "\"0\"", "\"\"", "false", "null")) {
            int third = portal.data().addLead("L", "NEW");
            post("batch", "{\"halt\":" + halt + ",\"cmd\":{\"a\":\"crm.lead.delete?id=999\",\"b\":\"crm.lead.delete?id="
                          + third + "\"}}");
            assertFalse(portal.data().hasLead(third), "halt " + halt + " goes on");
        }
    }

    @Test
    void theTimeBlockHasOperatingFieldsOnCloudAndNoneSelfHosted() throws Exception {
        start(Bitrix24Emulator.builder());
        JsonNode time = EmulatorHttp.json(post("crm.lead.list", "{}")).get("time");
        assertTrue(time.get("start").isIntegralNumber(), "start is truncated to whole seconds: " + time);
        assertEquals(0, time.get("processing").asInt());
        assertTrue(time.get("date_start").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00"), time.toString());
        assertTrue(time.has("operating") && time.has("operating_reset_at"), time.toString());
        portal.close();
        start(Bitrix24Emulator.builder().selfHosted(true));
        JsonNode selfHosted = EmulatorHttp.json(post("crm.lead.list", "{}")).get("time");
        assertFalse(selfHosted.has("operating") || selfHosted.has("operating_reset_at"), selfHosted.toString());
    }

    @Test
    void operatingTimeIsCountedPerWebhookAndBatchCommandsByTheirOwnTime() throws Exception {
        start(Bitrix24Emulator.builder());
        portal.access().addWebhook(8, "other", "crm");
        portal.limits().setOperatingLimit(Duration.ofMillis(250), Duration.ofSeconds(20));
        portal.limits().setLatency(Duration.ofMillis(150));
        assertEquals(200, post("crm.lead.list", "{}").statusCode());
        assertEquals(200, post("crm.lead.list", "{}").statusCode());
        assertError(post("crm.lead.list", "{}"), 429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.");
        HttpResponse<String> otherWebhook = http.post(portal.baseUrl() + "/rest/8/other/crm.lead.list", "{}");
        assertEquals(200, otherWebhook.statusCode(), "another webhook has its own budget");

        // a batch is never counted itself; its commands count by their own method (for webhooks under one key that
        // all webhooks' batches share: loadlimiter.php takes the application's id into a batch, not the webhook's)
        int lead = portal.data().addLead("L", "NEW");
        String twoReads = "{\"cmd\":{\"a\":\"crm.lead.get?id=" + lead + "\",\"b\":\"crm.lead.get?id=" + lead + "\"}}";
        JsonNode batch = EmulatorHttp.json(post("batch", twoReads));
        assertEquals(0, batch.get("time").get("operating").asInt());
        JsonNode again = EmulatorHttp.json(post("batch", twoReads));
        assertEquals("OPERATION_TIME_LIMIT", again.get("result").get("result_error").get("a").get("error").asText());
        assertEquals(3, portal.limits().timeLimitedCount(), "the direct call and both commands");
    }

    @Test
    void rateAndAuthAnswers() throws Exception {
        start(Bitrix24Emulator.builder());
        portal.limits().setRateLimit(1, 0.001);
        post("crm.lead.list", "{}");
        assertError(post("crm.lead.list", "{}"), 503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
        portal.limits().clearRateLimit();
        portal.setPortalDeleted(true);
        assertError(post("crm.lead.list", "{}"), 403, "PORTAL_DELETED", "Portal was deleted");
    }

    @Test
    void aRefreshAnswersTheServersFieldsAndARefusalNoDescription() throws Exception {
        start(Bitrix24Emulator.builder().oauthApplication("app", "secret"));
        AccessControl.TokenPair tokens = portal.access().issueTokens(1);
        String url = portal.oauthServerUrl() + "/oauth/token/?grant_type=refresh_token&client_id=app&client_secret=secret"
                     + "&refresh_token=" + tokens.refreshToken();
        JsonNode pair = EmulatorHttp.json(http.get(url));
        List<String> fields = List.of("access_token", "expires", "expires_in", "scope", "domain", "server_endpoint",
                "status", "client_endpoint", "member_id", "user_id", "refresh_token");
        assertEquals(fields, iterable(pair));
        assertEquals("crm", pair.get("scope").asText());
        HttpResponse<String> spent = http.get(url);
        assertEquals(400, spent.statusCode());
        assertEquals("{\"error\":\"invalid_grant\"}", spent.body());
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void unknownLanguagesAreRefused() {
        assertInstanceOf(IllegalArgumentException.class,
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> Bitrix24Emulator.builder().language("xx")));
    }

    @Test
    void scopeListsTheCallersScopesAndNeedsNoneItself() throws Exception {
        start(Bitrix24Emulator.builder());
        portal.access().addWebhook(9, "tasks-only", "task", "user");
        JsonNode own = EmulatorHttp.json(post("scope", "{}"));
        assertEquals("[\"crm\"]", own.get("result").toString());
        JsonNode other = EmulatorHttp.json(http.post(portal.baseUrl() + "/rest/9/tasks-only/scope", "{}"));
        assertEquals("[\"task\",\"user\"]", other.get("result").toString());
        assertError(http.post(portal.baseUrl() + "/rest/9/tasks-only/crm.lead.delete", "{\"id\":1}"), 401,
                "insufficient_scope", "The request requires higher privileges than provided by the webhook token");
    }
}
