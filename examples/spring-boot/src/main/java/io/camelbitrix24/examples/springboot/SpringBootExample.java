package io.camelbitrix24.examples.springboot;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.Bitrix24CrmConstants;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot with camel-bitrix24-crm-starter: application.yml configures the component, a route deletes three leads
 * in one batch call, and the application stops by itself. {@link #main} runs it on an embedded portal, whose address
 * it hands over as BITRIX24_WEBHOOK_URL would be in a real deployment.
 */
@SpringBootApplication
public class SpringBootExample {

    @Bean
    RouteBuilder cleanup() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:cleanup?repeatCount=1").routeId("spring-boot-cleanup")
                        .setBody(constant(List.of(1, 2, 3)))
                        .to("bitrix24-crm:lead/delete")
                        .log("deleted ${header." + Bitrix24CrmConstants.BATCH_SUCCEEDED + "} leads in one batch call");
            }
        };
    }

    public static void main(String[] args) {
        List<Integer> left = run(args);
        System.out.println("Leads left in the example portal: " + left + " (1, 2 and 3 deleted)");
    }

    /** Runs the application on an embedded portal with five leads until it stops; answers the leads left. */
    public static List<Integer> run(String... args) {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().seedLeads(5).start()) {
            System.setProperty("BITRIX24_WEBHOOK_URL", portal.webhookUrl());
            System.setProperty("BITRIX24_ALLOW_INSECURE_HTTP", "true");
            try (ConfigurableApplicationContext application = SpringApplication.run(SpringBootExample.class, args)) {
                // camel.main.duration-max-messages stops Camel after its one batch; wait for that, 30 s at most
                CamelContext camel = application.getBean(CamelContext.class);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (application.isActive() && !camel.isStopped() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                System.clearProperty("BITRIX24_WEBHOOK_URL");
                System.clearProperty("BITRIX24_ALLOW_INSECURE_HTTP");
            }
            return portal.data().leadIds();
        }
    }
}
