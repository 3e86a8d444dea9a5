package io.camelbitrix24.crm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelbitrix24.emulator.Answer;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.emulator.Fault;
import io.camelbitrix24.emulator.PortalLanguage;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same routes against portals in English, in Russian, and in a language no phrase table holds (the emulator's
 * pseudo-language): not-found, idempotent deletes, batch items and lost answers end the same way in every language.
 * Where no known text decides, one read of the records settles it; the request log shows what that costs.
 */
class Bitrix24PortalLanguagesTest {

    private static final String DENIED_CODE = "n0-d3l3te";
    private static final LanguagePortals PORTALS = new LanguagePortals(portal -> {
        portal.access().addWebhook(2, DENIED_CODE, "crm");
        portal.access().denyDelete(2);
        Map<String, String> routes = new LinkedHashMap<>();
        routes.put("direct:lead", "bitrix24-crm:lead/delete?maxRetries=1");
        routes.put("direct:leadIdempotent", "bitrix24-crm:lead/delete?maxRetries=1&notFoundIsSuccess=true");
        routes.put("direct:contact", "bitrix24-crm:contact/delete?maxRetries=1");
        routes.put("direct:contactIdempotent", "bitrix24-crm:contact/delete?maxRetries=1&notFoundIsSuccess=true");
        routes.put("direct:item", "bitrix24-crm:contact/delete?maxRetries=1&useItemApi=true");
        routes.put("direct:unbind", "bitrix24-crm:lead-contact/delete?maxRetries=1");
        routes.put("direct:denied", "bitrix24-crm:lead/delete?notFoundIsSuccess=true&"
                                    + LanguagePortals.webhookOf(portal, 2, DENIED_CODE));
        return routes;
    });

    @AfterAll
    static void stopAll() {
        PORTALS.close();
    }

    private static Bitrix24Emulator portal(String language) throws Exception {
        return PORTALS.portal(language);
    }

    private static Exchange send(String language, String uri, Object body) {
        return PORTALS.send(language, uri, body);
    }

    /** A phrase table holds en and ru; the pseudo-language needs a read of the record. */
    private static long expectedReads(String language) {
        return PortalLanguage.PSEUDO.equals(language) ? 1 : 0;
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "ru", PortalLanguage.PSEUDO })
    void aMissingLeadOrContactIsNotFound(String language) throws Exception {
        Bitrix24Emulator portal = portal(language);
        Bitrix24NotFoundException lead = assertInstanceOf(Bitrix24NotFoundException.class,
                send(language, "direct:lead", 987_654).getException());
        assertEquals("ERROR_CORE", lead.getErrorCode());
        assertFalse(lead.isRetryable());
        assertEquals(expectedReads(language), portal.requests().count("crm.lead.list"));
        assertInstanceOf(Bitrix24NotFoundException.class, send(language, "direct:contact", 987_654).getException());
        // contacts are read through crm.item.list, which lists every category
        assertEquals(expectedReads(language), portal.requests().count("crm.item.list"));
        // the item API says NOT_FOUND in its code, for a missing item and a missing type alike: a known text tells
        // which, else one read does
        assertInstanceOf(Bitrix24NotFoundException.class, send(language, "direct:item", 987_654).getException());
        assertEquals(2 * expectedReads(language), portal.requests().count("crm.item.list"));
        assertInstanceOf(Bitrix24NotFoundException.class, send(language, "direct:unbind",
                Map.of("id", 987_654, "contactId", 5)).getException(), "an unbinding's missing lead");
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "ru", PortalLanguage.PSEUDO })
    void notFoundIsSuccessMakesDeletesIdempotent(String language) throws Exception {
        Bitrix24Emulator portal = portal(language);
        int lead = portal.data().addLead("L", "NEW");
        int contact = portal.data().addContact("C");
        for (String uri : List.of("direct:leadIdempotent", "direct:contactIdempotent")) {
            int id = uri.startsWith("direct:lead") ? lead : contact;
            Exchange first = send(language, uri, id);
            Exchange second = send(language, uri, id);
            assertNull(first.getException());
            assertEquals(true, first.getMessage().getBody());
            assertNull(second.getException(), () -> "the second delete of " + id + ": " + second.getException());
            assertEquals(false, second.getMessage().getBody());
        }
        assertFalse(portal.data().hasLead(lead) || portal.data().hasContact(contact));
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "ru", PortalLanguage.PSEUDO })
    void batchItemsAreNotFoundAndOneReadSettlesThemAll(String language) throws Exception {
        Bitrix24Emulator portal = portal(language);
        int a = portal.data().addLead("A", "NEW");
        int b = portal.data().addLead("B", "NEW");
        @SuppressWarnings("unchecked")
        List<Bitrix24ItemResult> results = send(language, "direct:lead", List.of(a, 987_001, b, 987_002))
                .getMessage().getBody(List.class);
        assertEquals(List.of(true, false, true, false), results.stream().map(Bitrix24ItemResult::isSuccess).toList());
        assertInstanceOf(Bitrix24NotFoundException.class, results.get(1).getException());
        assertInstanceOf(Bitrix24NotFoundException.class, results.get(3).getException());
        assertEquals(1, portal.requests().count("batch"));
        assertEquals(expectedReads(language), portal.requests().count("crm.lead.list"), "one read for the batch");

        @SuppressWarnings("unchecked")
        List<Bitrix24ItemResult> idempotent = send(language, "direct:leadIdempotent", List.of(987_003, 987_004))
                .getMessage().getBody(List.class);
        assertEquals(List.of(false, false), idempotent.stream().map(Bitrix24ItemResult::getResult).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "ru", PortalLanguage.PSEUDO })
    void aLostAnswerFollowedByALocalizedNotFoundEndsAsDeleted(String language) throws Exception {
        Bitrix24Emulator portal = portal(language);
        for (Fault fault : List.of(Fault.RESET_AFTER_APPLY, Fault.TRUNCATED_JSON)) {
            int lead = portal.data().addLead("L", "NEW");
            portal.faults().next(fault);
            Exchange single = send(language, "direct:lead", lead);
            assertNull(single.getException(), () -> fault + ": " + single.getException());
            assertEquals(true, single.getMessage().getBody());
            assertEquals(true, single.getMessage().getHeader(Bitrix24CrmConstants.UNKNOWN_OUTCOME_RETRIED));

            List<Integer> leads = List.of(portal.data().addLead("A", "NEW"), portal.data().addLead("B", "NEW"));
            portal.faults().next(fault);
            @SuppressWarnings("unchecked")
            List<Bitrix24ItemResult> batch = send(language, "direct:lead", leads).getMessage().getBody(List.class);
            assertEquals(List.of(true, true), batch.stream().map(Bitrix24ItemResult::getResult).toList(), fault + " batch");
            leads.forEach(id -> assertFalse(portal.data().hasLead(id)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "en", "ru", PortalLanguage.PSEUDO })
    void anErrorOnARecordThatExistsIsNeverANotFound(String language) throws Exception {
        Bitrix24Emulator portal = portal(language);
        int lead = portal.data().addLead("L", "NEW");
        // lead and contact deletes refuse with an empty code and a text written in English
        assertInstanceOf(Bitrix24AccessDeniedException.class, send(language, "direct:denied", lead).getException());
        // an application exception in words no table holds: the read finds the lead, so the error stands
        portal.script(Answer.error(400, "ERROR_CORE", "[!! Ţĥē ĺēàď ìš ĺōçķēď !!]"));
        Bitrix24Exception locked = assertInstanceOf(Bitrix24InvalidRequestException.class,
                send(language, "direct:leadIdempotent", lead).getException());
        assertFalse(locked instanceof Bitrix24NotFoundException);
        assertEquals(1, portal.requests().count("crm.lead.list"));
        assertTrue(portal.data().hasLead(lead));
    }

    /**
     * crm.contact.list lists the default category only: a contact of another (a contractor of inventory management)
     * would read as gone there, and an error on it become a not-found. crm.item.list sees it.
     */
    @Test
    void anErrorOnAContactOfAnotherCategoryIsNeverANotFound() throws Exception {
        Bitrix24Emulator portal = portal(PortalLanguage.PSEUDO);
        int contractor = portal.data().addContact("Supplier", 5);
        portal.script(Answer.error(400, "ERROR_CORE", "[!! Ţĥē çōńţàçţ ìš ĺōçķēď !!]"));
        Bitrix24Exception locked = assertInstanceOf(Bitrix24InvalidRequestException.class,
                send(PortalLanguage.PSEUDO, "direct:contactIdempotent", contractor).getException());
        assertFalse(locked instanceof Bitrix24NotFoundException, locked.getMessage());
        assertEquals(1, portal.requests().count("crm.item.list"));
        assertEquals(0, portal.requests().count("crm.contact.list"));
        assertTrue(portal.data().hasContact(contractor));
    }

    @ParameterizedTest
    @ValueSource(strings = { "en-legacy", "ru-legacy" })
    void aLegacyPortalsContactAnswerWithoutAnyTextIsSettledByARead(String language) throws Exception {
        Bitrix24Emulator portal = portal(language);
        Bitrix24NotFoundException e = assertInstanceOf(Bitrix24NotFoundException.class,
                send(language, "direct:contact", 987_654).getException());
        assertEquals("", e.getErrorCode());
        assertEquals("", e.getErrorDescription());
        assertTrue(e.getMessage().contains("the portal has no contact 987654"), e.getMessage());
        assertEquals(1, portal.requests().count("crm.item.list"));
        // the legacy lead text is in the table
        assertInstanceOf(Bitrix24NotFoundException.class, send(language, "direct:lead", 987_654).getException());
        assertEquals(0, portal.requests().count("crm.lead.list"));
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "SERVER_ERROR", "RESET_BEFORE_ANSWER" })
    void aReadThatCannotBeMadeLeavesTheErrorStanding(Fault fault) throws Exception {
        Bitrix24Emulator portal = portal(PortalLanguage.PSEUDO);
        // the delete's answer needs a read; the read and its retry fail
        portal.script(Answer.error(400, "ERROR_CORE", "[!! Ìţēm ŵàš ńōţ ƒōūńď !!]"));
        portal.faults().next(fault, fault);
        Exchange out = send(PortalLanguage.PSEUDO, "direct:leadIdempotent", 987_654);
        Bitrix24InvalidRequestException e = assertInstanceOf(Bitrix24InvalidRequestException.class, out.getException());
        assertTrue(e.getMessage().contains("whether lead 987654 still exists could not be read"), e.getMessage());
        assertEquals(2, portal.requests().count("crm.lead.list"));
    }
}
