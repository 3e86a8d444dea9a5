package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.console.DevConsole;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code bitrix24-crm} dev console, found by Camel's resolver from the component's jar, while a backlog drains
 * through a small bucket and after: what it says waits, when it says the backlog drains, and that its counts are what
 * the portal's request log counted.
 */
class Bitrix24DevConsoleTest {

    private Bitrix24Emulator portal;
    private EmulatorContext camel;

    @BeforeEach
    void start() throws Exception {
        portal = Bitrix24Emulator.builder().webhook(1, Bitrix24TestSupport.WEBHOOK_CODE).start();
        portal.limits().setRateLimit(5, 10);
        camel = EmulatorContext.start(portal, config -> {
            config.setRateLimitBurst(5);
            config.setRateLimitPerSecond(10);
        }, Map.of("direct:single", "bitrix24-crm:lead/delete?coalesce=false",
                "direct:coalesced", "bitrix24-crm:deal/delete"));
    }

    @AfterEach
    void stop() {
        camel.close();
        portal.close();
    }

    private DevConsole console() {
        DevConsole console = PluginHelper.getDevConsoleResolver(camel.camel()).resolveDevConsole("bitrix24-crm");
        assertNotNull(console, "the console is found from the jar");
        return console;
    }

    @SuppressWarnings("unchecked")
    private JsonObject json(Map<String, Object> options) {
        return (JsonObject) console().call(DevConsole.MediaType.JSON, options);
    }

    private List<CompletableFuture<Exchange>> sendAll(String route, List<Integer> ids) {
        ProducerTemplate template = camel.camel().createProducerTemplate();
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        ids.forEach(id -> sent.add(template.asyncSend(route, e -> e.getMessage().setBody(id))));
        return sent;
    }

    @Test
    void whileABacklogDrainsTheConsoleShowsItWaitingAndWhenItDrains() throws Exception {
        List<Integer> leads = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            leads.add(portal.data().addLead("L" + i, "NEW"));
        }
        long start = System.nanoTime();
        List<CompletableFuture<Exchange>> sent = sendAll("direct:single", leads);
        JsonObject during = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            during = (JsonObject) json(Map.of()).get("totals");
            // every call has started: each is waiting, or its request has left
            if (during.getInteger("waiting") + portal.requests().total() >= leads.size()) {
                break;
            }
            Thread.sleep(5);
        }
        long seenAt = System.nanoTime();
        int waiting = during.getInteger("waiting");
        double estimate = during.getDouble("drainSeconds");
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        double actual = (System.nanoTime() - seenAt) / 1e9;
        System.out.printf("console: %d waiting, drain estimate %.1f s, drained in %.1f s (%.1f s after the first"
                          + " call)%n", waiting, estimate, actual, (System.nanoTime() - start) / 1e9);
        assertTrue(waiting >= 40, "a backlog waits: " + waiting);
        // 10 requests a second, one call each: the estimate is the bucket's pace, and the backlog keeps to it
        assertEquals(waiting / 10.0, estimate, 1.0, "the estimate at the bucket's pace");
        assertEquals(estimate, actual, 1.5, "the backlog drained when the console said");

        JsonObject portalRow = (JsonObject) ((List<?>) json(Map.of()).get("portals")).get(0);
        assertEquals("127.0.0.1:" + portal.port(), portalRow.getString("portal"));
        JsonObject bucket = (JsonObject) portalRow.get("bucket");
        assertEquals(5, bucket.getInteger("size"));
        assertEquals(10.0, bucket.getDouble("perSecond"));
        for (CompletableFuture<Exchange> exchange : sent) {
            assertNull(exchange.get().getException());
        }
    }

    @Test
    void afterTheBacklogItsCountsAreWhatThePortalCounted() throws Exception {
        List<Integer> deals = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            deals.add(portal.data().addDeal("D" + i));
        }
        List<CompletableFuture<Exchange>> sent = sendAll("direct:coalesced", deals);
        sent.addAll(sendAll("direct:single", List.of(987_654)));
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        // the exchanges end as their calls do: the figures may follow a moment later
        JsonObject totals = (JsonObject) json(Map.of()).get("totals");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (totals.getInteger("waiting") + totals.getInteger("inFlight") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
            totals = (JsonObject) json(Map.of()).get("totals");
        }
        assertEquals(portal.requests().total(), totals.getLong("requests").longValue(), "requests");
        assertEquals(portal.requests().count("batch"), totals.getLong("batchRequests").longValue(), "batch calls");
        assertEquals(portal.limits().rateLimitedCount(), totals.getLong("refusals").longValue(), "refusals");
        assertEquals(0, totals.getInteger("waiting"));
        assertEquals(0, totals.getInteger("inFlight"));
        assertTrue(totals.getDouble("commandsPerBatch") > 1, totals.toString());
        JsonObject portalRow = (JsonObject) ((List<?>) json(Map.of()).get("portals")).get(0);
        JsonObject lastError = (JsonObject) portalRow.get("lastError");
        assertNull(lastError, "a lead not found is an outcome, not a failure to show: " + lastError);

        String text = (String) console().call(DevConsole.MediaType.TEXT, Map.of());
        System.out.println(text);
        assertTrue(text.contains("127.0.0.1:" + portal.port()), text);
        assertTrue(text.contains("WAITING") && text.contains("BUCKET"), text);
        for (String shown : List.of(text, json(Map.of()).toJson())) {
            assertFalse(shown.contains(Bitrix24TestSupport.WEBHOOK_CODE), "no webhook code: " + shown);
        }
    }

    @Test
    void theLimitBoundsThePortalsShownAndSumsTheRest() throws Exception {
        portal.data().addLead("L", "NEW");
        sendAll("direct:single", List.of(1)).get(0).get(10, TimeUnit.SECONDS);
        JsonObject none = json(Map.of(Bitrix24CrmDevConsole.LIMIT, "0"));
        assertEquals(0, ((List<?>) none.get("portals")).size());
        JsonObject others = (JsonObject) none.get("others");
        assertEquals(1, others.getInteger("portals"));
        assertEquals(1, others.getLong("requests").longValue());
        assertEquals(1, ((JsonObject) none.get("totals")).getInteger("portals"));
    }
}
