package io.camelbitrix24.crm.springboot;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.camelbitrix24.crm.Bitrix24CrmConstants;
import io.camelbitrix24.crm.Bitrix24Exception;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The installation events on Spring Boot: Bitrix24's form POSTs over real HTTP to platform-http routes served by Spring
 * Boot's own web server on a random loopback port, many-portal options from properties. An install answers 200 and
 * works, an uninstall 200 and stops the portal's deletes, a forged event 403, a malformed body 400 (the servlet engine
 * answers 500 to any failed exchange, so the routes handle the component's exceptions and its status goes out); no
 * reply and no log line at TRACE carries a token.
 */
@SpringBootTest(classes = { DeletingApplication.class, Bitrix24AppEventsSpringBootTest.EventRoutes.class },
                webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
                properties = { "server.address=127.0.0.1", "camel.component.bitrix24-crm.webhook-url=",
                        "camel.component.bitrix24-crm.allow-insecure-http=true",
                        "camel.component.bitrix24-crm.portal-registry=#portals",
                        "logging.level.io.camelbitrix24=TRACE", "logging.level.org.apache.camel=TRACE" })
@ExtendWith(OutputCaptureExtension.class)
class Bitrix24AppEventsSpringBootTest {

    private static final Bitrix24Cloud CLOUD = Bitrix24Cloud.builder().portals(2).start();

    @DynamicPropertySource
    static void application(DynamicPropertyRegistry registry) {
        registry.add("camel.component.bitrix24-crm.client-id", CLOUD::clientId);
        registry.add("camel.component.bitrix24-crm.client-secret", CLOUD::clientSecret);
        registry.add("camel.component.bitrix24-crm.oauth-server-url", CLOUD::oauthServerUrl);
    }

    /** The application's install and uninstall handlers, and its registry. */
    @Configuration
    static class EventRoutes {
        @Bean
        Bitrix24PortalRegistry portals() {
            // the application's registry: a map here, a database or Redis in production
            Map<String, Bitrix24Installation> installations = new ConcurrentHashMap<>();
            return new Bitrix24PortalRegistry() {
                @Override
                public Bitrix24Installation find(String memberId) {
                    return installations.get(memberId);
                }

                @Override
                public void save(Bitrix24Installation installation) {
                    installations.put(installation.getMemberId(), installation);
                }

                @Override
                public void remove(String memberId) {
                    installations.remove(memberId);
                }
            };
        }

        @Bean
        RouteBuilder eventRoutes() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    // Spring Boot's servlet engine answers 500 to any failed exchange: handled, the component's status goes
                    from("platform-http:/bitrix24/install?httpMethodRestrict=POST")
                            .onException(Bitrix24Exception.class).handled(true).setBody(simple("${exception.message}")).end()
                            .to("bitrix24-crm:app/install");
                    from("platform-http:/bitrix24/uninstall?httpMethodRestrict=POST")
                            .onException(Bitrix24Exception.class).handled(true).setBody(simple("${exception.message}")).end()
                            .to("bitrix24-crm:app/uninstall");
                    // the simplest route
                    from("platform-http:/b24/install").to("bitrix24-crm:app/install");
                }
            };
        }
    }

    @AfterAll
    static void stopCloud() {
        CLOUD.close();
    }

    @Value("${local.server.port}")
    private int port;
    @Autowired
    private Bitrix24PortalRegistry registry;
    @Autowired
    private ProducerTemplate template;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                                   + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static void assertNoneIn(String where, String text, List<String> secrets) {
        for (String secret : secrets) {
            assertFalse(text.contains(secret), () -> "a token in " + where);
        }
    }

    private static void assertNoTokenIn(HttpResponse<String> reply, List<String> secrets) {
        reply.headers().map().forEach((name, values) -> {
            assertFalse(name.toLowerCase().startsWith("auth["), () -> "reply header " + name);
            assertNoneIn("reply header " + name, values.toString(), secrets);
        });
        assertNoneIn("the reply's body", reply.body(), secrets);
    }

    @Test
    void eventsPostedOverHttpInstallRefuseAndUninstallWithNoTokenInAReplyOrALogLine(CapturedOutput output)
            throws Exception {
        Bitrix24Emulator portal = CLOUD.portal(0);
        Map<String, String> event = CLOUD.installEvent(0);
        List<String> secrets = List.of(event.get("auth[access_token]"), event.get("auth[refresh_token]"),
                event.get("auth[application_token]"));

        HttpResponse<String> installed = post("/bitrix24/install", "application/x-www-form-urlencoded", form(event));
        assertEquals(200, installed.statusCode(), installed::body);
        assertEquals("installed", installed.body());
        assertNoTokenIn(installed, secrets);
        assertNotNull(registry.find(portal.memberId()));
        int lead = portal.data().addLead("L", "NEW");
        Exchange deleted = template.request("direct:delete", e -> {
            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal.memberId());
            e.getMessage().setBody(lead);
        });
        assertNull(deleted.getException());
        assertFalse(portal.data().hasLead(lead), "the installation works");

        // portal 0's token claiming to be portal 1
        Map<String, String> forged = new LinkedHashMap<>(event);
        forged.put("auth[member_id]", CLOUD.portal(1).memberId());
        forged.put("auth[domain]", CLOUD.portal(1).domain());
        HttpResponse<String> refused = post("/bitrix24/install", "application/x-www-form-urlencoded", form(forged));
        assertEquals(403, refused.statusCode(), refused::body);
        assertTrue(refused.body().contains("refused") && refused.body().contains("nothing was stored"), refused::body);
        assertNoTokenIn(refused, secrets);
        HttpResponse<String> simplest = post("/b24/install", "application/x-www-form-urlencoded", form(forged));
        assertEquals(500, simplest.statusCode(), "the servlet engine's answer to a failed exchange");
        assertNoTokenIn(simplest, secrets);
        assertNull(registry.find(CLOUD.portal(1).memberId()), "nothing stored for a forged event");

        HttpResponse<String> malformed = post("/bitrix24/install", "text/plain", "hello");
        assertEquals(400, malformed.statusCode(), malformed::body);
        HttpResponse<String> json = post("/bitrix24/install", "application/json", "{\"event\": ");
        assertEquals(400, json.statusCode(), json::body);
        assertTrue(json.body().contains("not a valid JSON object"), json::body);

        assertEquals(200, CLOUD.uninstall(0, URI.create("http://127.0.0.1:" + port + "/bitrix24/uninstall")));
        assertNull(registry.find(portal.memberId()), "uninstalled");
        long sent = portal.requests().count("crm.lead.delete");
        Exchange after = template.request("direct:delete", e -> {
            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal.memberId());
            e.getMessage().setBody(portal.data().addLead("M", "NEW"));
        });
        assertNotNull(after.getException());
        assertEquals(sent, portal.requests().count("crm.lead.delete"), "nothing sent for an uninstalled portal");

        assertTrue(output.getAll().contains("Installed on portal " + portal.memberId()),
                "the component's own lines were captured");
        assertTrue(output.getAll().contains("TRACE"), "TRACE lines were captured");
        assertNoneIn("a log line", output.getAll(), secrets);
    }
}
