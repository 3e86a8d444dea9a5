package io.camelbitrix24.crm;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.portal.InMemoryPortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.Ports;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The installation events as Bitrix24 delivers them: form POSTs over real HTTP to {@code platform-http} routes of a
 * Camel Main app (Vert.x on a loopback port), the documented route and the simplest one. The reply's status, headers
 * and body, what a later step and the error handler see, and every log line at TRACE with Camel's tracer on: no token
 * anywhere, and the registry changed only by the events that should change it.
 */
class Bitrix24AppEventsOverHttpTest {

    private final Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(2).start();
    private final Bitrix24PortalRegistry registry = new InMemoryPortalRegistry();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** What the step after app/install, and the error handler, saw of each message: headers and body. */
    private final List<String> seenAfter = new CopyOnWriteArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private final int port = Ports.unused();
    private Main main;
    private LogCapture logs;

    @BeforeEach
    void start() throws Exception {
        logs = LogCapture.start("all");
        main = new Main();
        main.addInitialProperty("camel.main.tracing", "true");
        // the component set up in code: Camel's own property resolution prints every value it resolves at TRACE
        main.bind("bitrix24-crm", CloudInstallations.component(cloud, registry));
        secrets.add(cloud.clientSecret());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport support) {
                // what camel-platform-http-main sets up from camel.server.*: a Vert.x server for platform-http
                VertxPlatformHttpServerConfiguration server = new VertxPlatformHttpServerConfiguration();
                server.setBindHost("127.0.0.1");
                server.setBindPort(port);
                try {
                    support.getCamelContext().getRegistry().bind("platformHttpServer", server);
                    support.getCamelContext().addService(new VertxPlatformHttpServer(server));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Bitrix24Exception.class).process(e -> seenAfter.add("error handler: " + seen(e)));
                // as docs/authentication.md shows it
                from("platform-http:/bitrix24/install?httpMethodRestrict=POST&muteException=true")
                        .to("bitrix24-crm:app/install")
                        .process(e -> seenAfter.add("after install: " + seen(e)));
                from("platform-http:/bitrix24/uninstall?httpMethodRestrict=POST&muteException=true")
                        .to("bitrix24-crm:app/uninstall");
                // the simplest route a user writes
                from("platform-http:/b24/install").to("bitrix24-crm:app/install");
                from("direct:delete").to("bitrix24-crm:lead/delete");
            }
        });
        main.start();
    }

    private static String seen(Exchange exchange) {
        return exchange.getMessage().getHeaders() + " body " + exchange.getMessage().getBody();
    }

    @AfterEach
    void stop() {
        try {
            main.stop();
            cloud.close();
        } finally {
            logs.close();
        }
    }

    private URI handler(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Portal {@code index}'s ONAPPINSTALL fields, its tokens noted as secrets. */
    private Map<String, String> installEvent(int index) {
        Map<String, String> event = cloud.installEvent(index);
        secrets.add(event.get("auth[access_token]"));
        secrets.add(event.get("auth[refresh_token]"));
        secrets.add(event.get("auth[application_token]"));
        return event;
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                                   + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(handler(path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postForm(String path, Map<String, String> fields) throws Exception {
        return post(path, "application/x-www-form-urlencoded", form(fields));
    }

    private Exchange delete(String memberId, int lead) {
        return main.getCamelContext().createProducerTemplate().request("direct:delete", e -> {
            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, memberId);
            e.getMessage().setBody(lead);
        });
    }

    /** The reply carries no token in its headers or body, and no header named after an event field. */
    private void assertNoTokenIn(HttpResponse<String> reply) {
        reply.headers().map().forEach((name, values) -> {
            assertFalse(name.toLowerCase().startsWith("auth["), () -> "reply header " + name);
            assertFalse(name.toLowerCase().startsWith("data["), () -> "reply header " + name);
            for (String secret : secrets) {
                assertFalse(values.toString().contains(secret), () -> "a token in reply header " + name);
            }
        });
        for (String secret : secrets) {
            assertFalse(reply.body().contains(secret), "a token in the reply's body");
        }
    }

    /**
     * No secret in any log line, or in what the step after app/install and the error handler saw. Camel's tracer shows
     * each message as it arrives and before each step, so its lines for the event's arrival and for the step into
     * app/install show the form as it came: those two are the route's input, not what the component left behind.
     */
    private void assertNoTokenLoggedOrSeen() {
        assertTrue(logs.lines().stream().anyMatch(line -> line.contains("*<--")), "Camel's tracer wrote the exchanges");
        for (String secret : secrets) {
            for (String line : logs.lines()) {
                if (line.contains("*-->") || line.contains("[to[bitrix24-crm:app/")) {
                    continue;
                }
                assertFalse(line.contains(secret), () -> "a secret in a log line: " + line.replace(secret, "<SECRET>"));
            }
            for (String line : seenAfter) {
                assertFalse(line.contains(secret), "a token reached a later step or the error handler");
            }
        }
    }

    @Test
    void anInstallAndAnUninstallAsBitrix24PostsThemAnswer200AndLeaveNoTokenBehind() throws Exception {
        Bitrix24Emulator portal = cloud.portal(0);
        Map<String, String> event = installEvent(0);
        HttpResponse<String> installed = postForm("/bitrix24/install", event);

        assertEquals(200, installed.statusCode(), installed::body);
        assertEquals("installed", installed.body());
        assertTrue(installed.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                () -> installed.headers().map().toString());
        assertNoTokenIn(installed);
        assertNotNull(registry.find(portal.memberId()), "installed");
        assertTrue(seenAfter.stream().anyMatch(s -> s.startsWith("after install: ") && s.contains(portal.memberId())
                                                    && s.endsWith("body installed")),
                seenAfter::toString);

        int lead = portal.data().addLead("L", "NEW");
        assertNull(delete(portal.memberId(), lead).getException());
        assertFalse(portal.data().hasLead(lead), "the installation works");

        // Bitrix24's own post: the event as the cloud sends it, to the uninstall handler
        assertEquals(200, cloud.uninstall(0, handler("/bitrix24/uninstall")));
        assertNull(registry.find(portal.memberId()), "uninstalled");
        long sent = portal.requests().count("crm.lead.delete");
        Exchange after = delete(portal.memberId(), portal.data().addLead("M", "NEW"));
        assertInstanceOf(Bitrix24AuthenticationException.class, after.getException());
        assertEquals(sent, portal.requests().count("crm.lead.delete"), "nothing sent for an uninstalled portal");
        assertNoTokenLoggedOrSeen();
    }

    @Test
    void theSimplestRouteAnswersAnInstall200() throws Exception {
        Bitrix24Emulator portal = cloud.portal(1);
        HttpResponse<String> installed = postForm("/b24/install", installEvent(1));

        assertEquals(200, installed.statusCode(), installed::body);
        assertNoTokenIn(installed);
        assertNotNull(registry.find(portal.memberId()));
        assertNoTokenLoggedOrSeen();
    }

    @Test
    void aForgedEventIsRefused403StoringNothingAndEchoingNoToken() throws Exception {
        // portal 0's token, claiming to be portal 1
        Map<String, String> forged = new LinkedHashMap<>(installEvent(0));
        forged.put("auth[member_id]", cloud.portal(1).memberId());
        forged.put("auth[domain]", cloud.portal(1).domain());

        HttpResponse<String> muted = postForm("/bitrix24/install", forged);
        assertEquals(403, muted.statusCode(), muted::body);
        assertEquals("", muted.body());
        assertNoTokenIn(muted);
        // the simplest route: platform-http's own defaults decide the body, which holds no token either way
        HttpResponse<String> simplest = postForm("/b24/install", forged);
        assertEquals(403, simplest.statusCode());
        assertNoTokenIn(simplest);

        assertNull(registry.find(cloud.portal(0).memberId()));
        assertNull(registry.find(cloud.portal(1).memberId()));
        assertTrue(seenAfter.stream().anyMatch(s -> s.startsWith("error handler: ")
                                                    && s.contains("fields held back")),
                seenAfter::toString);
        assertNoTokenLoggedOrSeen();
    }

    @Test
    void aMalformedBodyIsRefused400AndAJsonBodyInstalls() throws Exception {
        HttpResponse<String> text = post("/b24/install", "text/plain", "hello");
        assertEquals(400, text.statusCode(), text::body);

        HttpResponse<String> brokenJson = post("/b24/install", "application/json", "{\"event\": \"ONAPPINSTALL\", ");
        assertEquals(400, brokenJson.statusCode(), brokenJson::body);
        assertTrue(seenAfter.stream().anyMatch(s -> s.contains("error handler: ") && s.contains("body null")),
                "the error handler saw the unreadable body's place empty: " + seenAfter);
        assertTrue(logs.lines().stream().anyMatch(line -> line.contains("not a valid JSON object")),
                "the failure says why");

        HttpResponse<String> empty = post("/bitrix24/install", "application/x-www-form-urlencoded", "");
        assertEquals(400, empty.statusCode(), empty::body);

        // the same event as nested JSON
        Bitrix24Emulator portal = cloud.portal(0);
        Map<String, String> event = installEvent(0);
        Map<String, Object> auth = new LinkedHashMap<>();
        event.forEach((key, value) -> {
            if (key.startsWith("auth[")) {
                auth.put(key.substring(5, key.length() - 1), value);
            }
        });
        String json = new ObjectMapper().writeValueAsString(Map.of("event", "ONAPPINSTALL", "auth", auth));
        HttpResponse<String> installed = post("/bitrix24/install", "application/json", json);
        assertEquals(200, installed.statusCode(), installed::body);
        assertNoTokenIn(installed);
        assertNotNull(registry.find(portal.memberId()));
        assertNoTokenLoggedOrSeen();
    }

    @Test
    void aRefusedUninstallAnswers403AndRemovesNothing() throws Exception {
        Bitrix24Emulator portal = cloud.portal(0);
        assertEquals(200, postForm("/bitrix24/install", installEvent(0)).statusCode());
        Map<String, String> uninstall = new LinkedHashMap<>();
        uninstall.put("event", "ONAPPUNINSTALL");
        // upper case and a space: still this portal
        uninstall.put("auth[member_id]", " " + portal.memberId().toUpperCase() + " ");
        uninstall.put("auth[application_token]", "0123456789abcdef0123456789abcdef");

        HttpResponse<String> wrongToken = postForm("/bitrix24/uninstall", uninstall);
        assertEquals(403, wrongToken.statusCode(), wrongToken::body);
        assertNotNull(registry.find(portal.memberId()), "nothing was removed");
        assertTrue(logs.lines().stream().anyMatch(line -> line.contains("refused") && line.contains("nothing was removed")),
                "the refusal says nothing was removed");
        assertNoTokenLoggedOrSeen();
    }
}
