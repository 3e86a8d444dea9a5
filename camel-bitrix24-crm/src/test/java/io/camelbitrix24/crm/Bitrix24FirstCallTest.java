package io.camelbitrix24.crm;

import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.Ports;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A started route prepares its way to the portal: one connection, its TLS handshake done, left for the first call,
 * and no REST call made. Seen through a loopback proxy, which counts the tunnels it opens to the portal.
 */
class Bitrix24FirstCallTest {

    private static final String CODE = "f1rstCallC0de";
    private static Bitrix24Emulator portal;

    @BeforeAll
    static void start() {
        portal = Bitrix24Emulator.builder().https(true).webhook(1, CODE).start();
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    @Test
    void aStartedRouteHasItsTunnelReadyBeforeTheFirstMessageAndTheFirstCallUsesIt() throws Exception {
        long deletesBefore = portal.requests().count("crm.lead.delete");
        try (LoopbackForwardProxy proxy = LoopbackForwardProxy.open();
             EmulatorContext context = EmulatorContext.deletingLeads(portal, config -> throughProxy(config, proxy))) {
            assertTrue(within(5_000, () -> proxy.tunnels() == 1), "a tunnel to the portal opened at start: " + proxy.tunnels());
            assertTrue(within(5_000, () -> proxy.tunnelledBytes() > 0), "and its TLS handshake made");
            assertEquals(deletesBefore, portal.requests().count("crm.lead.delete"), "no REST call at start");

            int lead = portal.data().addLead("L", "NEW");
            Exchange out = context.delete(lead);
            assertNull(out.getException());
            assertFalse(portal.data().hasLead(lead));
            assertEquals(1, proxy.tunnels(), "the first call went through the prepared connection");
        }
    }

    /**
     * HttpCore times an idle connection out after the socket timeout (the response timeout), checking now and then, and
     * can fail a request just queued on it without sending it: the pool lets a connection go after half that idle time.
     */
    @Test
    void aConnectionIdleForHalfTheResponseTimeoutIsRetiredBeforeHttpCoreTimesItOut() throws Exception {
        try (LoopbackForwardProxy proxy = LoopbackForwardProxy.open();
             EmulatorContext context = EmulatorContext.deletingLeads(portal, config -> {
                 throughProxy(config, proxy);
                 config.setResponseTimeout(3000);
             })) {
            assertNull(context.delete(portal.data().addLead("L", "NEW")).getException());
            long released = System.nanoTime();
            assertNull(context.delete(portal.data().addLead("L", "NEW")).getException());
            long idleMillis = (System.nanoTime() - released) / 1_000_000;
            // a machine that stalls past half the timeout between two calls proves nothing here
            org.junit.jupiter.api.Assumptions.assumeTrue(idleMillis < 1500, "idle " + idleMillis + " ms between calls");
            assertEquals(1, proxy.tunnels(), "a connection idle for a moment is reused");
            // past half the response timeout (1500 ms); a slower machine only waits longer
            Thread.sleep(2000);
            assertNull(context.delete(portal.data().addLead("L", "NEW")).getException());
            assertEquals(2, proxy.tunnels(), "one idle past half the response timeout is not: a new one opened");
        }
    }

    @Test
    void aProducerStartedLazilyPreparesNothingUntilItsFirstMessage() throws Exception {
        try (LoopbackForwardProxy proxy = LoopbackForwardProxy.open();
             LoopbackForwardProxy eagerProxy = LoopbackForwardProxy.open();
             EmulatorContext context = EmulatorContext.start(portal, config -> throughProxy(config, proxy),
                     Map.of("direct:delete", "bitrix24-crm:lead/delete?lazyStartProducer=true",
                             "direct:eager", "bitrix24-crm:contact/delete?proxyHost=" + eagerProxy.host()
                                             + "&proxyPort=" + eagerProxy.port()))) {
            // the event to wait on: a producer of the same start that prepares did so
            assertTrue(within(5_000, () -> eagerProxy.tunnels() == 1), "the eager producer prepared its tunnel");
            assertEquals(0, proxy.tunnels(), "lazyStartProducer: nothing at start");
            int lead = portal.data().addLead("L", "NEW");
            assertNull(context.delete(lead).getException());
            assertEquals(1, proxy.tunnels());
        }
    }

    @Test
    void anUnreachablePortalStillStartsAndSaysSoOnceAtWarn() throws Exception {
        int closed = Ports.unused();
        Bitrix24CrmComponent component = new Bitrix24CrmComponent();
        component.getConfiguration().setWebhookUrl("http://127.0.0.1:" + closed + "/rest/1/" + CODE + "/");
        component.getConfiguration().setAllowInsecureHttp(true);
        component.getConfiguration().setConnectTimeout(1000);
        try (LogCapture logs = LogCapture.searching(List.of("Could not prepare"));
             EmulatorContext context = EmulatorContext.start(component, Map.of(
                     "direct:lead", "bitrix24-crm:lead/delete", "direct:contact", "bitrix24-crm:contact/delete"))) {
            assertTrue(context.camel().isStarted(), "the start does not wait for, nor fail on, the portal");
            assertTrue(within(5_000, () -> !logs.lines().isEmpty()), "a warning");
            // the other endpoint's first call waits for its preparation, so once it has failed both have had their say
            Exchange call = context.camel().createProducerTemplate().request("direct:contact",
                    e -> e.getMessage().setBody(1));
            assertNotNull(call.getException(), "the portal is not there");
            List<String> warnings = logs.lines();
            assertEquals(1, warnings.size(), "once for the portal, not per endpoint: " + warnings);
            assertTrue(warnings.get(0).startsWith("WARN ") && warnings.get(0).contains("127.0.0.1:" + closed),
                    warnings.get(0));
            assertFalse(warnings.get(0).contains(CODE), "no webhook code: " + warnings.get(0));
        }
    }

    private static void throughProxy(Bitrix24CrmConfiguration config, LoopbackForwardProxy proxy) {
        config.setProxyHost(proxy.host());
        config.setProxyPort(proxy.port());
    }

    /** Whether {@code condition} holds within {@code millis}, polled. */
    private static boolean within(long millis, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
