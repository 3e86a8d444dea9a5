package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.emulator.Fault;
import io.camelbitrix24.emulator.RecordedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Single calls that wait for their turn together leave as one batch call, over HTTP through routes, and each exchange
 * still ends as if it had been sent alone.
 */
class Bitrix24CoalescingTest {

    private Bitrix24Emulator portal;

    @BeforeEach
    void startPortal() {
        portal = Bitrix24Emulator.builder().webhook(1, Bitrix24TestSupport.WEBHOOK_CODE).start();
    }

    @AfterEach
    void stopPortal() {
        portal.close();
    }

    /** Sends every body to {@code from} at once, without waiting: the exchanges, once all have ended. */
    private static List<Exchange> sendAtOnce(EmulatorContext camel, String from, List<?> bodies) throws Exception {
        ProducerTemplate template = camel.camel().createProducerTemplate();
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        for (Object body : bodies) {
            sent.add(template.asyncSend(from, e -> e.getMessage().setBody(body)));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        List<Exchange> done = new ArrayList<>();
        for (CompletableFuture<Exchange> exchange : sent) {
            done.add(exchange.get());
        }
        return done;
    }

    private List<Integer> leads(int count) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(portal.data().addLead("L" + i, "NEW"));
        }
        return ids;
    }

    /** The commands of every batch call the portal received. */
    private List<String> batchCommands() {
        List<String> commands = new ArrayList<>();
        for (RecordedRequest request : portal.requests().recent()) {
            if ("batch".equals(request.method())) {
                ((Map<?, ?>) request.params().get("cmd")).values().forEach(c -> commands.add(c.toString()));
            }
        }
        return commands;
    }

    @Test
    void twoThousandSingleIdExchangesInFlightFinishNearTheBatchFloorEachWithItsOwnOutcome() throws Exception {
        portal.limits().setRateLimit(10, 5);
        List<Integer> ids = leads(1900);
        List<Object> bodies = new ArrayList<>(ids);
        Set<Integer> missing = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            int id = 900_000 + i;
            missing.add(id);
            bodies.add(i * 19, id);
        }
        try (EmulatorContext camel = EmulatorContext.deletingLeads(portal, c -> {
            c.setRateLimitBurst(10);
            c.setRateLimitPerSecond(5);
        })) {
            long start = System.nanoTime();
            List<Exchange> done = sendAtOnce(camel, "direct:delete", bodies);
            double seconds = (System.nanoTime() - start) / 1e9;

            for (int i = 0; i < bodies.size(); i++) {
                Exchange exchange = done.get(i);
                int id = Integer.parseInt(bodies.get(i).toString());
                assertEquals(id, exchange.getMessage().getHeader(Bitrix24CrmConstants.ID), "its own id at " + i);
                if (missing.contains(id)) {
                    Bitrix24NotFoundException notFound = assertInstanceOf(Bitrix24NotFoundException.class,
                            exchange.getException(), "lead " + id);
                    assertTrue(notFound.getMessage().contains("lead " + id), notFound.getMessage());
                    assertEquals("crm.lead.delete", notFound.getMethod());
                } else {
                    assertNull(exchange.getException(), "lead " + id);
                    assertEquals(Boolean.TRUE, exchange.getMessage().getBody());
                    assertEquals("crm.lead.delete", exchange.getMessage().getHeader(Bitrix24CrmConstants.METHOD));
                    assertFalse(portal.data().hasLead(id));
                }
            }
            long batches = portal.requests().count("batch");
            long singles = portal.requests().count("crm.lead.delete");
            long requests = batches + singles;
            // 2,000 calls need 40 batch calls; a few more leave part-full while the burst has room
            double floorSeconds = (Math.ceil(bodies.size() / 50.0) - 10) / 5.0;
            System.out.printf("2,000 single-id exchanges: %d requests (%d batch, %d single), %.2f s, batch floor %.1f s,"
                              + " %d refusals%n", requests, batches, singles, seconds, floorSeconds,
                    portal.limits().rateLimitedCount());
            // the limiter keeps to the portal's bucket, but a request reaches the portal a little after its turn: in a
            // cold JVM (this test run alone) two arrivals can come closer than the bucket refills, and the portal
            // refuses such a request whole, without running its commands, so it is sent again (0 when warm, 2 cold)
            long refusals = portal.limits().rateLimitedCount();
            assertTrue(refusals <= 3, refusals + " refusals");
            long sent = batchCommands().size() + singles;
            assertTrue(sent >= bodies.size() && sent <= bodies.size() + 50 * refusals,
                    "every call sent once, and again only when the portal refused its request: " + sent);
            assertTrue(requests <= 60 + refusals, requests + " requests for 2,000 calls");
            // single calls would need (2000 - 10) / 5 = 398 s
            assertTrue(seconds < floorSeconds * 2 + 10, seconds + " s");
        }
    }

    @Test
    void aThousandSingleDealDeletesLeaveTogetherAtASmallBucket() throws Exception {
        portal.limits().setRateLimit(10, 5);
        List<Integer> deals = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            deals.add(portal.data().addDeal("D" + i));
        }
        try (EmulatorContext camel = EmulatorContext.start(portal, c -> {
            c.setRateLimitBurst(10);
            c.setRateLimitPerSecond(5);
        }, Map.of("direct:deal", "bitrix24-crm:deal/delete"))) {
            long start = System.nanoTime();
            List<Exchange> done = sendAtOnce(camel, "direct:deal", deals);
            double seconds = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < deals.size(); i++) {
                Exchange exchange = done.get(i);
                assertNull(exchange.getException(), "deal " + deals.get(i));
                assertEquals(deals.get(i), exchange.getMessage().getHeader(Bitrix24CrmConstants.ID));
                assertEquals(Boolean.TRUE, exchange.getMessage().getBody());
                assertFalse(portal.data().hasDeal(deals.get(i)));
            }
            long batches = portal.requests().count("batch");
            long singles = portal.requests().count("crm.deal.delete");
            long refusals = portal.limits().rateLimitedCount();
            // 1,000 calls need 20 batch calls: the burst's 10 at once, the other 10 at 5 a second
            double floorSeconds = (Math.ceil(deals.size() / 50.0) - 10) / 5.0;
            System.out.printf("1,000 single deal deletes at a 10 + 5/s bucket: %d requests (%d batch, %d single),"
                              + " %d commands, %.2f s, batch floor %.1f s, %d refusals%n", batches + singles, batches,
                    singles, portal.requests().commands("crm.deal.delete"), seconds, floorSeconds, refusals);
            assertTrue(refusals <= 3, refusals + " refusals");
            assertTrue(batches + singles <= 40 + refusals, (batches + singles) + " requests for 1,000 calls");
            assertTrue(portal.requests().commands("crm.deal.delete") <= deals.size() + 50 * refusals);
            // single calls would need (1000 - 10) / 5 = 198 s
            assertTrue(seconds < floorSeconds * 2 + 10, seconds + " s");
        }
    }

    @Test
    void endpointsWithTheirOwnOptionsShareABatchAndKeepTheirOwnOutcomes() throws Exception {
        List<Integer> ids = leads(4);
        int contact = portal.data().addContact("C");
        portal.data().bindContact(ids.get(2), contact);
        int other = portal.data().addContact("D");
        portal.data().bindContact(ids.get(3), contact);
        portal.data().bindContact(ids.get(3), other);
        try (EmulatorContext camel = EmulatorContext.start(portal, c -> {
            c.setRateLimitBurst(1);
            c.setRateLimitPerSecond(1);
        }, Map.of("direct:strict", "bitrix24-crm:lead/delete",
                "direct:lenient", "bitrix24-crm:lead/delete?notFoundIsSuccess=true",
                "direct:unbind", "bitrix24-crm:lead-contact/delete",
                "direct:unbindAll", "bitrix24-crm:lead-contact/items-delete"))) {
            // the burst is spent: the calls below wait for the next turn, together
            assertNull(camel.send("direct:strict", ids.get(0)).getException());
            portal.requests().reset();
            ProducerTemplate template = camel.camel().createProducerTemplate();
            CompletableFuture<Exchange> strictMissing = template.asyncSend("direct:strict", e -> e.getMessage().setBody(777_001));
            CompletableFuture<Exchange> lenientMissing = template.asyncSend("direct:lenient",
                    e -> e.getMessage().setBody(777_002));
            CompletableFuture<Exchange> lenientThere = template.asyncSend("direct:lenient",
                    e -> e.getMessage().setBody(ids.get(1)));
            CompletableFuture<Exchange> unbind = template.asyncSend("direct:unbind", e -> {
                e.getMessage().setHeader(Bitrix24CrmConstants.ID, ids.get(2));
                e.getMessage().setHeader(Bitrix24CrmConstants.CONTACT_ID, contact);
            });

            CompletableFuture<Exchange> unbindAll = template.asyncSend("direct:unbindAll",
                    e -> e.getMessage().setBody(ids.get(3)));

            Exchange strict = strictMissing.get(30, TimeUnit.SECONDS);
            assertInstanceOf(Bitrix24NotFoundException.class, strict.getException());
            Exchange lenient = lenientMissing.get(30, TimeUnit.SECONDS);
            assertNull(lenient.getException(), "not found is success on this endpoint");
            assertEquals(Boolean.FALSE, lenient.getMessage().getBody());
            Exchange there = lenientThere.get(30, TimeUnit.SECONDS);
            assertNull(there.getException());
            assertEquals(Boolean.TRUE, there.getMessage().getBody());
            Exchange unbound = unbind.get(30, TimeUnit.SECONDS);
            assertNull(unbound.getException());
            assertEquals("crm.lead.contact.delete", unbound.getMessage().getHeader(Bitrix24CrmConstants.METHOD));
            assertTrue(unbound.getMessage().getHeader(Bitrix24CrmConstants.OPERATING) != null,
                    "its own operating time, from the batch's result_time");
            assertFalse(portal.data().contactsOfLead(ids.get(2)).contains(contact));

            Exchange allUnbound = unbindAll.get(30, TimeUnit.SECONDS);
            assertNull(allUnbound.getException());
            assertEquals("crm.lead.contact.items.delete", allUnbound.getMessage().getHeader(Bitrix24CrmConstants.METHOD));
            assertEquals(List.of(), portal.data().contactsOfLead(ids.get(3)));
            assertTrue(portal.data().hasLead(ids.get(3)), "unbinding deletes nothing");

            assertEquals(1, portal.requests().count("batch"), "one batch call: " + portal.requests().recent());
            assertEquals(5, batchCommands().size(), batchCommands().toString());
            assertEquals(5, portal.requests().commands("crm.lead.delete") + portal.requests().commands("crm.lead.contact.delete")
                            + portal.requests().commands("crm.lead.contact.items.delete"));
            assertEquals(0, portal.requests().count("crm.lead.delete") + portal.requests().count("crm.lead.contact.delete")
                            + portal.requests().count("crm.lead.contact.items.delete"));
        }
    }

    @Test
    void aCoalescedBatchWhoseAnswerIsLostEndsWithEveryExchangeSettledByOneRead() throws Exception {
        // the portal's bucket is roomier than the component's, so that no refusal hides behind the lost answer
        portal.limits().setRateLimit(10, 10);
        List<Integer> ids = leads(6);
        try (EmulatorContext camel = EmulatorContext.deletingLeads(portal, c -> {
            c.setRateLimitBurst(1);
            c.setRateLimitPerSecond(1);
            c.setMaxRetries(0);
        })) {
            assertNull(camel.delete(ids.get(0)).getException());
            portal.requests().reset();
            // the batch runs, then its connection drops: no exchange can tell from the answer
            portal.faults().next(Fault.RESET_AFTER_APPLY);
            List<Exchange> done = sendAtOnce(camel, "direct:delete", ids.subList(1, 6));

            for (Exchange exchange : done) {
                assertNull(exchange.getException(), () -> String.valueOf(exchange.getException()));
                assertEquals(Boolean.TRUE, exchange.getMessage().getBody());
                assertEquals(Boolean.TRUE, exchange.getMessage().getHeader(Bitrix24CrmConstants.UNKNOWN_OUTCOME_RETRIED));
            }
            assertEquals(1, portal.requests().count("batch"), portal.requests().recent().toString());
            assertEquals(1, portal.requests().count("crm.lead.list"), "one read settles the batch");
            Map<?, ?> filter = (Map<?, ?>) portal.requests().recent().stream()
                    .filter(r -> r.method().equals("crm.lead.list")).findFirst().orElseThrow().params().get("filter");
            assertEquals(5, ((List<?>) filter.get("@ID")).size(), filter.toString());
        }
    }

    @Test
    void aLoneCallOnAnIdlePortalIsAPlainCallWithNoAddedDelay() throws Exception {
        List<Integer> ids = leads(11);
        try (EmulatorContext camel = EmulatorContext.deletingLeads(portal, c -> {
        })) {
            assertNull(camel.delete(ids.get(0)).getException());
            portal.requests().reset();
            List<Long> millis = new ArrayList<>();
            for (int id : ids.subList(1, 11)) {
                long start = System.nanoTime();
                Exchange exchange = camel.delete(id);
                millis.add((System.nanoTime() - start) / 1_000_000);
                assertNull(exchange.getException());
            }
            assertEquals(10, portal.requests().count("crm.lead.delete"));
            assertEquals(0, portal.requests().count("batch"));
            millis.sort(null);
            // a call that waited for company would take a gathering window; loopback answers in a few ms
            assertTrue(millis.get(5) < 100, "median " + millis.get(5) + " ms");
        }
    }

    @ParameterizedTest(name = "coalesce={0}")
    @ValueSource(booleans = { false, true })
    void theSameWaitingCallsLeaveInBatchesOnlyWithCoalescingOn(boolean coalesce) throws Exception {
        List<Integer> ids = leads(30);
        try (EmulatorContext camel = EmulatorContext.deletingLeads(portal, c -> {
            c.setRateLimitBurst(2);
            c.setRateLimitPerSecond(20);
            c.setCoalesce(coalesce);
        })) {
            List<Exchange> done = sendAtOnce(camel, "direct:delete", ids);
            done.forEach(exchange -> assertNull(exchange.getException()));
            assertEquals(30, portal.requests().commands("crm.lead.delete"), "every call sent once");
            if (coalesce) {
                assertTrue(portal.requests().count("batch") >= 1);
                assertTrue(portal.requests().total() < 30, portal.requests().total() + " requests");
            } else {
                assertEquals(30, portal.requests().count("crm.lead.delete"), "each a plain call");
                assertEquals(0, portal.requests().count("batch"));
            }
        }
    }
}
