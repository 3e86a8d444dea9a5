package io.camelbitrix24.crm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.camelbitrix24.crm.internal.portal.InMemoryPortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
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
 * app/install and app/uninstall through routes, against the emulated cloud: an install event is verified with app.info
 * before anything is stored, an uninstall event by its application_token, and a forged event stores nothing.
 */
class Bitrix24AppEventsTest {

    private final Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(2).start();
    private final Bitrix24PortalRegistry registry = new InMemoryPortalRegistry();
    private CamelContext camel;

    @BeforeEach
    void start() throws Exception {
        camel = EmulatorContext.start(CloudInstallations.component(cloud, registry),
                Map.of("direct:install", "bitrix24-crm:app/install", "direct:uninstall", "bitrix24-crm:app/uninstall",
                        "direct:delete", "bitrix24-crm:lead/delete")).camel();
    }

    @AfterEach
    void stop() {
        camel.stop();
        cloud.close();
    }

    /** The event as Bitrix24 posts it: the form text. */
    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                                   + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private Exchange send(String route, Object body) {
        return camel.createProducerTemplate().request(route, e -> e.getMessage().setBody(body));
    }

    private Exchange delete(String portal, int lead) {
        return camel.createProducerTemplate().request("direct:delete", e -> {
            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal);
            e.getMessage().setBody(lead);
        });
    }

    @Test
    void aVerifiedInstallEventRegistersThePortalWhoseCallsThenGo() {
        Bitrix24Emulator portal = cloud.portal(1);
        Map<String, String> event = cloud.installEvent(1);
        Exchange installed = send("direct:install", form(event));

        assertNull(installed.getException(), () -> String.valueOf(installed.getException()));
        assertEquals("installed", installed.getMessage().getBody());
        assertEquals(portal.memberId(), installed.getMessage().getHeader(Bitrix24CrmConstants.PORTAL));
        Bitrix24Installation stored = registry.find(portal.memberId());
        assertNotNull(stored);
        assertEquals(portal.restUrl(), stored.getClientEndpoint());
        assertEquals(event.get("auth[refresh_token]"), stored.getTokens().getRefreshToken());
        assertEquals(event.get("auth[application_token]"), stored.getApplicationToken());
        assertFalse(stored.toString().contains(event.get("auth[access_token]")));

        int lead = portal.data().addLead("L", "NEW");
        assertNull(delete(portal.memberId(), lead).getException());
        assertFalse(portal.data().hasLead(lead));
    }

    @Test
    void anInstallEventAsAMapOfNestedFieldsIsReadToo() {
        Map<String, String> event = cloud.installEvent(0);
        Map<String, Object> nested = new LinkedHashMap<>();
        Map<String, Object> auth = new LinkedHashMap<>();
        event.forEach((key, value) -> {
            if (key.startsWith("auth[")) {
                auth.put(key.substring(5, key.length() - 1), value);
            } else {
                nested.put(key, value);
            }
        });
        nested.put("auth", auth);
        assertNull(send("direct:install", nested).getException());
        assertNotNull(registry.find(cloud.portal(0).memberId()));
    }

    @Test
    void aForgedInstallEventStoresNothingAndRepeatsNoToken() {
        Map<String, String> otherMember = cloud.installEvent(0);
        // portal 0's token, claiming portal 1's installation
        otherMember.put("auth[member_id]", cloud.portal(1).memberId());
        Exchange forged = send("direct:install", form(otherMember));
        Bitrix24AuthenticationException e = assertInstanceOf(Bitrix24AuthenticationException.class, forged.getException());
        assertTrue(e.getMessage().contains("another installation"), e.getMessage());
        assertFalse(e.getMessage().contains(otherMember.get("auth[access_token]")));

        Map<String, String> otherAddress = cloud.installEvent(0);
        otherAddress.put("auth[domain]", "evil.example:443");
        otherAddress.put("auth[client_endpoint]", "https://evil.example/rest/");
        Exchange redirected = send("direct:install", form(otherAddress));
        assertInstanceOf(Bitrix24AuthenticationException.class, redirected.getException());

        Map<String, String> madeUp = cloud.installEvent(1);
        madeUp.put("auth[access_token]", "0123456789abcdef0123456789abcdef");
        assertInstanceOf(Bitrix24AuthenticationException.class, send("direct:install", form(madeUp)).getException());

        Map<String, String> noToken = cloud.installEvent(1);
        noToken.remove("auth[application_token]");
        Bitrix24ValidationException missing = assertInstanceOf(Bitrix24ValidationException.class,
                send("direct:install", form(noToken)).getException());
        assertTrue(missing.getMessage().contains("auth[application_token]"), missing.getMessage());

        assertTrue(registry.find(cloud.portal(0).memberId()) == null && registry.find(cloud.portal(1).memberId()) == null,
                "nothing stored");
    }

    @Test
    void noTokenNorApplicationTokenNorSecretReachesALogLineOrAMessage() throws Exception {
        Bitrix24Emulator portal = cloud.portal(1);
        Map<String, String> install = cloud.installEvent(1);
        java.util.Set<String> secrets = new java.util.LinkedHashSet<>(List.of(cloud.clientSecret(),
                install.get("auth[access_token]"), install.get("auth[refresh_token]"), install.get("auth[application_token]")));
        List<String> messages = new java.util.ArrayList<>();
        try (LogCapture logs = LogCapture.start("every logger at TRACE")) {
            Map<String, String> forged = new LinkedHashMap<>(install);
            forged.put("auth[member_id]", cloud.portal(0).memberId());
            messages.add(String.valueOf(send("direct:install", form(forged)).getException()));
            assertNull(send("direct:install", form(install)).getException());
            portal.access().expireAllAccessTokens();
            int lead = portal.data().addLead("L", "NEW");
            assertNull(delete(portal.memberId(), lead).getException(), "refreshed, then deleted");
            Bitrix24Tokens refreshed = registry.find(portal.memberId()).getTokens();
            secrets.add(refreshed.getAccessToken());
            secrets.add(refreshed.getRefreshToken());
            Map<String, String> wrong = new LinkedHashMap<>();
            wrong.put("event", "ONAPPUNINSTALL");
            wrong.put("auth[member_id]", portal.memberId());
            wrong.put("auth[application_token]", "ffffffffffffffffffffffffffffffff");
            messages.add(String.valueOf(send("direct:uninstall", form(wrong)).getException()));
            wrong.put("auth[application_token]", install.get("auth[application_token]"));
            assertNull(send("direct:uninstall", form(wrong)).getException());
            messages.add(String.valueOf(delete(portal.memberId(), 1).getException()));
            messages.add(registry.toString());

            assertTrue(logs.events() > 0, "the capture saw the run");
            for (String line : logs.lines()) {
                secrets.forEach(secret -> assertFalse(line.contains(secret), "a secret in the log: " + line));
            }
        }
        assertEquals(6, secrets.size());
        for (String message : messages) {
            secrets.forEach(secret -> assertFalse(message.contains(secret), "a secret in a message: " + message));
        }
    }

    @Test
    void uninstallWithTheWrongTokenChangesNothingAndWithTheRightOneStopsThePortalsCalls() throws Exception {
        Bitrix24Emulator portal = cloud.portal(0);
        Map<String, String> install = cloud.installEvent(0);
        assertNull(send("direct:install", form(install)).getException());
        int first = portal.data().addLead("First", "NEW");
        assertNull(delete(portal.memberId(), first).getException(), "the installation's calls go");

        Map<String, String> forged = new LinkedHashMap<>();
        forged.put("event", "ONAPPUNINSTALL");
        forged.put("auth[member_id]", portal.memberId());
        forged.put("auth[application_token]", "ffffffffffffffffffffffffffffffff");
        Exchange refused = send("direct:uninstall", form(forged));
        assertInstanceOf(Bitrix24AuthenticationException.class, refused.getException());
        assertNotNull(registry.find(portal.memberId()), "a wrong application_token changes nothing");

        Map<String, String> uninstall = new LinkedHashMap<>(forged);
        uninstall.put("auth[application_token]", install.get("auth[application_token]"));
        // Bitrix24 revokes the application's tokens before it posts the event
        portal.access().revokeApplicationTokens();
        Exchange removed = send("direct:uninstall", form(uninstall));
        assertNull(removed.getException());
        assertEquals("uninstalled", removed.getMessage().getBody());
        assertNull(registry.find(portal.memberId()));

        long before = portal.requests().total();
        Bitrix24AuthenticationException gone = assertInstanceOf(Bitrix24AuthenticationException.class,
                delete(portal.memberId(), 1).getException());
        assertTrue(gone.getMessage().contains("not installed"), gone.getMessage());
        assertEquals(before, portal.requests().total(), "nothing sent to an uninstalled portal");

        Exchange unknown = send("direct:uninstall", form(uninstall));
        assertNull(unknown.getException(), "an unknown portal is a no-op");
        assertEquals("not installed: nothing to do", unknown.getMessage().getBody());

        // installed anew: new tokens and application_token, and the portal's calls go again
        assertNull(send("direct:install", form(cloud.installEvent(0))).getException());
        int lead = portal.data().addLead("L", "NEW");
        Exchange again = delete(portal.memberId(), lead);
        assertNull(again.getException(), () -> String.valueOf(again.getException()));
        assertFalse(portal.data().hasLead(lead));
    }

    @Test
    void callsStillWaitingForTheirTurnWhenThePortalIsUninstalledFailAtOnceWithNothingSent() throws Exception {
        Bitrix24Emulator portal = cloud.portal(1);
        for (int i = 0; i < 10; i++) {
            portal.data().addLead("Lead " + i, "NEW");
        }
        Bitrix24PortalRegistry installed = CloudInstallations.installedOn(cloud);
        Bitrix24CrmComponent component = CloudInstallations.component(cloud, installed);
        // one call every two seconds, each on its own: nine wait for their turns, the last 18 s
        component.getConfiguration().setRateLimitBurst(1);
        component.getConfiguration().setRateLimitPerSecond(0.5);
        component.getConfiguration().setCoalesce(false);
        try (EmulatorContext slow = EmulatorContext.start(component, Map.of("direct:delete", "bitrix24-crm:lead/delete",
                "direct:uninstall", "bitrix24-crm:app/uninstall"))) {
            List<CompletableFuture<Exchange>> calls = new ArrayList<>();
            for (int id = 1; id <= 10; id++) {
                int lead = id;
                calls.add(slow.camel().createProducerTemplate().asyncSend("direct:delete", e -> {
                    e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal.memberId());
                    e.getMessage().setBody(lead);
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (portal.requests().total() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, portal.requests().total(), "the first went at once, the others wait");
            Map<String, String> uninstall = new LinkedHashMap<>();
            uninstall.put("event", "ONAPPUNINSTALL");
            uninstall.put("auth[member_id]", portal.memberId());
            uninstall.put("auth[application_token]", installed.find(portal.memberId()).getApplicationToken());
            portal.access().revokeApplicationTokens();
            long start = System.nanoTime();
            assertNull(slow.send("direct:uninstall", form(uninstall)).getException());
            int refusedUnsent = 0;
            int deleted = 0;
            List<String> others = new ArrayList<>();
            for (CompletableFuture<Exchange> call : calls) {
                Exception failure = call.get(10, TimeUnit.SECONDS).getException();
                if (failure == null) {
                    deleted++;
                } else if (failure instanceof Bitrix24AuthenticationException e
                           && e.getMessage().contains("nothing was sent")) {
                    // waiting for its turn ("uninstalled ... while it waited"), or not yet at the portal's way when
                    // the event came ("not installed")
                    refusedUnsent++;
                } else {
                    others.add(String.valueOf(failure));
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // the first left before the event came (the second may have, 2 s later); the others had 2 to 18 s to wait
            assertTrue(deleted >= 1 && deleted <= 2, "deleted before the uninstall: " + deleted);
            assertEquals(10, deleted + refusedUnsent, "the others failed as uninstalled, nothing else: " + others);
            assertTrue(seconds < 6, "they failed at once, not in their turns (the last at 18 s): " + seconds + " s");
            assertTrue(portal.requests().total() <= 2, "sent: " + portal.requests().total());
        }
    }
}
