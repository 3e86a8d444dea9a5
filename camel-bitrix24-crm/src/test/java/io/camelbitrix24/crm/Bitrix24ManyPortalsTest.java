package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.console.DevConsole;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One route, many portals, over HTTP against an emulated cloud: each call goes to the installation its header names,
 * with that installation's tokens and bucket, and a portal the registry does not know is never called.
 */
class Bitrix24ManyPortalsTest {

    private final Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(3).start();
    private Bitrix24PortalRegistry registry;
    private CamelContext camel;

    @BeforeEach
    void installAndStart() throws Exception {
        registry = CloudInstallations.installedOn(cloud);
        for (Bitrix24Emulator portal : cloud.portals()) {
            for (int lead = 1; lead <= 5; lead++) {
                portal.data().addLead("Lead " + lead, "NEW");
            }
        }
        camel = EmulatorContext.start(CloudInstallations.component(cloud, registry),
                Map.of("direct:delete", "bitrix24-crm:lead/delete", "direct:contact", "bitrix24-crm:contact/delete",
                        "direct:deal", "bitrix24-crm:deal/delete", "direct:item", "bitrix24-crm:item/delete")).camel();
    }

    @AfterEach
    void stop() {
        camel.stop();
        cloud.close();
    }

    private Exchange delete(String portal, int lead) {
        return camel.createProducerTemplate().request("direct:delete", e -> {
            if (portal != null) {
                e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal);
            }
            e.getMessage().setBody(lead);
        });
    }

    private long requestsOnAnyPortal() {
        return cloud.portals().stream().mapToLong(p -> p.requests().total()).sum();
    }

    @Test
    void eachPortalLosesOnlyItsOwnRecordsOfTheSameIds() {
        Bitrix24Emulator a = cloud.portal(0);
        Bitrix24Emulator b = cloud.portal(1);
        Bitrix24Emulator c = cloud.portal(2);
        for (int lead : List.of(1, 2)) {
            assertNull(delete(a.memberId(), lead).getException());
        }
        assertNull(delete(b.memberId(), 3).getException());

        assertEquals(List.of(3, 4, 5), a.data().leadIds());
        assertEquals(List.of(1, 2, 4, 5), b.data().leadIds());
        assertEquals(List.of(1, 2, 3, 4, 5), c.data().leadIds());
        // a token of another portal would have been refused (invalid_token): every call succeeded at once
        assertEquals(2, a.requests().commands("crm.lead.delete"));
        assertEquals(2, a.requests().total());
        assertEquals(1, b.requests().total());
        assertEquals(0, c.requests().total());
    }

    @Test
    void theFamilysDeletesGoToThePortalTheHeaderNames() {
        Bitrix24Emulator a = cloud.portal(0);
        Bitrix24Emulator b = cloud.portal(1);
        int dealOfA = a.data().addDeal("D");
        int dealOfB = b.data().addDeal("D");
        b.data().addSmartProcess(1038);
        int itemOfB = b.data().addItem(1038, "I");
        Exchange deal = camel.createProducerTemplate().request("direct:deal", e -> {
            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, a.memberId());
            e.getMessage().setBody(dealOfA);
        });
        Exchange item = camel.createProducerTemplate().request("direct:item", e -> {
            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, b.memberId());
            e.getMessage().setHeader(Bitrix24CrmConstants.ENTITY_TYPE_ID, 1038);
            e.getMessage().setBody(itemOfB);
        });
        assertNull(deal.getException());
        assertNull(item.getException());
        assertFalse(a.data().hasDeal(dealOfA) || b.data().hasItem(1038, itemOfB));
        assertTrue(b.data().hasDeal(dealOfB), "the same id on another portal is kept");
        assertEquals(1, a.requests().commands("crm.deal.delete"));
        assertEquals(1, b.requests().commands("crm.item.delete"));
        assertEquals(0, b.requests().commands("crm.deal.delete"));
    }

    @Test
    void theDevConsoleNamesEachPortalByItsMemberIdAndShowsNoSecret() throws Exception {
        for (Bitrix24Emulator portal : cloud.portals()) {
            assertNull(delete(portal.memberId(), 1).getException());
        }
        // an expired token, refreshed for its portal: the console counts the refresh
        Bitrix24Emulator a = cloud.portal(0);
        a.access().expireAllAccessTokens();
        assertNull(delete(a.memberId(), 2).getException());
        DevConsole console = PluginHelper.getDevConsoleResolver(camel)
                .resolveDevConsole("bitrix24-crm");
        String text = (String) console.call(DevConsole.MediaType.TEXT, Map.of());
        JsonObject json = (JsonObject) console.call(
                DevConsole.MediaType.JSON, Map.of());
        System.out.println(text);
        assertEquals(3, ((JsonObject) json.get("totals")).getInteger("portals"));
        for (Bitrix24Emulator portal : cloud.portals()) {
            assertTrue(text.contains(portal.memberId() + " ("), text);
        }
        assertTrue(json.toJson().contains("\"granted\":1"), "the refresh counted: " + json.toJson());
        List<String> secrets = new ArrayList<>(List.of(cloud.clientSecret()));
        for (Bitrix24Emulator portal : cloud.portals()) {
            Bitrix24Installation installed = registry.find(portal.memberId());
            secrets.addAll(List.of(installed.getTokens().getAccessToken(), installed.getTokens().getRefreshToken(),
                    installed.getApplicationToken()));
        }
        for (String secret : secrets) {
            assertFalse(text.contains(secret) || json.toJson().contains(secret), "a secret in the console");
        }
    }

    @Test
    void anUnknownPortalFailsTypedAndNothingIsSent() {
        Exchange unknown = delete("0123456789abcdef0123456789abcdef", 1);
        Bitrix24AuthenticationException e = assertInstanceOf(Bitrix24AuthenticationException.class, unknown.getException());
        assertTrue(e.getMessage().contains("not installed"), e.getMessage());

        Exchange none = delete(null, 1);
        assertInstanceOf(Bitrix24ValidationException.class, none.getException());
        Exchange url = delete("https://evil.example/rest/", 1);
        Bitrix24ValidationException bad = assertInstanceOf(Bitrix24ValidationException.class, url.getException());
        assertTrue(bad.getMessage().contains(Bitrix24CrmConstants.PORTAL), bad.getMessage());
        assertEquals(0, requestsOnAnyPortal(), "nothing sent to any portal");
        assertEquals(0, cloud.oauthRequestCount());
    }

    @Test
    void anExpiredTokenIsRefreshedForItsPortalOnlyAndSavedInTheRegistry() {
        Bitrix24Emulator a = cloud.portal(0);
        Bitrix24Emulator b = cloud.portal(1);
        Bitrix24Tokens before = registry.find(b.memberId()).getTokens();
        Bitrix24Tokens aBefore = registry.find(a.memberId()).getTokens();
        b.access().expireAllAccessTokens();

        assertNull(delete(a.memberId(), 1).getException());
        assertNull(delete(b.memberId(), 1).getException());
        assertNull(delete(b.memberId(), 2).getException());

        assertEquals(1, cloud.oauthRequestCount(), "one refresh, of portal b");
        assertNotEquals(before, registry.find(b.memberId()).getTokens(), "b's new pair saved");
        assertEquals(aBefore, registry.find(a.memberId()).getTokens(), "a's pair untouched");
        assertFalse(b.data().hasLead(1) || b.data().hasLead(2));
    }

    @Test
    void endpointsCallingOneInstallationShareItsRefresh() {
        Bitrix24Emulator a = cloud.portal(0);
        int contact = a.data().addContact("C");
        // both endpoints have called the installation before its token expires
        assertNull(delete(a.memberId(), 1).getException());
        Exchange first = camel.createProducerTemplate().request("direct:contact", e -> {
            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, a.memberId());
            e.getMessage().setBody(contact);
        });
        assertNull(first.getException());
        a.access().expireAllAccessTokens();

        assertNull(delete(a.memberId(), 2).getException());
        int other = a.data().addContact("D");
        Exchange second = camel.createProducerTemplate().request("direct:contact", e -> {
            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, a.memberId());
            e.getMessage().setBody(other);
        });
        assertNull(second.getException(), () -> String.valueOf(second.getException()));
        assertEquals(1, cloud.oauthRequestCount(), "one refresh for the installation, whichever endpoint calls it");
    }

    @Test
    void anInstallationWhoseRefreshIsRefusedIsMarkedRefusedAndItsLaterCallsSendNothing() throws Exception {
        Bitrix24Emulator c = cloud.portal(2);
        Bitrix24Tokens tokens = registry.find(c.memberId()).getTokens();
        // someone else spends the refresh token and keeps the new pair to itself
        java.net.http.HttpResponse<String> spent = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(cloud.oauthServerUrl()
                        + "/oauth/token/?grant_type=refresh_token&client_id=" + cloud.clientId() + "&client_secret="
                        + cloud.clientSecret() + "&refresh_token=" + tokens.getRefreshToken())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, spent.statusCode());
        c.access().expireAllAccessTokens();

        Bitrix24AuthenticationException refused = assertInstanceOf(Bitrix24AuthenticationException.class,
                delete(c.memberId(), 1).getException());
        assertEquals("invalid_grant", refused.getErrorCode());
        assertEquals("invalid_grant", registry.find(c.memberId()).getRefusal());
        long requests = c.requests().total();

        Bitrix24AuthenticationException fast = assertInstanceOf(Bitrix24AuthenticationException.class,
                delete(c.memberId(), 2).getException());
        assertTrue(fast.getMessage().contains("refused"), fast.getMessage());
        assertEquals(requests, c.requests().total(), "a refused installation's calls send nothing");
        assertEquals(2, cloud.oauthRequestCount(), "the other party's refresh and the refused one, no more");
        assertNull(delete(cloud.portal(0).memberId(), 1).getException(), "the other portals go on");
    }

    @Test
    void thePortalHeaderOnAnEndpointWithOnePortalsCredentialsIsRefusedAndNothingIsSent() throws Exception {
        try (Bitrix24Emulator single = Bitrix24Emulator.builder().webhook(1, Bitrix24TestSupport.WEBHOOK_CODE).start();
             EmulatorContext context = EmulatorContext.deletingLeads(single, c -> { })) {
            int lead = single.data().addLead("L", "NEW");
            Exchange redirected = context.camel().createProducerTemplate().request("direct:delete", e -> {
                e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, cloud.portal(0).memberId());
                e.getMessage().setBody(lead);
            });
            Bitrix24ValidationException e = assertInstanceOf(Bitrix24ValidationException.class, redirected.getException());
            assertTrue(e.getMessage().contains("nothing was sent"), e.getMessage());
            assertEquals(0, single.requests().total());
            assertEquals(0, requestsOnAnyPortal());
            assertTrue(single.data().hasLead(lead));
        }
    }

    @Test
    void aPortalsPlanLimitsInTheRegistryPaceItsCalls() throws Exception {
        Bitrix24Emulator portal = cloud.portal(2);
        // the registry's plan, 2 + 2/s, is far below the component's own 50 + 2/s; the portal keeps one request of
        // slack over the plan, so two calls that left on their turns but arrive together are not refused
        portal.limits().setRateLimit(3, 2);
        Bitrix24Installation installed = registry.find(portal.memberId());
        registry.save(new Bitrix24Installation(installed.getMemberId(), installed.getClientEndpoint(),
                installed.getTokens(), installed.getApplicationToken(), null, 2, 2.0));
        Bitrix24CrmComponent component = CloudInstallations.component(cloud, registry);
        component.getConfiguration().setCoalesce(false);
        try (EmulatorContext single = EmulatorContext.start(component, Map.of("direct:delete",
                "bitrix24-crm:lead/delete"))) {
            long start = System.nanoTime();
            List<CompletableFuture<Exchange>> calls = new ArrayList<>();
            for (int lead = 1; lead <= 5; lead++) {
                int id = lead;
                calls.add(single.camel().createProducerTemplate().asyncSend("direct:delete", e -> {
                    e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal.memberId());
                    e.getMessage().setBody(id);
                }));
            }
            for (CompletableFuture<Exchange> call : calls) {
                assertNull(call.get(10, TimeUnit.SECONDS).getException());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("plan limits: 5 single deletes at a 2 + 2/s portal paced by the registry's limits in"
                              + " %.2f s, %d refused%n", seconds, portal.limits().rateLimitedCount());
            assertEquals(0, portal.data().leadCount());
            assertEquals(0, portal.limits().rateLimitedCount(), "paced by the plan's bucket: nothing refused");
            assertTrue(seconds >= 1.2, "3 of 5 waited for turns at 2 a second: " + seconds + " s");
        }
    }
}
