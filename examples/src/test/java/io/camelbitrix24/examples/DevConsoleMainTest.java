package io.camelbitrix24.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.Ports;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code bitrix24-crm} dev console where Camel Main users open it: its HTTP server's {@code /q/dev/bitrix24-crm},
 * as text and as JSON, while a backlog of deletes drains through a small bucket, and after it.
 */
class DevConsoleMainTest {

    private static final String CODE = "c0ns0leM4in";

    private static HttpResponse<String> get(int port, String path, String accept) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", accept).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void camelMainsDevConsoleShowsTheBacklogAndTheCounts() throws Exception {
        int port = Ports.unused();
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().webhook(1, CODE).start()) {
            portal.limits().setRateLimit(5, 10);
            Main main = new Main();
            // Camel Main's management server (camel-platform-http-main) serves the dev consoles at /q/dev
            main.addInitialProperty("camel.management.enabled", "true");
            main.addInitialProperty("camel.management.host", "127.0.0.1");
            main.addInitialProperty("camel.management.port", String.valueOf(port));
            main.addInitialProperty("camel.management.devConsoleEnabled", "true");
            main.addInitialProperty("camel.context.dev-console", "true");
            main.addInitialProperty("camel.component.bitrix24-crm.webhookUrl", portal.webhookUrl());
            main.addInitialProperty("camel.component.bitrix24-crm.allowInsecureHttp", "true");
            main.addInitialProperty("camel.component.bitrix24-crm.rateLimitBurst", "5");
            main.addInitialProperty("camel.component.bitrix24-crm.rateLimitPerSecond", "10");
            main.configure().addRoutesBuilder(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:delete").to("bitrix24-crm:lead/delete?coalesce=false");
                }
            });
            main.start();
            try {
                ProducerTemplate template = main.getCamelContext().createProducerTemplate();
                List<CompletableFuture<Exchange>> sent = new ArrayList<>();
                for (int i = 0; i < 30; i++) {
                    int lead = portal.data().addLead("L" + i, "NEW");
                    sent.add(template.asyncSend("direct:delete", e -> e.getMessage().setBody(lead)));
                }
                HttpResponse<String> during = get(port, "/q/dev/bitrix24-crm", "text/plain");
                assertEquals(200, during.statusCode(), during.body());
                System.out.println(during.body());
                assertTrue(during.body().contains("127.0.0.1:" + portal.port()), during.body());
                assertTrue(during.body().contains("WAITING"), during.body());

                CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
                HttpResponse<String> after = get(port, "/q/dev/bitrix24-crm", "application/json");
                assertEquals(200, after.statusCode(), after.body());
                assertFalse(after.body().contains(CODE), "no webhook code: " + after.body());
                JsonNode json = new ObjectMapper().readTree(after.body());
                JsonNode totals = json.has("totals") ? json.get("totals") : json.path("bitrix24-crm").path("totals");
                assertEquals(portal.requests().total(), totals.path("requests").asLong(), after.body());
                assertEquals(0, totals.path("waiting").asInt(), after.body());
            } finally {
                main.stop();
            }
        }
    }
}
