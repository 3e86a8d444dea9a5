package io.camelbitrix24.crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.emulator.Answer;
import io.camelbitrix24.emulator.Bitrix24Error;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.console.DevConsole;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client-side limiter against the emulator's bucket, operating-time holds, and retries, through real routes. */
class Bitrix24RateLimitAndRetryTest extends Bitrix24TestSupport {

    @Override
    protected void configure(Bitrix24CrmConfiguration configuration) {
        super.configure(configuration);
        // the portal's bucket for these tests: 10 at once, then 20 a second
        configuration.setRateLimitBurst(10);
        configuration.setRateLimitPerSecond(20);
        configuration.setRetryDelay(20);
        configuration.setMaxRetryDelay(200);
    }

    @Override
    protected org.apache.camel.CamelContext createCamelContext() throws Exception {
        org.apache.camel.CamelContext context = super.createCamelContext();
        // a second component has limiters of its own: here, none
        Bitrix24CrmComponent unlimited = new Bitrix24CrmComponent();
        super.configure(unlimited.getConfiguration());
        unlimited.getConfiguration().setRateLimitPerSecond(0);
        context.addComponent("bitrix24-unlimited", unlimited);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // single calls: how the limiter paces them against the portal's bucket (coalesced calls: Bitrix24CoalescingTest)
                from("direct:limited").to("bitrix24-crm:lead/delete?coalesce=false");
                from("direct:unlimited").to("bitrix24-unlimited:lead/delete?maxRetries=0&coalesce=false");
                from("direct:retrying").to("bitrix24-crm:lead/delete?maxRetries=2");
                from("direct:get").to("bitrix24-crm:lead-contact/items-delete?maxRetries=1");
                from("seda:leads?concurrentConsumers=10").to("bitrix24-crm:lead/delete").to("mock:done");
                from("seda:contacts?concurrentConsumers=10").to("bitrix24-crm:contact/delete").to("mock:done");
            }
        };
    }

    @AfterEach
    void limitsOff() {
        portal.limits().clearRateLimit();
        portal.limits().setLatency(Duration.ZERO);
        portal.limits().setOperatingLimit(Duration.ofDays(1), Duration.ofMinutes(10));
        portal.limits().resetCounts();
    }

    private List<CompletableFuture<Exchange>> sendConcurrently(String uri, List<Integer> ids) {
        List<CompletableFuture<Exchange>> calls = new ArrayList<>();
        for (int id : ids) {
            calls.add(template.asyncSend(uri, e -> e.getMessage().setBody(id)));
        }
        return calls;
    }

    private List<Integer> leads(int count) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(portal.data().addLead("L" + i, "NEW"));
        }
        return ids;
    }

    @Test
    void burstOfConcurrentExchangesStaysUnderThePortalsBucket() throws Exception {
        portal.limits().setRateLimit(10, 20);
        List<Integer> ids = leads(60);

        for (CompletableFuture<Exchange> call : sendConcurrently("direct:limited", ids)) {
            assertNull(call.get(30, TimeUnit.SECONDS).getException());
        }

        // none surfaced (all succeeded); the portal may refuse a call that arrived early (jitter on a busy machine),
        // retried in its turn: a few at most, where the same burst without the limiter gets most of it refused
        long refused = portal.limits().rateLimitedCount();
        assertTrue(refused <= 10, "QUERY_LIMIT_EXCEEDED answered by the portal: " + refused);
        ids.forEach(id -> assertFalse(portal.data().hasLead(id)));
        assertEquals(60 + refused, portal.requests().count("crm.lead.delete"), "one request each, and a retry per refusal");
    }

    @Test
    void withoutTheLimiterThePortalRefusesTheSameBurst() throws Exception {
        portal.limits().setRateLimit(10, 20);
        List<Integer> ids = leads(60);

        long refused = 0;
        for (CompletableFuture<Exchange> call : sendConcurrently("direct:unlimited", ids)) {
            if (call.get(30, TimeUnit.SECONDS).getException() instanceof Bitrix24RateLimitException) {
                refused++;
            }
        }
        assertTrue(refused > 20, "the emulator's bucket is real: " + refused);
        assertEquals(refused, portal.limits().rateLimitedCount());
    }

    @Test
    void endpointsOnTheSamePortalShareOneLimiterAcrossSedaConsumers() throws Exception {
        portal.limits().setRateLimit(10, 20);
        List<Integer> leads = leads(40);
        List<Integer> contacts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            contacts.add(portal.data().addContact("C" + i));
        }
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedMessageCount(80);

        for (int i = 0; i < 40; i++) {
            template.sendBody("seda:leads", leads.get(i));
            template.sendBody("seda:contacts", contacts.get(i));
        }

        done.assertIsSatisfied(30_000);
        assertTrue(portal.limits().rateLimitedCount() <= 10, "refused: " + portal.limits().rateLimitedCount());
        done.getReceivedExchanges().forEach(e -> assertEquals(Boolean.TRUE, e.getMessage().getBody()));
        assertEquals(0, portal.data().contactCount());
    }

    @Test
    void retriesRecoverFromInjectedServerFaults() {
        int lead = portal.data().addLead("L", "NEW");
        portal.script(Answer.error(Bitrix24Error.QUERY_LIMIT_EXCEEDED), Answer.error(Bitrix24Error.INTERNAL_SERVER_ERROR));

        Exchange out = template.request("direct:retrying", e -> e.getMessage().setBody(lead));

        assertNull(out.getException());
        assertEquals(Boolean.TRUE, out.getMessage().getBody());
        assertEquals(3, portal.requests().count("crm.lead.delete"), "two faults, then the delete");
        assertFalse(portal.data().hasLead(lead));
    }

    @Test
    void retriesStopAtMaxRetriesAndTheTypedExceptionReachesTheRoute() {
        int lead = portal.data().addLead("L", "NEW");
        portal.script(Answer.proxyErrorPage(), Answer.error(Bitrix24Error.INTERNAL_SERVER_ERROR),
                Answer.error(Bitrix24Error.OVERLOAD_LIMIT), Answer.error(Bitrix24Error.INTERNAL_SERVER_ERROR));

        Exchange out = template.request("direct:retrying", e -> e.getMessage().setBody(lead));

        Bitrix24RateLimitException e = assertInstanceOf(Bitrix24RateLimitException.class, out.getException());
        assertEquals("OVERLOAD_LIMIT", e.getErrorCode(), "the last failure");
        assertEquals(3, portal.requests().count("crm.lead.delete"), "the call and its 2 retries");
        assertTrue(portal.data().hasLead(lead));
    }

    @Test
    void finalErrorsAreNotRetried() {
        portal.script(Answer.error(Bitrix24Error.ACCESS_DENIED));
        Exchange out = template.request("direct:retrying", e -> e.getMessage().setBody(1));
        assertInstanceOf(Bitrix24AccessDeniedException.class, out.getException());
        assertEquals(1, portal.requests().count("crm.lead.delete"));
    }

    @Test
    void operationTimeLimitHoldsTheMethodUntilItsReset() throws Exception {
        portal.limits().setOperatingLimit(Duration.ofMillis(200), Duration.ofSeconds(2));
        portal.limits().setLatency(Duration.ofMillis(120));
        List<Integer> leads = leads(3);
        for (int i = 0; i < 3; i++) {
            portal.data().bindContact(leads.get(i), portal.data().addContact("C" + i));
        }
        // two calls spend the budget; the portal reports when it resets
        assertNull(template.request("direct:get", e -> e.getMessage().setBody(leads.get(0))).getException());
        assertNull(template.request("direct:get", e -> e.getMessage().setBody(leads.get(1))).getException());

        long start = System.nanoTime();
        CompletableFuture<Exchange> held = template.asyncSend("direct:get",
                e -> e.getMessage().setBody(leads.get(2)));
        // while it is held, the dev console says which method and until when
        String heldShown = "";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!held.isDone() && heldShown.isEmpty() && System.nanoTime() < deadline) {
            JsonObject console = (JsonObject)
                    PluginHelper.getDevConsoleResolver(context).resolveDevConsole("bitrix24-crm")
                            .call(DevConsole.MediaType.JSON, Map.of());
            heldShown = String.valueOf(((JsonObject) ((List<?>) console.get("portals"))
                    .get(0)).get("held"));
            heldShown = heldShown.contains("crm.lead.contact.items.delete") ? heldShown : "";
            Thread.sleep(20);
        }
        Exchange third = held.get(10, TimeUnit.SECONDS);
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(heldShown.contains("until"), "the console showed the hold: " + heldShown);

        assertNull(third.getException(), "held, then done");
        assertEquals(List.of(), portal.data().contactsOfLead(leads.get(2)));
        assertEquals(1, portal.limits().timeLimitedCount(), "refused once, then held until the reset");
        assertEquals(4, portal.requests().count("crm.lead.contact.items.delete"));
        assertTrue(waitedMillis >= 500, "waited for the reset, not a short backoff: " + waitedMillis + " ms");
    }

    @Test
    void callsWaitingInTheBucketWhenTheirMethodIsHeldAllEndDoneAfterTheHold() throws Exception {
        portal.limits().setOperatingLimit(Duration.ofMillis(200), Duration.ofSeconds(2));
        portal.limits().setLatency(Duration.ofMillis(120));
        List<Integer> leads = leads(2);
        // two calls spend the budget, and the portal says when it resets
        for (int lead : leads) {
            assertNull(template.request("direct:limited", e -> e.getMessage().setBody(lead)).getException());
        }
        portal.limits().setLatency(Duration.ZERO);
        // 30 calls at 20 a second wait in the bucket: the first refused holds the method, the others wait for the reset
        List<CompletableFuture<Exchange>> sent = sendConcurrently("direct:limited", leads(30));
        for (CompletableFuture<Exchange> exchange : sent) {
            assertNull(exchange.get(20, TimeUnit.SECONDS).getException());
        }
        long refused = portal.limits().timeLimitedCount();
        System.out.printf("30 calls behind an operating-time hold: %d refused by the portal%n", refused);
        assertTrue(refused >= 1, "the hold came from a refusal");
    }
}
