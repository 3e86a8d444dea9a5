package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.camelbitrix24.emulator.Answer;
import io.camelbitrix24.emulator.Bitrix24Error;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch mode: a list body becomes batch calls of up to 50 commands, answered item by item in order. */
class Bitrix24BatchTest extends Bitrix24TestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:leads").to("bitrix24-crm:lead/delete");
                from("direct:leadsHalt").to("bitrix24-crm:lead/delete?batchHalt=true&batchSize=10");
                from("direct:leadsIdempotent").to("bitrix24-crm:lead/delete?notFoundIsSuccess=true&useItemApi=true");
                from("direct:unbind").to("bitrix24-crm:lead-contact/delete");
                from("direct:noRetry").to("bitrix24-crm:lead/delete?maxRetries=0");
                // a stream of ids grouped into lists of 50 by Camel's aggregator, then deleted in batches
                from("direct:stream")
                        .aggregate(constant(true), new org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy())
                            .completionSize(50).completionTimeout(200)
                        .to("bitrix24-crm:lead/delete")
                        .to("mock:batches");
            }
        };
    }

    private List<Integer> leads(int count) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(portal.data().addLead("L" + i, "NEW"));
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    private static List<Bitrix24ItemResult> results(Exchange exchange) {
        return exchange.getMessage().getBody(List.class);
    }

    @Test
    void moreThanFiftyIdsAreSplitIntoBatchesAndAnsweredInOrder() {
        List<Object> body = new ArrayList<>(leads(120));
        body.set(7, 999_999);            // missing: a not-found item among the others
        body.set(60, "999998");

        Exchange out = template.request("direct:leads", e -> e.getMessage().setBody(body));

        assertNull(out.getException());
        List<Bitrix24ItemResult> results = results(out);
        assertEquals(120, results.size());
        assertEquals(3, portal.requests().count("batch"), "50 + 50 + 20");
        assertEquals(0, portal.requests().count("crm.lead.delete"), "no single calls");
        for (int i = 0; i < 120; i++) {
            Bitrix24ItemResult r = results.get(i);
            assertEquals(Integer.valueOf(body.get(i).toString()), r.getId(), "order kept at " + i);
            if (i == 7 || i == 60) {
                assertInstanceOf(Bitrix24NotFoundException.class, r.getException());
                assertFalse(r.isSuccess());
            } else {
                assertTrue(r.isSuccess(), r.toString());
                assertEquals(Boolean.TRUE, r.getResult());
                assertFalse(portal.data().hasLead(r.getId()));
            }
        }
        assertEquals(118, out.getMessage().getHeader(Bitrix24CrmConstants.BATCH_SUCCEEDED));
        assertEquals(2, out.getMessage().getHeader(Bitrix24CrmConstants.BATCH_FAILED));
    }

    @Test
    void leadContactItemsAreMapsAndAnUnboundContactAnswersFalse() {
        int lead = portal.data().addLead("L", "NEW");
        int bound = portal.data().addContact("bound");
        int other = portal.data().addContact("other");
        int kept = portal.data().addContact("kept");
        portal.data().bindContact(lead, bound);
        portal.data().bindContact(lead, kept);

        Exchange out = template.request("direct:unbind", e -> e.getMessage().setBody(List.of(
                Map.of("id", lead, "contactId", bound),
                "{\"id\": " + lead + ", \"fields\": {\"CONTACT_ID\": " + other + "}}")));

        List<Bitrix24ItemResult> results = results(out);
        assertEquals(Boolean.TRUE, results.get(0).getResult());
        assertEquals(Boolean.FALSE, results.get(1).getResult(), "not bound: false, not an error");
        assertEquals(other, results.get(1).getContactId());
        assertEquals(List.of(kept), portal.data().contactsOfLead(lead));
    }

    @Test
    void haltStopsAtTheFirstFailureAndReportsTheRestAsNotRun() {
        List<Object> body = new ArrayList<>(leads(5));
        body.set(2, 999_999);

        List<Bitrix24ItemResult> results = results(template.request("direct:leadsHalt", e -> e.getMessage().setBody(body)));

        assertTrue(results.get(0).isSuccess() && results.get(1).isSuccess());
        assertInstanceOf(Bitrix24NotFoundException.class, results.get(2).getException());
        assertTrue(results.get(3).getException().getMessage().contains("not run"), results.get(3).toString());
        assertTrue(portal.data().hasLead((Integer) body.get(4)), "not run after the halt");
    }

    @Test
    void itemApiAndNotFoundIsSuccessApplyPerItem() {
        List<Integer> ids = leads(3);
        List<Object> body = new ArrayList<>(ids);
        body.add(999_999);

        List<Bitrix24ItemResult> results = results(template.request("direct:leadsIdempotent",
                e -> e.getMessage().setBody(body.toArray())));

        assertEquals(List.of(true, true, true, false), results.stream().map(Bitrix24ItemResult::getResult).toList());
        assertTrue(results.stream().allMatch(Bitrix24ItemResult::isSuccess));
        assertTrue(portal.requests().last().params().get("cmd").toString().contains("crm.item.delete?entityTypeId=1&id="));
    }

    @Test
    void oneBadItemFailsTheExchangeAndNothingIsSent() {
        List<Object> body = new ArrayList<>(leads(3));
        body.add("12abc");

        Exchange out = template.request("direct:leads", e -> e.getMessage().setBody(body));

        Bitrix24ValidationException e = assertInstanceOf(Bitrix24ValidationException.class, out.getException());
        assertEquals("body[3]", e.getField());
        assertTrue(e.getMessage().contains("'12abc'"), e.getMessage());
        assertEquals(0, portal.requests().total());
        assertEquals(body, out.getMessage().getBody(), "the input stays for the error handler");
    }

    @Test
    void aBatchThatFailsAsAWholeFailsTheExchangeWithTheTypedException() {
        List<Integer> ids = leads(3);
        portal.script(Answer.error(Bitrix24Error.INTERNAL_SERVER_ERROR));

        Exchange out = template.request("direct:noRetry", e -> e.getMessage().setBody(ids));

        Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, out.getException());
        assertTrue(e.getMessage().contains("3 of the 3 items were not processed"), e.getMessage());
        assertEquals(ids, out.getMessage().getBody(), "the input stays for the error handler");
        ids.forEach(id -> assertTrue(portal.data().hasLead(id)));
    }

    @Test
    void aBatchFailureIsRetriedAsAWhole() {
        List<Integer> ids = leads(3);
        portal.script(Answer.error(Bitrix24Error.QUERY_LIMIT_EXCEEDED));

        List<Bitrix24ItemResult> results = results(template.request("direct:leads", e -> e.getMessage().setBody(ids)));

        assertTrue(results.stream().allMatch(Bitrix24ItemResult::isSuccess));
        assertEquals(2, portal.requests().count("batch"));
    }

    @Test
    void theAggregatorTurnsAStreamOfIdsIntoBatches() throws Exception {
        List<Integer> ids = leads(120);
        MockEndpoint batches = getMockEndpoint("mock:batches");
        batches.expectedMessageCount(3);

        ids.forEach(id -> template.sendBody("direct:stream", id));

        batches.assertIsSatisfied();
        assertEquals(3, portal.requests().count("batch"));
        assertEquals(120, batches.getReceivedExchanges().stream().mapToInt(e -> results(e).size()).sum());
        ids.forEach(id -> assertFalse(portal.data().hasLead(id)));
    }
}
