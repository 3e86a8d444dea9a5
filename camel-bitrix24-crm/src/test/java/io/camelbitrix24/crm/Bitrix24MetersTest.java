package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Micrometer meters recorded to the MeterRegistry bound in Camel's registry, as Spring Boot binds its own: each
 * exchange by method and outcome, requests by kind and refusals by code, the same the portal counted; tags that stay
 * few however many portals, and no secret in a name or tag.
 */
class Bitrix24MetersTest {

    private Bitrix24Emulator portal;
    private CamelContext camel;
    private final MeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void startPortal() {
        portal = Bitrix24Emulator.builder().webhook(1, Bitrix24TestSupport.WEBHOOK_CODE).start();
        portal.limits().setRateLimit(5, 20);
    }

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        portal.close();
    }

    private ProducerTemplate start(String meterPortals) throws Exception {
        camel = new DefaultCamelContext();
        camel.getRegistry().bind("meterRegistry", meters);
        Bitrix24CrmComponent component = EmulatorContext.component(portal);
        component.getConfiguration().setRateLimitBurst(5);
        component.getConfiguration().setRateLimitPerSecond(20);
        component.setMeterPortals(meterPortals);
        camel.addComponent("bitrix24-crm", component);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:deal").to("bitrix24-crm:deal/delete");
                from("direct:dealIdempotent").to("bitrix24-crm:deal/delete?notFoundIsSuccess=true");
            }
        });
        camel.start();
        return camel.createProducerTemplate();
    }

    private double count(String name, String... tags) {
        return meters.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void theMetersCountWhatThePortalCounted() throws Exception {
        ProducerTemplate template = start(null);
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        for (int i = 0; i < 190; i++) {
            int deal = portal.data().addDeal("D" + i);
            sent.add(template.asyncSend("direct:deal", e -> e.getMessage().setBody(deal)));
        }
        for (int i = 0; i < 10; i++) {
            int missing = 990_000 + i;
            sent.add(template.asyncSend(i % 2 == 0 ? "direct:deal" : "direct:dealIdempotent",
                    e -> e.getMessage().setBody(missing)));
        }
        sent.add(template.asyncSend("direct:deal", e -> e.getMessage().setBody("not an id")));
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertEquals(190, count("bitrix24.crm.calls", "method", "crm.deal.delete", "outcome", "success"));
        assertEquals(10, count("bitrix24.crm.calls", "method", "crm.deal.delete", "outcome", "not_found"));
        assertEquals(1, count("bitrix24.crm.calls", "method", "crm.deal.delete", "outcome", "failure"), "bad input");
        assertEquals(portal.requests().total(), count("bitrix24.crm.requests"), "requests");
        assertEquals(portal.requests().count("batch"), count("bitrix24.crm.requests", "kind", "batch"), "batch calls");
        assertEquals(portal.limits().rateLimitedCount(), count("bitrix24.crm.refusals"), "refusals");
        assertEquals(0.0, meters.get("bitrix24.crm.waiting").gauge().value());
        assertEquals(0.0, meters.get("bitrix24.crm.inflight").gauge().value());
        assertEquals(portal.requests().total(), meters.get("bitrix24.crm.wait").timers().stream()
                .mapToLong(t -> t.count()).sum(), "each request's wait for its turn timed");
        for (Meter meter : meters.getMeters()) {
            String id = meter.getId().toString();
            assertFalse(id.contains(Bitrix24TestSupport.WEBHOOK_CODE), id);
            assertTrue(meter.getId().getTag("portal") == null, "no portal tag unless asked: " + id);
        }
    }

    @Test
    void thePortalsNamedToBeTaggedCarryTheirName() throws Exception {
        String name = "127.0.0.1:" + portal.port();
        ProducerTemplate template = start(name);
        int deal = portal.data().addDeal("D");
        template.requestBody("direct:deal", deal);
        assertEquals(1, count("bitrix24.crm.requests", "portal", name));
        assertTrue(meters.find("bitrix24.crm.requests").tags("portal", "other").counters().isEmpty());
    }

    @Test
    void theGaugesSumEveryComponentRecordingToTheRegistry() throws Exception {
        start(null);
        Bitrix24CrmComponent second = EmulatorContext.component(portal);
        camel.addComponent("bitrix24-second", second);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:first").to("bitrix24-crm:deal/delete?coalesce=false");
                from("direct:second").to("bitrix24-second:deal/delete?coalesce=false");
            }
        });
        CompletableFuture<Void> release = new CompletableFuture<>();
        portal.holdAnswers(release);
        List<CompletableFuture<Exchange>> sent = new ArrayList<>();
        try {
            ProducerTemplate template = camel.createProducerTemplate();
            for (String route : List.of("direct:first", "direct:first", "direct:second", "direct:second")) {
                int deal = portal.data().addDeal("D");
                sent.add(template.asyncSend(route, e -> e.getMessage().setBody(deal)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (meters.get("bitrix24.crm.inflight").gauge().value() < 4 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(4.0, meters.get("bitrix24.crm.inflight").gauge().value(), "both components' requests");
        } finally {
            release.complete(null);
            portal.holdAnswers(null);
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
}
