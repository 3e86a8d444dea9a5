package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One component calling two portals with the same connection settings, over HTTP through routes: each portal waits
 * in its own line for its {@code maxConnections}, so a portal with a long backlog never holds the other's calls.
 */
class Bitrix24PortalLinesTest {

    private static final int BUSY_CALLS = 40;
    private static final int QUIET_CALLS = 5;
    private static final double RATE = 4;

    @Test
    void aPortalWithALongBacklogNeverHoldsTheCallsOfAnother() throws Exception {
        try (Bitrix24Emulator busy = Bitrix24Emulator.builder().webhook(1, Bitrix24TestSupport.WEBHOOK_CODE).start();
             Bitrix24Emulator quiet = Bitrix24Emulator.builder().webhook(1, Bitrix24TestSupport.WEBHOOK_CODE).start()) {
            List<Integer> busyLeads = new ArrayList<>();
            for (int i = 0; i < BUSY_CALLS; i++) {
                busyLeads.add(busy.data().addLead("B" + i, "NEW"));
            }
            List<Integer> quietLeads = new ArrayList<>();
            for (int i = 0; i < QUIET_CALLS; i++) {
                quietLeads.add(quiet.data().addLead("Q" + i, "NEW"));
            }
            // four places per portal, each portal's own bucket of 1 draining 4 a second; single calls, so that every
            // waiting call holds a place of its own
            try (EmulatorContext camel = EmulatorContext.start(busy, c -> {
                c.setMaxConnections(4);
                c.setRateLimitBurst(1);
                c.setRateLimitPerSecond(RATE);
                c.setCoalesce(false);
            }, Map.of("direct:busy", "bitrix24-crm:lead/delete",
                    "direct:quiet", "bitrix24-crm:lead/delete?webhookUrl=RAW(" + quiet.webhookUrl() + ")"))) {
                ProducerTemplate template = camel.camel().createProducerTemplate();
                List<CompletableFuture<Exchange>> busyCalls = new ArrayList<>();
                for (int lead : busyLeads) {
                    busyCalls.add(template.asyncSend("direct:busy", e -> e.getMessage().setBody(lead)));
                }
                long start = System.nanoTime();
                List<CompletableFuture<Exchange>> quietCalls = new ArrayList<>();
                for (int lead : quietLeads) {
                    quietCalls.add(template.asyncSend("direct:quiet", e -> e.getMessage().setBody(lead)));
                }
                for (CompletableFuture<Exchange> call : quietCalls) {
                    assertNull(call.get(30, TimeUnit.SECONDS).getException());
                }
                double quietSeconds = (System.nanoTime() - start) / 1e9;
                int busyLeft = busy.data().leadCount();
                System.out.printf("portal lines: the quiet portal's %d deletes took %.2f s (its floor %.2f s) while the"
                                  + " busy portal still had %d of %d to go%n", QUIET_CALLS, quietSeconds,
                        (QUIET_CALLS - 1) / RATE, busyLeft, BUSY_CALLS);

                // behind the busy portal's 36 waiting calls they would need 9 s and more
                assertTrue(quietSeconds < 4, "the quiet portal's calls waited " + quietSeconds + " s");
                assertTrue(busyLeft >= BUSY_CALLS / 2, busyLeft + " busy leads left: its backlog was still there");
                assertEquals(0, quiet.data().leadCount());
                assertEquals(0, busy.requests().count("batch") + quiet.requests().count("batch"));

                for (CompletableFuture<Exchange> call : busyCalls) {
                    assertNull(call.get(60, TimeUnit.SECONDS).getException());
                }
                assertEquals(0, busy.data().leadCount());
            }
        }
    }
}
