package io.camelbitrix24.examples.springboot;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Spring Boot example as the README's command runs it: it deletes leads 1 to 3 and stops by itself. */
class SpringBootExampleTest {

    /** The example's own run, as its main method makes it: leads 4 and 5 are left. */
    @Test
    @Timeout(60)
    void theReadmeRunLeavesLeadsFourAndFive() {
        assertEquals(List.of(4, 5), SpringBootExample.run());
    }

    /**
     * The same application on a portal the test watches: the portal's request log holds one batch call carrying the
     * three deletes and no single delete, and Camel stops by itself (duration-max-messages) without being closed:
     * the test waits for Camel's own "context stopping" event, not for the application's end, which would come anyway.
     */
    @Test
    @Timeout(60)
    void deletesThreeLeadsInOneBatchAndStops() throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().seedLeads(5).start()) {
            System.setProperty("BITRIX24_WEBHOOK_URL", portal.webhookUrl());
            System.setProperty("BITRIX24_ALLOW_INSECURE_HTTP", "true");
            CountDownLatch stopping = new CountDownLatch(1);
            try (ConfigurableApplicationContext application = SpringApplication.run(SpringBootExample.class)) {
                CamelContext camel = application.getBean(CamelContext.class);
                EventNotifierSupport notifier = new EventNotifierSupport() {
                    @Override
                    public void notify(CamelEvent event) {
                        if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                            stopping.countDown();
                        }
                    }
                };
                camel.getManagementStrategy().addEventNotifier(notifier);
                // the timer fires once at once; the stop follows its one exchange
                boolean stoppedByItself = stopping.await(30, TimeUnit.SECONDS) || camel.isStopping() || camel.isStopped();
                assertTrue(stoppedByItself, "Camel stopped by itself after its one batch, within 30 s");
            } finally {
                System.clearProperty("BITRIX24_WEBHOOK_URL");
                System.clearProperty("BITRIX24_ALLOW_INSECURE_HTTP");
            }
            assertEquals(1, portal.requests().count("batch"), "one batch call");
            assertEquals(0, portal.requests().count("crm.lead.delete"), "no delete of its own");
            assertEquals(3, portal.requests().commands("crm.lead.delete"), "three deletes in the batch");
            assertEquals(1, portal.requests().total(), "nothing else: " + portal.requests().recent());
            assertEquals(List.of(4, 5), portal.data().leadIds());
        }
    }
}
