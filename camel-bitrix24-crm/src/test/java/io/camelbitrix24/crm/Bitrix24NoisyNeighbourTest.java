package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many portals on one route: portal A with 500 single deletes waiting for its turns never slows portal B, whose 10
 * deletes finish near B's own floor, with no refusal on B.
 */
class Bitrix24NoisyNeighbourTest {

    private static final int BURST = 5;
    private static final double RATE = 5;

    @Test
    void aPortalWithFiveHundredDeletesWaitingLeavesAnotherPortalAtItsOwnFloor() throws Exception {
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(2).rateLimit(BURST, RATE).start()) {
            Bitrix24PortalRegistry registry = CloudInstallations.installedOn(cloud);
            Bitrix24Emulator a = cloud.portal(0);
            Bitrix24Emulator b = cloud.portal(1);
            for (int i = 0; i < 500; i++) {
                a.data().addLead("A" + i, "NEW");
            }
            for (int i = 0; i < 10; i++) {
                b.data().addLead("B" + i, "NEW");
            }
            Bitrix24CrmComponent component = CloudInstallations.component(cloud, registry);
            component.getConfiguration().setRateLimitBurst(BURST);
            component.getConfiguration().setRateLimitPerSecond(RATE);
            // single calls: each of A's deletes waits for a turn of its own, the longest backlog there can be
            component.getConfiguration().setCoalesce(false);
            CamelContext camel = new DefaultCamelContext();
            camel.getShutdownStrategy().setTimeout(2);
            camel.addComponent("bitrix24-crm", component);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:delete").to("bitrix24-crm:lead/delete");
                }
            });
            camel.start();
            try {
                ProducerTemplate template = camel.createProducerTemplate();
                for (int lead = 1; lead <= 500; lead++) {
                    int id = lead;
                    template.asyncSend("direct:delete", e -> {
                        e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, a.memberId());
                        e.getMessage().setBody(id);
                    });
                }
                long start = System.nanoTime();
                List<CompletableFuture<Exchange>> quiet = new ArrayList<>();
                for (int lead = 1; lead <= 10; lead++) {
                    int id = lead;
                    quiet.add(template.asyncSend("direct:delete", e -> {
                        e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, b.memberId());
                        e.getMessage().setBody(id);
                    }));
                }
                for (CompletableFuture<Exchange> call : quiet) {
                    assertNull(call.get(30, TimeUnit.SECONDS).getException());
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                double floor = (10 - BURST) / RATE;
                int aLeft = a.data().leadCount();
                System.out.printf("noisy neighbour: portal B's 10 deletes in %.2f s (its floor %.2f s) while portal A"
                                  + " had %d of 500 still to delete; refusals A %d, B %d%n", seconds, floor, aLeft,
                        a.limits().rateLimitedCount(), b.limits().rateLimitedCount());

                assertEquals(0, b.data().leadCount());
                // behind A's backlog B would wait about 100 s; twice its floor and more still tells the two apart
                assertTrue(seconds < 2 * floor + 3, "B waited " + seconds + " s against its floor of " + floor + " s");
                assertTrue(aLeft > 400, aLeft + " of A's leads left: its backlog was there all along");
                assertEquals(0, b.limits().rateLimitedCount(), "no refusal on B");
                // A's cold burst meets a portal bucket exactly the limiter's size: calls that left on their turns but
                // arrive together may be refused, and are retried in their turn; unpaced, hundreds would be
                assertTrue(a.limits().rateLimitedCount() <= 5, a.limits().rateLimitedCount() + " refusals on A");
            } finally {
                camel.stop();
            }
        }
    }
}
