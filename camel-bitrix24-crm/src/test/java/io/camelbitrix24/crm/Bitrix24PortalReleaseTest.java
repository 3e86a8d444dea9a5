package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many-portal mode keeps per portal only what its calls use: a portal's way (OAuth session, bucket, coalescing queue)
 * and its idle connections go once it has been idle for {@code portalIdleTimeout}, never while its bucket has not
 * drained; connections stay within {@code maxTotalConnections} however many portals are called.
 */
class Bitrix24PortalReleaseTest {

    @Test
    void portalsCalledOnceAreReleasedOnceIdleWithConnectionsCappedOverall() throws Exception {
        int portals = 12;
        int maxTotal = 4;
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(portals).start();
             ConnectionCountingRelay relay = new ConnectionCountingRelay()) {
            // the component reaches each portal through a relay that counts the connections open at once as they open
            Bitrix24PortalRegistry registry = CloudInstallations.installedOn(cloud, relay::relayUrl);
            for (Bitrix24Emulator portal : cloud.portals()) {
                portal.data().addLead("Lead", "NEW");
                portal.data().addContact("Contact");
                // each call holds its connection a while, so calls to different portals overlap
                portal.limits().setLatency(java.time.Duration.ofMillis(40));
            }
            Bitrix24CrmComponent component = CloudInstallations.component(cloud, registry);
            component.getConfiguration().setMaxConnections(2);
            component.getConfiguration().setMaxTotalConnections(maxTotal);
            component.getConfiguration().setPortalIdleTimeout(300);
            try (EmulatorContext context = EmulatorContext.start(component, Map.of(
                    "direct:lead", "bitrix24-crm:lead/delete", "direct:contact", "bitrix24-crm:contact/delete"))) {
                Bitrix24CrmEndpoint leads = context.camel().getEndpoint("bitrix24-crm:lead/delete", Bitrix24CrmEndpoint.class);
                Bitrix24CrmEndpoint contacts = context.camel().getEndpoint("bitrix24-crm:contact/delete",
                        Bitrix24CrmEndpoint.class);
                ProducerTemplate template = context.camel().createProducerTemplate();
                List<CompletableFuture<Exchange>> calls = new ArrayList<>();
                for (Bitrix24Emulator portal : cloud.portals()) {
                    for (String route : List.of("direct:lead", "direct:contact")) {
                        calls.add(template.asyncSend(route, e -> {
                            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal.memberId());
                            e.getMessage().setBody(1);
                        }));
                    }
                }
                for (CompletableFuture<Exchange> call : calls) {
                    assertNull(call.get(30, TimeUnit.SECONDS).getException());
                }
                for (Bitrix24Emulator portal : cloud.portals()) {
                    assertEquals(0, portal.data().leadCount());
                    assertEquals(0, portal.data().contactCount());
                }
                int mostOpen = relay.peak();
                System.out.printf("portal release: 12 portals x 2 endpoints, maxTotalConnections %d: at most %d open"
                                  + " (%d connections in all)%n", maxTotal, mostOpen, relay.accepted());
                assertTrue(relay.accepted() >= portals, "every portal was called through the relay: "
                                                        + relay.accepted() + " connections");
                assertTrue(mostOpen <= 4, "at most 4 connections open at once, saw " + mostOpen);
                assertTrue(mostOpen >= 2, "calls to several portals overlapped, saw " + mostOpen);
                // both endpoints held a way to every portal, sharing each portal's session and bucket
                Bitrix24SharedResources shared = component.sharedResources();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while ((leads.portalsKept() + contacts.portalsKept() + shared.installations().held()
                        + leads.getTransport().openConnections() + relay.open() > 0) && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(0, leads.portalsKept());
                assertEquals(0, contacts.portalsKept());
                assertEquals(0, shared.installations().held(), "no OAuth session or bucket kept");
                assertEquals(0, leads.getTransport().openConnections(), "no idle connection kept");
                assertEquals(0, relay.open(), "no connection open at the portals");

                // a released portal is called again: its way is made anew from the registry
                cloud.portal(0).data().addLead("Again", "NEW");
                assertNull(context.camel().createProducerTemplate().request("direct:lead", e -> {
                    e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, cloud.portal(0).memberId());
                    e.getMessage().setBody(2);
                }).getException());
                assertEquals(0, cloud.portal(0).data().leadCount());
                assertEquals(1, leads.portalsKept());
            }
        }
    }

    @Test
    void aPortalIsKeptUntilItsBucketHasDrainedSoItNeverGetsAFreshBurstEarly() throws Exception {
        // the component's bucket is the portal's: 5 calls at once, then 2 a second
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(1).rateLimit(5, 2).start()) {
            Bitrix24PortalRegistry registry = CloudInstallations.installedOn(cloud);
            Bitrix24Emulator portal = cloud.portal(0);
            for (int i = 0; i < 10; i++) {
                portal.data().addLead("Lead " + i, "NEW");
            }
            Bitrix24CrmComponent component = CloudInstallations.component(cloud, registry);
            component.getConfiguration().setRateLimitBurst(5);
            component.getConfiguration().setRateLimitPerSecond(2);
            component.getConfiguration().setCoalesce(false);
            component.getConfiguration().setPortalIdleTimeout(100);
            try (EmulatorContext context = EmulatorContext.start(component, Map.of("direct:lead",
                    "bitrix24-crm:lead/delete"))) {
                Bitrix24CrmEndpoint leads = context.camel().getEndpoint("bitrix24-crm:lead/delete", Bitrix24CrmEndpoint.class);
                deleteAtOnce(context, portal, 1, 5);
                // the burst is spent: the bucket drains for 2.5 s, far past the idle timeout, and the portal is kept
                Thread.sleep(800);
                assertEquals(1, leads.portalsKept(), "a portal whose bucket has not drained is kept");
                assertEquals(1, component.sharedResources().installations().held());
                // its next calls wait for their turns, as the portal's bucket asks: not one refused
                deleteAtOnce(context, portal, 6, 5);
                assertEquals(0, portal.data().leadCount());
                assertEquals(0, portal.limits().rateLimitedCount(), "no call refused for rate");
                // once drained and idle, it goes
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                while (leads.portalsKept() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals(0, leads.portalsKept());
                assertEquals(0, component.sharedResources().installations().held());
                assertFalse(portal.limits().rateLimitedCount() > 0);
            }
        }
    }

    private static void deleteAtOnce(EmulatorContext context, Bitrix24Emulator portal, int firstId, int count)
            throws Exception {
        ProducerTemplate template = context.camel().createProducerTemplate();
        List<CompletableFuture<Exchange>> calls = new ArrayList<>();
        for (int id = firstId; id < firstId + count; id++) {
            int lead = id;
            calls.add(template.asyncSend("direct:lead", e -> {
                e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal.memberId());
                e.getMessage().setBody(lead);
            }));
        }
        for (CompletableFuture<Exchange> call : calls) {
            assertNull(call.get(30, TimeUnit.SECONDS).getException());
        }
    }
}
