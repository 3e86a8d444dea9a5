package io.camelbitrix24.crm;

import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;
import java.util.stream.Stream;

import io.camelbitrix24.emulator.PortalData;
import io.camelbitrix24.emulator.RecordedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The CRM delete family beyond leads and contacts, through routes against the emulated portal: what goes on the wire
 * for each endpoint, what it deletes or unbinds, and bad input refused with nothing sent.
 */
class Bitrix24CrmFamilyTest extends Bitrix24TestSupport {

    private static final int SMART_PROCESS = 1038;
    private static final int SMART_INVOICE = 31;

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (String entity : List.of("deal", "company", "quote", "activity", "item")) {
                    from("direct:" + entity).to("bitrix24-crm:" + entity + "/delete");
                }
                for (String entity : List.of("deal", "company", "quote")) {
                    from("direct:" + entity + "Item").to("bitrix24-crm:" + entity + "/delete?useItemApi=true");
                }
                from("direct:smartInvoice").to("bitrix24-crm:item/delete?entityTypeId=" + SMART_INVOICE);
                for (String binding : List.of("deal-contact", "company-contact", "contact-company")) {
                    from("direct:" + binding).to("bitrix24-crm:" + binding + "/delete");
                    from("direct:" + binding + "-all").to("bitrix24-crm:" + binding + "/items-delete");
                }
            }
        };
    }

    private static PortalData data() {
        return portal.data();
    }

    /** A record endpoint, how to make one of its records, whether one is there, and its method and params. */
    static Stream<Arguments> recordDeletes() {
        return Stream.of(
                record("direct:deal", () -> data().addDeal("D"), id -> data().hasDeal(id), "crm.deal.delete", 0),
                record("direct:company", () -> data().addCompany("C"), id -> data().hasCompany(id), "crm.company.delete",
                        0),
                record("direct:quote", () -> data().addQuote("Q"), id -> data().hasQuote(id), "crm.quote.delete", 0),
                record("direct:activity", () -> data().addActivity("Call back"), id -> data().hasActivity(id),
                        "crm.activity.delete", 0),
                record("direct:dealItem", () -> data().addDeal("D"), id -> data().hasDeal(id), "crm.item.delete", 2),
                record("direct:companyItem", () -> data().addCompany("C"), id -> data().hasCompany(id),
                        "crm.item.delete", 4),
                record("direct:quoteItem", () -> data().addQuote("Q"), id -> data().hasQuote(id), "crm.item.delete",
                        7),
                record("direct:smartInvoice", () -> data().addItem(SMART_INVOICE, "Invoice"),
                        id -> data().hasItem(SMART_INVOICE, id), "crm.item.delete", SMART_INVOICE));
    }

    private static Arguments record(String route, IntSupplier make, IntPredicate exists, String method,
                                    int entityTypeId) {
        return arguments(route, make, exists, method, entityTypeId);
    }

    @ParameterizedTest(name = "{0} calls {3}")
    @MethodSource("recordDeletes")
    void aRecordDeleteCallsItsMethodAndRemovesTheRecordOnly(String route, IntSupplier make, IntPredicate exists,
                                                            String method, int entityTypeId) {
        int record = make.getAsInt();
        int kept = make.getAsInt();

        Exchange done = template.request(route, e -> e.getMessage().setBody(record));

        assertNull(done.getException());
        assertEquals(true, done.getMessage().getBody());
        assertEquals(method, done.getMessage().getHeader(Bitrix24CrmConstants.METHOD));
        RecordedRequest sent = portal.requests().last();
        assertEquals(method, sent.method());
        assertEquals(entityTypeId == 0 ? Map.of("id", record) : Map.of("entityTypeId", entityTypeId, "id", record),
                sent.params());
        assertFalse(exists.test(record), "deleted");
        assertTrue(exists.test(kept), "the other record is kept");
    }

    @Test
    void itemDeleteTakesTheTypeFromTheHeaderOrTheBodyBeforeTheEndpoint() {
        data().addSmartProcess(SMART_PROCESS);
        int byHeader = data().addItem(SMART_PROCESS, "A");
        int byBody = data().addItem(SMART_PROCESS, "B");
        int invoice = data().addItem(SMART_INVOICE, "I");

        Exchange header = template.request("direct:item", e -> {
            e.getMessage().setBody(byHeader);
            e.getMessage().setHeader(Bitrix24CrmConstants.ENTITY_TYPE_ID, SMART_PROCESS);
        });
        assertNull(header.getException());
        assertEquals(Map.of("entityTypeId", SMART_PROCESS, "id", byHeader), portal.requests().last().params());

        // the endpoint says smart invoices, the body a smart process: the body wins
        Exchange body = template.request("direct:smartInvoice", e -> e.getMessage().setBody(
                "{\"entityTypeId\": " + SMART_PROCESS + ", \"id\": " + byBody + "}"));
        assertNull(body.getException());
        assertEquals(SMART_PROCESS, body.getMessage().getHeader(Bitrix24CrmConstants.ENTITY_TYPE_ID));
        assertFalse(data().hasItem(SMART_PROCESS, byHeader) || data().hasItem(SMART_PROCESS, byBody));
        assertTrue(data().hasItem(SMART_INVOICE, invoice), "the smart invoice is kept");
        assertEquals(2, portal.requests().count("crm.item.delete"));
    }

    @Test
    void aListOfItemsOfSeveralTypesIsOneBatchEachItemWithItsOwnType() {
        data().addSmartProcess(SMART_PROCESS);
        int item = data().addItem(SMART_PROCESS, "A");
        int invoice = data().addItem(SMART_INVOICE, "I");

        Exchange done = template.request("direct:item", e -> {
            e.getMessage().setBody(List.of(Map.of("id", item), Map.of("id", invoice, "entityTypeId", SMART_INVOICE),
                    Map.of("id", 987_654)));
            e.getMessage().setHeader(Bitrix24CrmConstants.ENTITY_TYPE_ID, SMART_PROCESS);
        });

        @SuppressWarnings("unchecked")
        List<Bitrix24ItemResult> results = done.getMessage().getBody(List.class);
        assertEquals(List.of(true, true, false), results.stream().map(Bitrix24ItemResult::isSuccess).toList());
        assertEquals(List.of(SMART_PROCESS, SMART_INVOICE, SMART_PROCESS),
                results.stream().map(Bitrix24ItemResult::getEntityTypeId).toList());
        assertInstanceOf(Bitrix24NotFoundException.class, results.get(2).getException());
        assertFalse(data().hasItem(SMART_PROCESS, item) || data().hasItem(SMART_INVOICE, invoice));
        assertEquals(1, portal.requests().count("batch"));
    }

    @Test
    void theUnbindingsRemoveOneBindingOrEveryBindingAndKeepTheRecords() {
        int deal = data().addDeal("D");
        int company = data().addCompany("C");
        int first = data().addContact("First");
        int second = data().addContact("Second");
        data().bindDealContact(deal, first);
        data().bindDealContact(deal, second);
        data().bindCompanyContact(company, first);
        data().bindCompanyContact(company, second);

        assertEquals(true, template.requestBodyAndHeader("direct:deal-contact", Map.of("id", deal),
                Bitrix24CrmConstants.CONTACT_ID, first));
        assertEquals(Map.of("id", deal, "fields", Map.of("CONTACT_ID", first)), portal.requests().last().params());
        assertEquals(List.of(second), data().contactsOfDeal(deal));

        // contact-company and company-contact are the two sides of one binding
        Exchange unbound = template.request("direct:contact-company",
                e -> e.getMessage().setBody("{\"id\": " + first + ", \"companyId\": " + company + "}"));
        assertNull(unbound.getException());
        assertEquals(company, unbound.getMessage().getHeader(Bitrix24CrmConstants.COMPANY_ID));
        assertEquals("crm.contact.company.delete", portal.requests().last().method());
        assertEquals(Map.of("id", first, "fields", Map.of("COMPANY_ID", company)), portal.requests().last().params());
        assertEquals(List.of(second), data().contactsOfCompany(company));

        assertEquals(true, template.requestBody("direct:company-contact-all", company));
        assertEquals("crm.company.contact.items.delete", portal.requests().last().method());
        assertEquals(List.of(), data().contactsOfCompany(company));
        assertEquals(true, template.requestBody("direct:deal-contact-all", deal));
        assertEquals(List.of(), data().contactsOfDeal(deal));
        assertTrue(data().hasDeal(deal) && data().hasCompany(company) && data().hasContact(first)
                   && data().hasContact(second), "unbinding deletes no record");
    }

    @Test
    void anUnbindingOfARecordThatIsNotBoundAnswersFalse() {
        int deal = data().addDeal("D");
        int contact = data().addContact("C");
        int company = data().addCompany("Co");
        assertEquals(false, template.requestBodyAndHeader("direct:deal-contact", deal, Bitrix24CrmConstants.CONTACT_ID,
                contact));
        assertEquals(false, template.requestBodyAndHeader("direct:contact-company", contact,
                Bitrix24CrmConstants.COMPANY_ID, company));
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                // route, body, a header and its value (or null), the field named, a piece of the message
                arguments("direct:deal-contact", "{\"id\": 7}", null, null, Bitrix24CrmConstants.CONTACT_ID,
                        "Missing contact id"),
                arguments("direct:contact-company", "{\"id\": 7, \"contactId\": 3}", null, null,
                        Bitrix24CrmConstants.COMPANY_ID, "Missing company id"),
                arguments("direct:contact-company", 7, Bitrix24CrmConstants.COMPANY_ID, "acme", "header "
                        + Bitrix24CrmConstants.COMPANY_ID, "'acme'"),
                arguments("direct:item", 5, null, null, "entityTypeId", "Missing entityTypeId"),
                arguments("direct:item", 5, Bitrix24CrmConstants.ENTITY_TYPE_ID, "deal", "header "
                        + Bitrix24CrmConstants.ENTITY_TYPE_ID, "'deal'"),
                arguments("direct:item", "{\"id\": 5, \"entityTypeId\": 0}", null, null, "body.entityTypeId",
                        "0 (Integer)"),
                arguments("direct:deal", "seven", null, null, "body", "'seven'"));
    }

    @ParameterizedTest(name = "{0} {1} {2}={3}")
    @MethodSource("badInput")
    void badInputIsRefusedNamingItsFieldAndNothingIsSent(String route, Object body, String header, Object value,
                                                          String field, String message) {
        Exchange done = template.request(route, e -> {
            e.getMessage().setBody(body);
            if (header != null) {
                e.getMessage().setHeader(header, value);
            }
        });
        Bitrix24ValidationException refused = assertInstanceOf(Bitrix24ValidationException.class, done.getException());
        assertEquals(field, refused.getField());
        assertTrue(refused.getMessage().contains(message) && refused.getMessage().contains("Nothing was sent"),
                refused.getMessage());
        assertEquals(0, portal.requests().total(), "nothing sent");
    }
}
