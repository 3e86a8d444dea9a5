package io.camelbitrix24.crm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelbitrix24.emulator.AccessControl;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.emulator.PortalLanguage;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The family's not-found, access-denied and wrong-type answers, as portals in English, Russian, a language no phrase
 * table holds, and with the CRM factory mode off give them: a missing record is a not-found (idempotent with
 * notFoundIsSuccess) however it is worded, a type the portal lacks is a configuration error and never a not-found, and
 * the request log shows the reads that settled what no known text did.
 */
class Bitrix24CrmFamilyLanguagesTest {

    private static final String DENIED_CODE = "n0-d3l3te";
    private static final String NO_UPDATE_CODE = "n0-upd4te";
    private static final List<String> BINDINGS = List.of("deal-contact", "company-contact", "contact-company");
    private static final int MISSING = 987_654;
    private static final int SMART_INVOICE = 31;
    private static final List<String> RECORDS = List.of("deal", "company", "quote", "activity");

    private static final LanguagePortals PORTALS = new LanguagePortals(portal -> {
        portal.access().addWebhook(2, DENIED_CODE, "crm");
        portal.access().denyDelete(2);
        portal.access().addWebhook(3, NO_UPDATE_CODE, "crm");
        portal.access().deny(3, AccessControl.Permission.UPDATE);
        String denied = LanguagePortals.webhookOf(portal, 2, DENIED_CODE);
        String noUpdate = LanguagePortals.webhookOf(portal, 3, NO_UPDATE_CODE);
        Map<String, String> routes = new LinkedHashMap<>();
        for (String entity : List.of("deal", "company", "quote", "activity", "item")) {
            routes.put("direct:" + entity, "bitrix24-crm:" + entity + "/delete?maxRetries=1");
            routes.put("direct:" + entity + "Idempotent",
                    "bitrix24-crm:" + entity + "/delete?maxRetries=1&notFoundIsSuccess=true");
            routes.put("direct:" + entity + "Denied", "bitrix24-crm:" + entity + "/delete?" + denied);
        }
        for (String binding : BINDINGS) {
            for (String operation : List.of("delete", "items-delete")) {
                String uri = "bitrix24-crm:" + binding + "/" + operation + "?maxRetries=1";
                routes.put("direct:" + binding + "/" + operation, uri);
                routes.put("direct:" + binding + "/" + operation + "Idempotent", uri + "&notFoundIsSuccess=true");
                routes.put("direct:" + binding + "/" + operation + "Denied", uri + "&" + noUpdate);
            }
        }
        return routes;
    });

    @AfterAll
    static void stopAll() {
        PORTALS.close();
    }

    private static Bitrix24Emulator portal(String language) throws Exception {
        return PORTALS.portal(language);
    }

    private static Exchange send(String language, String route, Object body) {
        return PORTALS.send(language, route, body);
    }

    private static Exchange sendItem(String language, String route, int entityTypeId, int id) {
        return send(language, route, Map.of("entityTypeId", entityTypeId, "id", id));
    }

    private static boolean pseudo(String language) {
        return PortalLanguage.PSEUDO.equals(language);
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "ru", PortalLanguage.PSEUDO, "en-legacy" })
    void aMissingRecordIsNotFoundAndIdempotentWithNotFoundIsSuccess(String language) throws Exception {
        Bitrix24Emulator portal = portal(language);
        for (String entity : RECORDS) {
            Exchange strict = send(language, "direct:" + entity, MISSING);
            Bitrix24NotFoundException notFound = assertInstanceOf(Bitrix24NotFoundException.class, strict.getException(),
                    () -> entity + ": " + strict.getException());
            assertTrue(notFound.getMessage().contains(entity + " " + MISSING), notFound.getMessage());
            Exchange idempotent = send(language, "direct:" + entity + "Idempotent", MISSING);
            assertNull(idempotent.getException(), () -> entity + ": " + idempotent.getException());
            assertEquals(false, idempotent.getMessage().getBody(), entity);
        }
        // which answers no known text decided: a company's empty answer on every portal, a quote's ERROR_CORE in words
        // no row holds; a deal's "Not found" and an activity's "Activity is not found." are English on every portal
        assertEquals(0, portal.requests().count("crm.deal.list"), "deal reads");
        assertEquals(2, portal.requests().count("crm.item.list"), "company reads, through the item API");
        assertEquals(0, portal.requests().count("crm.company.list"), "crm.company.list lists one category only");
        assertEquals(pseudo(language) ? 2 : 0, portal.requests().count("crm.quote.list"), "quote reads");
        assertEquals(0, portal.requests().count("crm.activity.list"), "activity reads");

        portal.requests().reset();
        Exchange item = sendItem(language, "direct:itemIdempotent", SMART_INVOICE, MISSING);
        assertNull(item.getException());
        assertEquals(false, item.getMessage().getBody());
        assertEquals(pseudo(language) ? 1 : 0, portal.requests().count("crm.item.list"), "item reads");
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "ru", PortalLanguage.PSEUDO })
    void aTypeThePortalLacksIsAConfigurationErrorNeverANotFound(String language) throws Exception {
        Bitrix24Emulator portal = portal(language);
        // a smart process type id the portal has not got, and an id no portal has
        for (int type : List.of(1_100, 999)) {
            Exchange done = sendItem(language, "direct:itemIdempotent", type, MISSING);
            Bitrix24InvalidRequestException wrongType = assertInstanceOf(Bitrix24InvalidRequestException.class,
                    done.getException(), () -> type + ": " + done.getException());
            assertEquals("crm.item.delete", wrongType.getMethod());
        }
        // the smart process's NOT_FOUND in words no row holds: the read's own NOT_FOUND tells the type is missing
        assertEquals(pseudo(language) ? 1 : 0, portal.requests().count("crm.item.list"));
        if (pseudo(language)) {
            Exchange again = sendItem(language, "direct:item", 1_100, MISSING);
            assertTrue(again.getException().getMessage().contains("the portal has no entity type 1100"),
                    again.getException().getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "ru", PortalLanguage.PSEUDO })
    void aDeleteTheUserMayNotDoIsAccessDeniedAndTheRecordStays(String language) throws Exception {
        Bitrix24Emulator portal = portal(language);
        Map<String, Integer> records = Map.of("deal", portal.data().addDeal("D"),
                "company", portal.data().addCompany("C"), "quote", portal.data().addQuote("Q"),
                "activity", portal.data().addActivity("A"));
        records.forEach((entity, id) -> assertInstanceOf(Bitrix24AccessDeniedException.class,
                send(language, "direct:" + entity + "Denied", id).getException(), entity));
        int invoice = portal.data().addItem(SMART_INVOICE, "I");
        assertInstanceOf(Bitrix24AccessDeniedException.class,
                sendItem(language, "direct:itemDenied", SMART_INVOICE, invoice).getException());
        assertTrue(portal.data().hasDeal(records.get("deal")) && portal.data().hasCompany(records.get("company"))
                   && portal.data().hasQuote(records.get("quote")) && portal.data().hasActivity(records.get("activity"))
                   && portal.data().hasItem(SMART_INVOICE, invoice));
    }

    /** An unbinding's input: the owner, and the bound record for a one-binding delete. */
    private static Map<String, Object> unbinding(String binding, String operation, int owner, int bound) {
        String key = binding.endsWith("company") ? "companyId" : "contactId";
        return operation.equals("delete") ? Map.of("id", owner, key, bound) : Map.of("id", owner);
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "ru", PortalLanguage.PSEUDO })
    void anUnbindingOfAMissingOwnerIsNotFoundExceptWhereTheServerLooksNothingUp(String language) throws Exception {
        portal(language);
        for (String binding : BINDINGS) {
            for (String operation : List.of("delete", "items-delete")) {
                String route = "direct:" + binding + "/" + operation;
                Exchange strict = send(language, route, unbinding(binding, operation, MISSING, 5));
                // items.delete looks no owner up but a deal (CCrmEntityBindingProxy::deleteItems): nothing to unbind
                if (operation.equals("items-delete") && !binding.startsWith("deal")) {
                    assertNull(strict.getException(), route);
                    assertEquals(true, strict.getMessage().getBody(), route);
                    continue;
                }
                Bitrix24NotFoundException notFound = assertInstanceOf(Bitrix24NotFoundException.class,
                        strict.getException(), () -> route + ": " + strict.getException());
                String owner = binding.substring(0, binding.indexOf('-'));
                assertTrue(notFound.getMessage().contains(owner + " " + MISSING), notFound.getMessage());
                Exchange idempotent = send(language, route + "Idempotent", unbinding(binding, operation, MISSING, 5));
                assertNull(idempotent.getException(), route);
                assertEquals(false, idempotent.getMessage().getBody(), route);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "ru", PortalLanguage.PSEUDO })
    void anUnbindingTheUserMayNotDoIsAccessDeniedAndTheBindingStays(String language) throws Exception {
        Bitrix24Emulator portal = portal(language);
        int deal = portal.data().addDeal("D");
        int company = portal.data().addCompany("C");
        int contact = portal.data().addContact("P");
        portal.data().bindDealContact(deal, contact);
        portal.data().bindCompanyContact(company, contact);
        Map<String, int[]> owners = Map.of("deal-contact", new int[] {deal, contact},
                "company-contact", new int[] {company, contact}, "contact-company", new int[] {contact, company});
        for (String binding : BINDINGS) {
            for (String operation : List.of("delete", "items-delete")) {
                int[] ids = owners.get(binding);
                String route = "direct:" + binding + "/" + operation + "Denied";
                Exchange denied = send(language, route, unbinding(binding, operation, ids[0], ids[1]));
                assertInstanceOf(Bitrix24AccessDeniedException.class, denied.getException(), route);
            }
        }
        assertEquals(List.of(contact), portal.data().contactsOfDeal(deal));
        assertEquals(List.of(contact), portal.data().contactsOfCompany(company));
    }
}
