package io.camelbitrix24.emulator;

import java.net.http.HttpResponse;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.camelbitrix24.emulator.AccessControl.Permission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CRM delete family beyond leads and contacts, over real HTTP, as the server's code answers: deals, companies,
 * quotes, activities, the item API on every type, the deal, company and contact bindings, and the reads that settle an
 * undecided answer; in English, Russian and the test-only pseudo-language.
 */
class CrmFamilyAnswersTest {

    private final EmulatorHttp http = new EmulatorHttp();
    private Bitrix24Emulator portal;

    @AfterEach
    void stop() {
        if (portal != null) {
            portal.close();
        }
    }

    private PortalData start(Bitrix24Emulator.Builder builder) {
        portal = builder.webhook(7, "c0de").start();
        return portal.data();
    }

    private HttpResponse<String> post(String method, String body) throws Exception {
        return http.post(portal.webhookUrl() + method, body);
    }

    private JsonNode result(String method, String body) throws Exception {
        HttpResponse<String> response = post(method, body);
        assertEquals(200, response.statusCode(), method + " " + body + ": " + response.body());
        return EmulatorHttp.json(response).get("result");
    }

    private void assertError(String method, String body, int status, String code, String description) throws Exception {
        HttpResponse<String> response = post(method, body);
        assertEquals(status, response.statusCode(), method + " " + body + ": " + response.body());
        JsonNode json = EmulatorHttp.json(response);
        assertEquals(code, json.get("error").asText(), response.body());
        assertEquals(description, json.get("error_description").asText(), method + " " + body);
    }

    @Test
    void eachTypeDeletesWithItsOwnIdSequenceAndAnswersTrue() throws Exception {
        PortalData data = start(Bitrix24Emulator.builder());
        int deal = data.addDeal("D");
        int company = data.addCompany("C");
        int quote = data.addQuote("Q");
        int activity = data.addActivity("Call");
        assertEquals(List.of(1, 1, 1, 1), List.of(deal, company, quote, activity), "each type has its own ids");
        for (String type : new String[] {"deal", "company", "quote", "activity"}) {
            assertTrue(result("crm." + type + ".delete", "{\"id\":1}").booleanValue(), type);
            assertError("crm." + type + ".delete", "{\"id\":0}", 400, "", "ID is not defined or invalid.");
            assertError("crm." + type + ".delete", "{\"id\":\"abc\"}", 400, "", "ID is not defined or invalid.");
        }
        assertFalse(data.hasDeal(deal) || data.hasCompany(company) || data.hasQuote(quote) || data.hasActivity(activity));
        assertEquals(0, data.activityCount() + data.count(EntityTypes.DEAL));
    }

    /** innerDelete asks the deal's category first: a missing deal never reaches the factory or the legacy delete. */
    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aMissingDealIsNotFoundOrAccessDeniedWithoutAPeriodInEitherFactoryMode(boolean legacy) throws Exception {
        PortalData data = start(Bitrix24Emulator.builder().language("ru").legacyDelete(legacy));
        int deal = data.addDeal("D");
        assertError("crm.deal.delete", "{\"id\":999}", 400, "", "Not found");
        portal.access().denyDelete(7);
        assertError("crm.deal.delete", "{\"id\":999}", 400, "", "Access denied");
        assertError("crm.deal.delete", "{\"id\":" + deal + "}", 400, "", "Access denied.");
        assertTrue(data.hasDeal(deal));
    }

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void aMissingCompanyHasNoTextAtAllAndThePermissionComesFirst(boolean legacy) throws Exception {
        start(Bitrix24Emulator.builder().language("ru").legacyDelete(legacy));
        assertError("crm.company.delete", "{\"id\":999}", 400, "", "");
        portal.access().denyDelete(7);
        assertError("crm.company.delete", "{\"id\":999}", 400, "", "Access denied.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "en|Item was not found.|false", "ru|Элемент не найден|true",
                                          "qps||true" })
    void aMissingQuoteIsAlwaysTheFactorysErrorCore(String language, String text, boolean legacy) throws Exception {
        start(Bitrix24Emulator.builder().language(language).legacyDelete(legacy));
        String expected = text == null ? PortalLanguage.of(language).message("CRM_TYPE_ITEM_NOT_FOUND") : text;
        assertError("crm.quote.delete", "{\"id\":999}", 400, "ERROR_CORE", expected);
        portal.access().denyDelete(7);
        assertError("crm.quote.delete", "{\"id\":999}", 400, "", "Access denied.");
    }

    /** CCrmActivity::GetByID checks read permission: an activity the user may not read is not found. */
    @Test
    void anActivityIsLookedUpWithReadPermissionBeforeTheDeletePermission() throws Exception {
        PortalData data = start(Bitrix24Emulator.builder().language("ru"));
        int activity = data.addActivity("Call");
        assertError("crm.activity.delete", "{\"id\":999}", 400, "", "Activity is not found.");
        portal.access().denyDelete(7);
        assertError("crm.activity.delete", "{\"id\":999}", 400, "", "Activity is not found.");
        assertError("crm.activity.delete", "{\"id\":" + activity + "}", 400, "", "Access denied.");
        portal.access().deny(7, Permission.READ);
        assertError("crm.activity.delete", "{\"id\":" + activity + "}", 400, "", "Activity is not found.");
        assertTrue(data.hasActivity(activity));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0|CRM entity \"\" is not supported.", "5|CRM entity \"Invoice (old version)\" is not supported.",
            "6|CRM entity \"Activity\" is not supported.", "8|CRM entity \"Details\" is not supported.",
            "999|CRM entity \"\" is not supported.", "192|CRM entity \"\" is not supported.",
            "255|CRM entity \"\" is not supported.", "1031|CRM entity \"\" is not supported." })
    void theItemApiNamesAnUnsupportedTypeByItsDescription(int entityTypeId, String text) throws Exception {
        start(Bitrix24Emulator.builder());
        String body = "{\"entityTypeId\":" + entityTypeId + ",\"id\":1}";
        assertError("crm.item.delete", body, 400, "ENTITY_TYPE_NOT_SUPPORTED", text);
        assertError("crm.item.list", body, 400, "ENTITY_TYPE_NOT_SUPPORTED", text);
    }

    @Test
    void theUnsupportedTypesDescriptionIsInThePortalsLanguage() throws Exception {
        start(Bitrix24Emulator.builder().language("ru"));
        // the ru text of CRM_COMMON_ERROR_ENTITY_TYPE_NOT_SUPPORT was not at hand: en, as a missing key falls back
        assertError("crm.item.delete", "{\"entityTypeId\":6,\"id\":1}", 400, "ENTITY_TYPE_NOT_SUPPORTED",
                "CRM entity \"Дело\" is not supported.");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "en|Smart Process Automation was not found|Item was not found.|Access denied",
            "ru|Смарт-процесс не найден|Элемент не найден|Доступ запрещен", "qps|||" })
    void smartProcessesAndSmartInvoicesAnswerAsEveryItemType(String language, String noType, String noItem,
                                                             String denied) throws Exception {
        PortalData data = start(Bitrix24Emulator.builder().language(language));
        PortalLanguage texts = PortalLanguage.of(language);
        for (int undeclared : new int[] {1038, 150, 36, 39}) {
            assertError("crm.item.delete", "{\"entityTypeId\":" + undeclared + ",\"id\":1}", 400, "NOT_FOUND",
                    noType == null ? texts.message("CRM_TYPE_TYPE_NOT_FOUND") : noType);
        }
        data.addSmartProcess(1038);
        int first = data.addItem(1038, "S");
        int invoice = data.addItem(31, "Invoice");
        assertError("crm.item.delete", "{\"entityTypeId\":1038,\"id\":999}", 400, "NOT_FOUND",
                noItem == null ? texts.message("CRM_TYPE_ITEM_NOT_FOUND") : noItem);
        assertEquals("[]", result("crm.item.delete", "{\"entityTypeId\":1038,\"id\":" + first + "}").toString());
        assertEquals("[]", result("crm.item.delete", "{\"entityTypeId\":31,\"id\":" + invoice + "}").toString());
        assertFalse(data.hasItem(1038, first) || data.hasItem(31, invoice));
        int second = data.addItem(1038, "S2");
        portal.access().denyDelete(7);
        // the item is looked up before the permission
        assertError("crm.item.delete", "{\"entityTypeId\":1038,\"id\":999}", 400, "NOT_FOUND",
                noItem == null ? texts.message("CRM_TYPE_ITEM_NOT_FOUND") : noItem);
        assertError("crm.item.delete", "{\"entityTypeId\":1038,\"id\":" + second + "}", 400, "ACCESS_DENIED",
                denied == null ? texts.message("CRM_COMMON_ERROR_ACCESS_DENIED") : denied);
    }

    @Test
    void theItemApiDeletesEveryClassicTypeToo() throws Exception {
        PortalData data = start(Bitrix24Emulator.builder());
        for (int type : new int[] {1, 2, 3, 4, 7}) {
            int id = data.addItem(type, "T");
            assertTrue(data.hasItem(type, id));
            assertEquals("[]", result("crm.item.delete", "{\"entityTypeId\":" + type + ",\"id\":" + id + "}").toString());
            assertFalse(data.hasItem(type, id), "type " + type);
        }
    }

    @Test
    void theDataRefusesTypesThePortalCannotHave() {
        PortalData data = new PortalData();
        for (int notDynamic : new int[] {5, 31, 127, 192, 1029, 1031}) {
            assertThrows(IllegalArgumentException.class, () -> data.addSmartProcess(notDynamic), "" + notDynamic);
        }
        assertThrows(IllegalArgumentException.class, () -> data.addItem(1040, "undeclared"));
        assertThrows(IllegalArgumentException.class, () -> data.addItem(6, "an activity is no item"));
        data.addSmartProcess(128);
        data.addSmartProcess(1040);
        assertEquals(1, data.addItem(128, "A"));
        assertEquals(1, data.addItem(1040, "B"));
        assertEquals(2, data.addItem(128, "C"));
    }

    @Test
    void dealsAndCompaniesAreSeededByTheBuilderAndTheCommandLine() throws Exception {
        EmulatorOptions options = EmulatorOptions.parse("--deals", "2", "--companies", "3");
        PortalData data = start(Bitrix24Emulator.builder().seedDeals(options.deals).seedCompanies(options.companies));
        assertEquals(List.of(2, 3), List.of(data.count(EntityTypes.DEAL), data.count(EntityTypes.COMPANY)));
        assertEquals(3, result("crm.company.list", "{}").size());
    }
}
