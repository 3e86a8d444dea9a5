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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deal, company and contact binding methods (CCrmEntityBindingProxy), the list reads of every type and a batch of
 * mixed deletes, over real HTTP.
 */
class CrmBindingsAndListsTest {

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

    private static String unbind(int owner, String field, int bound) {
        return "{\"id\":" + owner + ",\"fields\":{\"" + field + "\":" + bound + "}}";
    }

    @Test
    void unbindingAContactFromACompanyUnbindsTheCompanyFromTheContactAndTheOtherWay() throws Exception {
        PortalData data = start(Bitrix24Emulator.builder());
        int company = data.addCompany("C");
        int contact = data.addContact("P");
        int deal = data.addDeal("D");
        assertTrue(data.bindCompanyContact(company, contact) && data.bindDealContact(deal, contact));
        assertEquals(List.of(company), data.companiesOfContact(contact));
        assertTrue(result("crm.contact.company.delete", unbind(contact, "COMPANY_ID", company)).booleanValue());
        assertEquals(List.of(), data.contactsOfCompany(company));
        assertFalse(result("crm.company.contact.delete", unbind(company, "CONTACT_ID", contact)).booleanValue(),
                "already unbound from the other side");
        assertTrue(data.bindCompanyContact(company, contact));
        assertTrue(result("crm.company.contact.delete", unbind(company, "CONTACT_ID", contact)).booleanValue());
        assertEquals(List.of(), data.companiesOfContact(contact));
        assertTrue(result("crm.deal.contact.delete", unbind(deal, "CONTACT_ID", contact)).booleanValue());
        assertFalse(result("crm.deal.contact.delete", unbind(deal, "CONTACT_ID", contact)).booleanValue());
        assertEquals(List.of(), data.contactsOfDeal(deal));
    }

    @Test
    void deletingARecordRemovesItsBindings() throws Exception {
        PortalData data = start(Bitrix24Emulator.builder());
        int company = data.addCompany("C");
        int deal = data.addDeal("D");
        int kept = data.addContact("Kept");
        int gone = data.addContact("Gone");
        data.bindCompanyContact(company, kept);
        data.bindCompanyContact(company, gone);
        data.bindDealContact(deal, gone);
        assertTrue(result("crm.contact.delete", "{\"id\":" + gone + "}").booleanValue());
        assertEquals(List.of(kept), data.contactsOfCompany(company));
        assertEquals(List.of(), data.contactsOfDeal(deal));
        assertTrue(result("crm.company.delete", "{\"id\":" + company + "}").booleanValue());
        assertEquals(List.of(), data.companiesOfContact(kept));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "en|[Contact #5] You don't have permission to view this item.|[Company #5] You don't have permission to view this item.",
            "ru|[Контакт #5] У Вас нет прав на просмотр этого элемента|[Компания #5] У Вас нет прав на просмотр этого элемента" })
    void unbindingOneRecordChecksInTheServersOrder(String language, String contactRead, String companyRead)
            throws Exception {
        PortalData data = start(Bitrix24Emulator.builder().language(language));
        int company = data.addCompany("C");
        int contact = data.addContact("P");
        int deal = data.addDeal("D");
        String[][] methods = {{"crm.deal.contact.delete", "CONTACT_ID", "" + deal, contactRead},
                              {"crm.company.contact.delete", "CONTACT_ID", "" + company, contactRead},
                              {"crm.contact.company.delete", "COMPANY_ID", "" + contact, companyRead}};
        for (String[] m : methods) {
            int owner = Integer.parseInt(m[2]);
            assertError(m[0], unbind(0, m[1], 5), 400, "", "The parameter 'ownerEntityID' is invalid or not defined.");
            assertError(m[0], "{\"id\":" + owner + "}", 400, "", "The parameter 'item' must be array.");
            assertError(m[0], unbind(999, m[1], 5), 400, "", "Not found.");
            assertError(m[0], unbind(owner, m[1], 0), 400, "", "The parameter 'fields' is not valid.");
            // the other type's field does not name the bound record
            assertError(m[0], unbind(owner, "CONTACT_ID".equals(m[1]) ? "COMPANY_ID" : "CONTACT_ID", 5), 400, "",
                    "The parameter 'fields' is not valid.");
            assertFalse(result(m[0], unbind(owner, m[1], 5)).booleanValue(), m[0] + ": nothing bound answers false");
            assertFalse(result(m[0], "{\"ID\":\"" + owner + "\",\"FIELDS\":{\"" + m[1] + "\":\"5\"}}").booleanValue());
        }
        portal.access().deny(7, Permission.READ);
        for (String[] m : methods) {
            assertError(m[0], unbind(Integer.parseInt(m[2]), m[1], 5), 400, "", m[3]);
        }
        portal.access().deny(7, Permission.UPDATE);
        for (String[] m : methods) {
            assertError(m[0], unbind(Integer.parseInt(m[2]), m[1], 5), 403, "ACCESS_DENIED", "Access denied!");
        }
        // a missing deal: its category lookup answers by the type's update right, before the 403
        assertError("crm.deal.contact.delete", unbind(999, "CONTACT_ID", 5), 400, "", "Access denied.");
        assertError("crm.company.contact.delete", unbind(999, "CONTACT_ID", 5), 403, "ACCESS_DENIED", "Access denied!");
    }

    @Test
    void unbindingEverythingChecksNoOwnerButADeal() throws Exception {
        PortalData data = start(Bitrix24Emulator.builder());
        int company = data.addCompany("C");
        int contact = data.addContact("P");
        int deal = data.addDeal("D");
        data.bindCompanyContact(company, contact);
        data.bindDealContact(deal, contact);
        assertTrue(result("crm.company.contact.items.delete", "{\"id\":999}").booleanValue());
        assertTrue(result("crm.contact.company.items.delete", "{\"id\":999}").booleanValue());
        assertError("crm.deal.contact.items.delete", "{\"id\":999}", 400, "", "Not found");
        for (String method : List.of("crm.deal.contact.items.delete", "crm.company.contact.items.delete",
                "crm.contact.company.items.delete")) {
            assertError(method, "{\"id\":0}", 400, "", "The parameter ownerEntityID is invalid or not defined.");
        }
        assertTrue(result("crm.contact.company.items.delete", "{\"id\":" + contact + "}").booleanValue());
        assertEquals(List.of(), data.contactsOfCompany(company));
        assertTrue(result("crm.deal.contact.items.delete", "{\"id\":" + deal + "}").booleanValue());
        assertEquals(List.of(), data.contactsOfDeal(deal));

        portal.access().deny(7, Permission.UPDATE);
        assertError("crm.company.contact.items.delete", "{\"id\":999}", 403, "ACCESS_DENIED", "Access denied!");
        assertError("crm.deal.contact.items.delete", "{\"id\":" + deal + "}", 403, "ACCESS_DENIED", "Access denied!");
        assertError("crm.deal.contact.items.delete", "{\"id\":999}", 400, "", "Not found");
        portal.access().deny(7, Permission.READ);
        assertError("crm.deal.contact.items.delete", "{\"id\":999}", 400, "", "Access denied");
        assertError("crm.contact.company.items.delete", "{\"id\":999}", 403, "ACCESS_DENIED", "Access denied!");
    }

    @Test
    void setupHelpersAddAndBindOverHttp() throws Exception {
        PortalData data = start(Bitrix24Emulator.builder());
        int deal = result("crm.deal.add", "{\"fields\":{\"TITLE\":\"D\"}}").asInt();
        int company = result("crm.company.add", "{\"fields\":{\"TITLE\":\"C\"}}").asInt();
        int quote = result("crm.quote.add", "{\"fields\":{\"TITLE\":\"Q\"}}").asInt();
        int contact = result("crm.contact.add", "{\"fields\":{\"NAME\":\"P\"}}").asInt();
        assertTrue(data.hasDeal(deal) && data.hasCompany(company) && data.hasQuote(quote));
        data.addSmartProcess(1038);
        assertEquals("{\"item\":{\"id\":1}}", result("crm.item.add", "{\"entityTypeId\":1038,\"fields\":{\"title\":\"S\"}}")
                .toString());
        assertTrue(data.hasItem(1038, 1));
        assertTrue(result("crm.deal.contact.add", unbind(deal, "CONTACT_ID", contact)).booleanValue());
        assertTrue(result("crm.contact.company.add", unbind(contact, "COMPANY_ID", company)).booleanValue());
        assertFalse(result("crm.company.contact.add", unbind(company, "CONTACT_ID", contact)).booleanValue(),
                "one relation: already bound from the contact's side");
        assertEquals(contact, result("crm.deal.contact.items.get", "{\"id\":" + deal + "}").get(0).get("CONTACT_ID").asInt());
        assertEquals(contact, result("crm.company.contact.items.get", "{\"id\":" + company + "}").get(0).get("CONTACT_ID")
                .asInt());
        assertEquals(company, result("crm.contact.company.items.get", "{\"id\":" + contact + "}").get(0).get("COMPANY_ID")
                .asInt());
        assertError("crm.deal.contact.items.get", "{\"id\":999}", 400, "", "Not found");
    }

    @ParameterizedTest
    @ValueSource(strings = { "deal", "company", "quote", "activity" })
    void classicListsReadByIdAndShowNothingToAUserWithoutReadPermission(String type) throws Exception {
        PortalData data = start(Bitrix24Emulator.builder().language("ru"));
        int a = switch (type) {
            case "deal" -> data.addDeal("A");
            case "company" -> data.addCompany("A");
            case "quote" -> data.addQuote("A");
            default -> data.addActivity("A");
        };
        String method = "crm." + type + ".list";
        JsonNode many = result(method, "{\"filter\":{\"@ID\":[" + a + ",999]},\"select\":[\"ID\"]}");
        assertEquals("[{\"ID\":\"" + a + "\"}]", many.toString());
        assertEquals("[{\"ID\":\"" + a + "\"}]", result(method, "{\"filter\":{\"ID\":" + a + ",\"UNKNOWN\":1},"
                                                                 + "\"select\":[\"ID\"]}").toString());
        assertEquals("[]", result(method, "{\"filter\":{\"ID\":999}}").toString());
        portal.access().deny(7, Permission.READ);
        assertEquals("[]", result(method, "{\"filter\":{\"ID\":" + a + "}}").toString());
    }

    /** CCrmCompanyRestProxy::innerGetList forces @CATEGORY_ID = 0; crm.item.list lists every category. */
    @Test
    void theCompanyListHoldsTheDefaultCategoryOnlyAndTheItemListEvery() throws Exception {
        PortalData data = start(Bitrix24Emulator.builder());
        int own = data.addCompany("Own", 3);
        int client = data.addCompany("Client");
        assertEquals("[{\"ID\":\"" + client + "\"}]", result("crm.company.list", "{\"filter\":{\"@ID\":[" + own + ","
                                                                                 + client + "]},\"select\":[\"ID\"]}").toString());
        assertEquals("{\"items\":[{\"id\":" + own + "},{\"id\":" + client + "}]}", result("crm.item.list",
                "{\"entityTypeId\":4,\"filter\":{\"@id\":[" + own + "," + client + "]},\"select\":[\"id\"]}").toString());
    }

    @Test
    void theItemListReadsEveryServedType() throws Exception {
        PortalData data = start(Bitrix24Emulator.builder());
        data.addSmartProcess(1038);
        for (int type : new int[] {1, 2, 3, 4, 7, 31, 1038}) {
            int id = data.addItem(type, "T");
            assertEquals("{\"items\":[{\"id\":" + id + "}]}", result("crm.item.list", "{\"entityTypeId\":" + type
                    + ",\"filter\":{\"@id\":[" + id + ",999]},\"select\":[\"id\"]}").toString(), "type " + type);
        }
        portal.access().deny(7, Permission.READ);
        assertEquals("{\"items\":[]}", result("crm.item.list", "{\"entityTypeId\":2,\"filter\":{\"@id\":[1]}}").toString());
    }

    @Test
    void aBatchMixesDealAndCompanyDeletesEachWithItsOwnAnswer() throws Exception {
        PortalData data = start(Bitrix24Emulator.builder());
        int deal = data.addDeal("D");
        int company = data.addCompany("C");
        data.addSmartProcess(1038);
        int item = data.addItem(1038, "S");
        JsonNode batch = result("batch", "{\"cmd\":{\"d\":\"crm.deal.delete?id=" + deal + "\",\"c\":\"crm.company.delete?id="
                                         + company + "\",\"dm\":\"crm.deal.delete?id=999\",\"cm\":\"crm.company.delete?id=999\","
                                         + "\"i\":\"crm.item.delete?entityTypeId=1038&id=" + item + "\","
                                         + "\"l\":\"crm.deal.list?filter[@ID][]=" + deal + "\"}}");
        assertEquals("{\"d\":true,\"c\":true,\"i\":[],\"l\":[]}", batch.get("result").toString());
        assertEquals("{\"error\":\"\",\"error_description\":\"Not found\"}", batch.get("result_error").get("dm").toString());
        assertEquals("{\"error\":\"\",\"error_description\":\"\"}", batch.get("result_error").get("cm").toString());
        assertEquals(0, batch.get("result_total").get("l").asInt());
        assertFalse(data.hasDeal(deal) || data.hasCompany(company) || data.hasItem(1038, item));
    }
}
