package io.camelbitrix24.crm;

import java.time.Duration;
import java.util.List;

import io.camelbitrix24.emulator.Fault;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fault the emulator injects, through a real route: the typed exception it becomes without retries, and how
 * retries settle a call whose first answer was lost after the portal had deleted the record.
 */
class Bitrix24FaultHandlingTest extends Bitrix24TestSupport {

    @Override
    protected void configure(Bitrix24CrmConfiguration configuration) {
        super.configure(configuration);
        configuration.setResponseTimeout(400);
        configuration.setRetryDelay(10);
        configuration.setMaxRetryDelay(50);
        configuration.setRateLimitPerSecond(0);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        portal.faults().setSlowAnswerDelay(Duration.ofMillis(900));
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:noRetry").to("bitrix24-crm:lead/delete?maxRetries=0");
                // single calls, each waiting for a connection of its own
                // (a response timeout of 2 s: a loaded machine may take over 400 ms to answer one of 64 calls at once)
                from("direct:flood").to("bitrix24-crm:lead/delete?maxRetries=0&coalesce=false&responseTimeout=2000");
                // the default backoff and retry timeout
                from("direct:garbled").to("bitrix24-crm:lead/delete?maxRetries=2&retryDelay=500&maxRetryDelay=30000");
                from("direct:oneRetry").to("bitrix24-crm:lead/delete?maxRetries=1");
                from("direct:contact").to("bitrix24-crm:contact/delete?maxRetries=1&useItemApi=true");
                from("direct:unbind").to("bitrix24-crm:lead-contact/delete?maxRetries=1");
            }
        };
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void eachFaultBecomesATypedExceptionSayingWhetherTheDeleteMayHaveHappened(Fault fault) {
        int lead = portal.data().addLead("L", "NEW");
        portal.faults().next(fault);
        Exchange exchange = send("direct:noRetry", lead, null, null);
        assertEquals(1, portal.requests().count("crm.lead.delete"), "maxRetries=0 deletes once");
        boolean lostAnswer = fault.applied() || fault == Fault.RESET_BEFORE_ANSWER;
        assertEquals(lostAnswer ? 1 : 0, portal.requests().count("crm.lead.list"),
                "a lost answer is settled by one read of the lead, any other failure is not");
        assertEquals(!fault.applied(), portal.data().hasLead(lead));
        if (fault.applied()) {
            // the read found the lead gone: the attempt whose answer was lost deleted it
            assertNull(exchange.getException(), () -> fault + ": " + exchange.getException());
            assertEquals(true, exchange.getMessage().getHeader(Bitrix24CrmConstants.UNKNOWN_OUTCOME_RETRIED));
            return;
        }
        Bitrix24Exception e = assertInstanceOf(Bitrix24Exception.class, exchange.getException());
        Class<?> expected = fault == Fault.QUERY_LIMIT_EXCEEDED ? Bitrix24RateLimitException.class
                : Bitrix24ServerException.class;
        assertEquals(expected, e.getClass(), e.getMessage());
        assertTrue(e.isRetryable(), "a fault is worth a retry: " + e.getMessage());
        assertEquals(lostAnswer, e.isOutcomeUnknown(),
                "only a lost or unreadable answer leaves the outcome unknown: " + e.getMessage());
        assertFalse(e.getMessage().contains(WEBHOOK_CODE));
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = { "RESET_AFTER_APPLY", "SLOW_ANSWER", "TRUNCATED_JSON", "NON_JSON_200",
                                               "OVERSIZED_ANSWER" })
    void aRetryThatFindsTheRecordGoneSucceedsTheLostAttemptDeletedIt(Fault fault) throws Exception {
        int lead = portal.data().addLead("L", "NEW");
        portal.faults().next(fault);
        Exchange exchange = send("direct:oneRetry", lead, null, null);

        assertNull(exchange.getException());
        assertEquals(true, exchange.getMessage().getHeader(Bitrix24CrmConstants.RESULT));
        assertEquals(true, exchange.getMessage().getHeader(Bitrix24CrmConstants.UNKNOWN_OUTCOME_RETRIED));
        assertFalse(portal.data().hasLead(lead));
        assertEquals(2, portal.requests().count("crm.lead.delete"));
    }

    @Test
    void aFloodOfConcurrentCallsWaitsForConnectionsInsteadOfTimingOut() throws Exception {
        // an async consumer (SEDA, JMS) can put thousands of exchanges in flight at once; 64 connections serve them
        List<Integer> leads = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            leads.add(portal.data().addLead("L" + i, "NEW"));
        }
        // each call holds its connection 50 ms on the portal: 3,000 calls on 64 connections take at least
        // 3000 / 64 x 50 ms = 2.3 s, so the last calls wait longer for a connection than the 2 s response timeout, on
        // any machine; a wait that counted against the timeout would fail them
        portal.limits().setLatency(Duration.ofMillis(50));
        long start = System.nanoTime();
        List<java.util.concurrent.CompletableFuture<Exchange>> calls = new java.util.ArrayList<>();
        for (int lead : leads) {
            calls.add(template.asyncSend("direct:flood", e -> e.getMessage().setBody(lead)));
        }
        int failed = 0;
        try {
            for (java.util.concurrent.CompletableFuture<Exchange> call : calls) {
                failed += call.get(120, java.util.concurrent.TimeUnit.SECONDS).getException() == null ? 0 : 1;
            }
        } finally {
            portal.limits().setLatency(Duration.ZERO);
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis > 2000, "the flood outlasted the response timeout: " + millis + " ms");
        assertEquals(0, failed, "calls that failed while waiting for a connection (responseTimeout 2 s, no retries)");
        assertEquals(3000, portal.requests().count("crm.lead.delete"));
        leads.forEach(id -> assertFalse(portal.data().hasLead(id)));
    }

    @Test
    void aCallWithoutFaultsIsNotFlagged() {
        int lead = portal.data().addLead("L", "NEW");
        Exchange exchange = send("direct:oneRetry", lead, null, null);
        assertNull(exchange.getException());
        assertNull(exchange.getMessage().getHeader(Bitrix24CrmConstants.UNKNOWN_OUTCOME_RETRIED));
    }

    @Test
    void aRetryAfterALostRequestDeletesTheRecordItself() {
        int lead = portal.data().addLead("L", "NEW");
        portal.faults().next(Fault.RESET_BEFORE_ANSWER);
        Exchange exchange = send("direct:oneRetry", lead, null, null);

        assertNull(exchange.getException());
        assertEquals(true, exchange.getMessage().getHeader(Bitrix24CrmConstants.UNKNOWN_OUTCOME_RETRIED));
        assertFalse(portal.data().hasLead(lead));
    }

    @Test
    void lostAnswersCountAgainstMaxRetriesAndACallLeftUnsettledSaysItsOutcomeIsUnknown() {
        int lead = portal.data().addLead("L", "NEW");
        portal.faults().next(Fault.RESET_AFTER_APPLY, Fault.SERVER_ERROR);
        Exchange exchange = send("direct:oneRetry", lead, null, null);

        assertNull(exchange.getException(), "a read once the attempts are spent finds the lead gone");
        assertEquals(true, exchange.getMessage().getHeader(Bitrix24CrmConstants.UNKNOWN_OUTCOME_RETRIED));
        assertFalse(portal.data().hasLead(lead));
        assertEquals(2, portal.requests().count("crm.lead.delete"), "1 + maxRetries attempts, the lost one included");
        assertEquals(1, portal.requests().count("crm.lead.list"));
    }

    @Test
    void aCallWhoseAnswersWereLostAndWhoseRecordIsStillThereSaysItsOutcomeIsUnknown() {
        int lead = portal.data().addLead("L", "NEW");
        portal.faults().next(Fault.RESET_BEFORE_ANSWER, Fault.SERVER_ERROR);
        Exchange exchange = send("direct:oneRetry", lead, null, null);

        Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, exchange.getException());
        assertTrue(e.isOutcomeUnknown(), "an attempt may still be running on the portal: " + e.getMessage());
        assertEquals(500, e.getStatusCode(), "the last answer");
        assertTrue(e.getMessage().contains("gave up after 2 attempts in "), e.getMessage());
        assertTrue(e.getMessage().contains("may have been carried out"), e.getMessage());
        assertTrue(portal.data().hasLead(lead));
        assertEquals(2, portal.requests().count("crm.lead.delete"));
        assertEquals(1, portal.requests().count("crm.lead.list"), "one read, which found the lead");
    }

    @Test
    void anAnswerGarbledEveryTimeFailsWithinSecondsWithTheDefaultBackoff() {
        int lead = portal.data().addLead("L", "NEW");
        portal.faults().setRate(Fault.TRUNCATED_JSON, 1.0);
        long start = System.nanoTime();
        Exchange exchange = send("direct:garbled", lead, null, null);
        long millis = (System.nanoTime() - start) / 1_000_000;

        // every answer garbled, the settling read's too: the call cannot tell, and says so
        Bitrix24ServerException garbled = assertInstanceOf(Bitrix24ServerException.class, exchange.getException());
        assertTrue(garbled.isOutcomeUnknown(), garbled.getMessage());
        assertTrue(garbled.getMessage().contains("gave up after 3 attempts in "), garbled.getMessage());
        assertEquals(3, portal.requests().count("crm.lead.delete"), "maxRetries=2: three attempts");
        // the settling read and its retries: at most 3, and the portal may see fewer, as an attempt can die on a pooled
        // connection the garbled answers left behind before it reaches the portal
        long reads = portal.requests().count("crm.lead.list");
        assertTrue(reads >= 1 && reads <= 3, "settling reads: " + reads);
        // retryDelay 500 ms doubling: at most 0.5 + 1 s of pauses each; the old rule went on for the whole retryTimeout
        assertTrue(millis < 10_000, "ended after " + millis + " ms");

        // an answer garbled in front of the portal (a broken proxy): the lead stays, and the call says it may not
        int other = portal.data().addLead("M", "NEW");
        portal.faults().clear();
        portal.faults().next(Fault.RESET_BEFORE_ANSWER, Fault.RESET_BEFORE_ANSWER, Fault.RESET_BEFORE_ANSWER);
        start = System.nanoTime();
        Exchange unsettled = send("direct:garbled", other, null, null);
        millis = (System.nanoTime() - start) / 1_000_000;
        Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, unsettled.getException());
        assertTrue(e.isOutcomeUnknown(), e.getMessage());
        assertTrue(e.getMessage().contains("gave up after 3 attempts in "), e.getMessage());
        assertEquals(6, portal.requests().count("crm.lead.delete"));
        assertTrue(portal.data().hasLead(other));
        assertTrue(portal.requests().count("crm.lead.list") - reads >= 1, "a read, which found the lead");
        assertTrue(millis < 10_000, "ended after " + millis + " ms");
    }

    @Test
    void withoutALostAnswerMaxRetriesStandsAndTheRecordIsUntouched() {
        int lead = portal.data().addLead("L", "NEW");
        portal.faults().next(Fault.SERVER_ERROR, Fault.HTML_502, Fault.SERVICE_UNAVAILABLE);
        Exchange exchange = send("direct:oneRetry", lead, null, null);

        Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, exchange.getException());
        assertEquals(502, e.getStatusCode());
        assertFalse(e.isOutcomeUnknown());
        assertTrue(portal.data().hasLead(lead));
        assertEquals(2, portal.requests().count("crm.lead.delete"));
    }

    @Test
    void aNotFoundWithoutALostAnswerBeforeItIsStillNotFound() {
        portal.faults().next(Fault.SERVER_ERROR);
        Exchange exchange = send("direct:oneRetry", 987_654, null, null);
        assertInstanceOf(Bitrix24NotFoundException.class, exchange.getException());
        assertEquals(2, portal.requests().count("crm.lead.delete"));
    }

    @Test
    void itemApiDeleteIsSettledTheSameWay() {
        int contact = portal.data().addContact("C");
        portal.faults().next(Fault.TRUNCATED_JSON);
        Exchange exchange = send("direct:contact", contact, null, null);
        assertNull(exchange.getException());
        assertEquals(true, exchange.getMessage().getHeader(Bitrix24CrmConstants.UNKNOWN_OUTCOME_RETRIED));
        assertFalse(portal.data().hasContact(contact));
        assertEquals(2, portal.requests().count("crm.item.delete"));
    }

    @Test
    void unbindingIsRepeatedAndAnswersFalseOnceTheContactIsUnbound() {
        int lead = portal.data().addLead("L", "NEW");
        int contact = portal.data().addContact("C");
        portal.data().bindContact(lead, contact);
        portal.faults().next(Fault.RESET_AFTER_APPLY);
        Exchange exchange = send("direct:unbind", lead, null, contact);
        assertNull(exchange.getException());
        assertEquals(false, exchange.getMessage().getHeader(Bitrix24CrmConstants.RESULT), "the lost attempt unbound it");
        assertTrue(portal.data().contactsOfLead(lead).isEmpty());
    }

    @Test
    void aBatchWhoseAnswerWasLostIsRepeatedAndItsGoneRecordsCountAsDeleted() {
        List<Integer> ids = List.of(portal.data().addLead("A", "NEW"), portal.data().addLead("B", "NEW"),
                portal.data().addLead("C", "NEW"));
        portal.faults().next(Fault.RESET_AFTER_APPLY);
        Exchange exchange = send("direct:oneRetry", ids, null, null);

        assertNull(exchange.getException());
        assertEquals(3, exchange.getMessage().getHeader(Bitrix24CrmConstants.BATCH_SUCCEEDED));
        assertEquals(0, exchange.getMessage().getHeader(Bitrix24CrmConstants.BATCH_FAILED));
        @SuppressWarnings("unchecked")
        List<Bitrix24ItemResult> results = exchange.getMessage().getBody(List.class);
        assertResultsTrueFor(ids, results);
        ids.forEach(id -> assertFalse(portal.data().hasLead(id)));
        assertEquals(2, portal.requests().count("batch"));
    }

    @Test
    void aBatchWhoseAnswersWereAllLostReadsItsRecordsOnce() {
        List<Integer> ids = List.of(portal.data().addLead("A", "NEW"), portal.data().addLead("B", "NEW"));
        portal.faults().next(Fault.RESET_AFTER_APPLY, Fault.RESET_BEFORE_ANSWER);
        Exchange deleted = send("direct:oneRetry", ids, null, null);
        assertNull(deleted.getException(), () -> "the read found both leads gone: " + deleted.getException());
        @SuppressWarnings("unchecked")
        List<Bitrix24ItemResult> results = deleted.getMessage().getBody(List.class);
        assertResultsTrueFor(ids, results);
        ids.forEach(id -> assertFalse(portal.data().hasLead(id)));
        assertEquals(2, portal.requests().count("batch"));
        assertEquals(1, portal.requests().count("crm.lead.list"), "one read for the whole batch");

        List<Integer> kept = List.of(portal.data().addLead("C", "NEW"), portal.data().addLead("D", "NEW"));
        portal.faults().next(Fault.RESET_BEFORE_ANSWER, Fault.RESET_BEFORE_ANSWER);
        Exchange unsettled = send("direct:oneRetry", kept, null, null);
        // the batch call failed as a whole and the read found both leads: the exchange fails, saying it may yet be done
        Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, unsettled.getException());
        assertTrue(e.isOutcomeUnknown(), e.getMessage());
        assertTrue(e.getMessage().contains("2 of the 2 items were not processed"), e.getMessage());
        kept.forEach(id -> assertTrue(portal.data().hasLead(id)));
    }

    /** One result per id, in the batch's order, each a success answering true. */
    private static void assertResultsTrueFor(List<Integer> ids, List<Bitrix24ItemResult> results) {
        assertEquals(ids.size(), results == null ? 0 : results.size(), "a result per id: " + results);
        for (int i = 0; i < ids.size(); i++) {
            Bitrix24ItemResult result = results.get(i);
            assertEquals(ids.get(i), result.getId(), result.toString());
            assertTrue(result.isSuccess(), result.toString());
            assertEquals(Boolean.TRUE, result.getResult(), result.toString());
        }
    }
}
