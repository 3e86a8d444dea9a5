package io.camelbitrix24.crm.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component's meters in Spring Boot's MeterRegistry with no user code, read as an operator reads them: over HTTP
 * from Actuator's {@code /actuator/metrics}, served by Spring Boot's web server on a random loopback port.
 */
@SpringBootTest(classes = DeletingApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = { "server.address=127.0.0.1", "management.endpoints.web.exposure.include=metrics",
                        "camel.component.bitrix24-crm.allow-insecure-http=true", "test.delete=deal/delete" })
class Bitrix24CrmSpringBootMetersTest {

    private static final String CODE = "m3tersSpr1ng";
    private static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().webhook(1, CODE).start();

    @DynamicPropertySource
    static void application(DynamicPropertyRegistry registry) {
        registry.add("camel.component.bitrix24-crm.webhook-url", PORTAL::webhookUrl);
    }

    @AfterAll
    static void stop() {
        PORTAL.close();
    }

    @Value("${local.server.port}")
    private int port;
    @Autowired
    private ProducerTemplate template;

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        assertFalse(response.body().contains(CODE), "no webhook code in " + path);
        return new ObjectMapper().readTree(response.body());
    }

    private static double count(JsonNode meter) {
        return meter.path("measurements").get(0).path("value").asDouble();
    }

    @Test
    void actuatorShowsTheCallsAndRequestsAsThePortalCounted() throws Exception {
        for (int i = 0; i < 3; i++) {
            int deal = PORTAL.data().addDeal("D" + i);
            assertEquals(true, template.requestBody("direct:delete", deal));
        }
        template.request("direct:delete", e -> e.getMessage().setBody(987_654));

        assertTrue(get("/actuator/metrics").path("names").toString().contains("bitrix24.crm.calls"));
        JsonNode calls = get("/actuator/metrics/bitrix24.crm.calls?tag=method:crm.deal.delete&tag=outcome:success");
        assertEquals(3.0, count(calls));
        assertEquals(1.0, count(get("/actuator/metrics/bitrix24.crm.calls?tag=outcome:not_found")));
        assertEquals((double) PORTAL.requests().total(), count(get("/actuator/metrics/bitrix24.crm.requests")));
        JsonNode tags = get("/actuator/metrics/bitrix24.crm.requests").path("availableTags");
        assertFalse(tags.toString().contains("portal"), "no portal tag unless asked: " + tags);
        assertEquals(0.0, count(get("/actuator/metrics/bitrix24.crm.waiting")));
    }
}
