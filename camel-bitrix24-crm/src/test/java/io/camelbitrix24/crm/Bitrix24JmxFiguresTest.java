package io.camelbitrix24.crm;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The endpoint as a Camel managed resource: its JMX attributes are the figures of the portal it calls, the same the
 * dev console shows and the portal's request log counted.
 */
class Bitrix24JmxFiguresTest {

    @Test
    void theEndpointsAttributesAreTheConsolesFiguresAndThePortalsCounts() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        // Camel's test support turns JMX off for every context of this JVM; this test needs it on
        boolean jmxWasDisabled = DefaultCamelContext.isDisableJmx();
        DefaultCamelContext.setDisableJmx(false);
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().webhook(1, Bitrix24TestSupport.WEBHOOK_CODE).start();
             CamelContext context = new DefaultCamelContext()) {
            portal.limits().setRateLimit(5, 20);
            context.getPropertiesComponent().addInitialProperty("webhook", portal.webhookUrl());
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:deal").to("bitrix24-crm:deal/delete?allowInsecureHttp=true&webhookUrl={{webhook}}"
                                           + "&rateLimitBurst=5&rateLimitPerSecond=20");
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();
            List<CompletableFuture<Exchange>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int deal = portal.data().addDeal("D" + i);
                sent.add(template.asyncSend("direct:deal", e -> e.getMessage().setBody(deal)));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            Set<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:context=" + context.getName()
                                                                     + ",type=endpoints,*"), null);
            ObjectName endpoint = names.stream().filter(n -> n.toString().contains("bitrix24-crm")).findFirst()
                    .orElseThrow(() -> new AssertionError("no bitrix24-crm endpoint in " + names));
            JsonObject console = (JsonObject) ((JsonObject) PluginHelper.getDevConsoleResolver(context)
                    .resolveDevConsole("bitrix24-crm").call(DevConsole.MediaType.JSON, Map.of())).get("totals");

            long requests = (Long) server.getAttribute(endpoint, "Requests");
            long batches = (Long) server.getAttribute(endpoint, "BatchRequests");
            System.out.printf("JMX: %d requests, %d batch calls, %d refusals, bucket %s; the portal counted %d%n",
                    requests, batches, server.getAttribute(endpoint, "Refusals"), server.getAttribute(endpoint, "Bucket"),
                    portal.requests().total());
            assertEquals(portal.requests().total(), requests);
            assertEquals(portal.requests().count("batch"), batches);
            assertTrue(batches > 0, "single deletes waiting together left in batch calls");
            assertEquals(portal.limits().rateLimitedCount(), (long) (Long) server.getAttribute(endpoint, "Refusals"));
            assertEquals(console.getLong("requests"), requests);
            assertEquals(console.getLong("batchRequests"), batches);
            assertEquals(0, (int) (Integer) server.getAttribute(endpoint, "Waiting"));
            assertEquals(0, (int) (Integer) server.getAttribute(endpoint, "InFlight"));
            assertEquals(0.0, (Double) server.getAttribute(endpoint, "DrainSeconds"));
            String bucket = (String) server.getAttribute(endpoint, "Bucket");
            assertTrue(bucket.endsWith("/5 at 20.0/s"), bucket);
            for (String text : List.of("Bucket", "HeldMethods", "LastError")) {
                assertFalse(String.valueOf(server.getAttribute(endpoint, text)).contains(Bitrix24TestSupport.WEBHOOK_CODE));
            }
        } finally {
            DefaultCamelContext.setDisableJmx(jmxWasDisabled);
        }
    }
}
