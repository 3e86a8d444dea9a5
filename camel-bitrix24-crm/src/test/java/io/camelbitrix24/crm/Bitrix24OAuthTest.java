package io.camelbitrix24.crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.internal.auth.InMemoryTokenStore;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import io.camelbitrix24.emulator.AccessControl;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OAuth: the token goes as {@code auth}, an expired token is refreshed once (shared by concurrent calls) and saved. */
class Bitrix24OAuthTest extends CamelTestSupport {

    private static final String CLIENT_SECRET = "cl13ntS3cretValue";

    // started per test, before Camel's own set-up creates the context
    private final Bitrix24Emulator portal = Bitrix24Emulator.builder().oauthApplication("app.client.id", CLIENT_SECRET).start();
    private AccessControl.TokenPair issued = portal.access().issueTokens(1);
    private final RecordingTokenStore store = new RecordingTokenStore();
    private String clientSecret = CLIENT_SECRET;
    private boolean withRefresh = true;
    private int rateLimitBurst;

    /** Saves in memory and notes how many deletes the portal had seen at each save. */
    class RecordingTokenStore extends InMemoryTokenStore {
        final List<Long> deletesSeenAtSave = new CopyOnWriteArrayList<>();

        @Override
        public void save(Bitrix24Tokens tokens) {
            deletesSeenAtSave.add(portal.requests().commands("crm.lead.delete"));
            super.save(tokens);
        }
    }

    @AfterEach
    void stopPortal() {
        portal.close();
    }

    @Override
    public boolean isUseRouteBuilder() {
        return false;
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        context.getRegistry().bind("tokenStore", store);
        return context;
    }

    private void startRoute() throws Exception {
        Bitrix24CrmComponent component = new Bitrix24CrmComponent();
        Bitrix24CrmConfiguration config = component.getConfiguration();
        config.setPortalUrl(portal.portalUrl());
        config.setAccessToken(issued.accessToken());
        if (withRefresh) {
            config.setRefreshToken(issued.refreshToken());
            config.setClientId("app.client.id");
            config.setClientSecret(clientSecret);
        }
        config.setOauthServerUrl(portal.oauthServerUrl());
        config.setTokenStore(store);
        config.setAllowInsecureHttp(true);
        if (rateLimitBurst > 0) {
            config.setRateLimitBurst(rateLimitBurst);
            config.setRateLimitPerSecond(1);
        }
        context.addComponent("bitrix24-crm", component);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:lead").to("bitrix24-crm:lead/delete");
            }
        });
        context.start();
    }

    private Exchange delete(int id) {
        return template.request("direct:lead", e -> e.getMessage().setHeader(Bitrix24CrmConstants.ID, id));
    }

    @Test
    void accessTokenTravelsAsAuth() throws Exception {
        startRoute();
        int lead = portal.data().addLead("L", "NEW");
        Exchange out = delete(lead);
        assertNull(out.getException());
        assertFalse(portal.data().hasLead(lead));
        assertEquals(0, portal.oauthRequestCount());
        assertFalse(portal.requests().last().params().containsKey("auth"), "auth is taken out before recording");
    }

    @Test
    void expiredTokenIsRefreshedOnceSavedFirstAndTheCallRepeated() throws Exception {
        startRoute();
        portal.access().expireAllAccessTokens();
        int lead = portal.data().addLead("L", "NEW");

        Exchange out = delete(lead);

        assertNull(out.getException());
        assertFalse(portal.data().hasLead(lead));
        assertEquals(1, portal.oauthRequestCount());
        assertEquals(2, portal.requests().count("crm.lead.delete"), "the expired call and its repeat");
        Bitrix24Tokens saved = store.load();
        assertNotEquals(issued.accessToken(), saved.getAccessToken());
        assertNotEquals(issued.refreshToken(), saved.getRefreshToken());
        assertEquals(List.of(1L), store.deletesSeenAtSave, "saved before the new token was used");

        // the new pair keeps working, and the next expiry spends the new refresh token
        portal.access().expireAllAccessTokens();
        int next = portal.data().addLead("L2", "NEW");
        assertNull(delete(next).getException());
        assertEquals(2, portal.oauthRequestCount());
    }

    @Test
    void concurrentExpiredCallsShareOneRefresh() throws Exception {
        startRoute();
        portal.access().expireAllAccessTokens();
        portal.setOAuthDelay(Duration.ofMillis(500));
        List<Integer> leads = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            leads.add(portal.data().addLead("L" + i, "NEW"));
        }

        // the portal answers once all ten are in, so their refusals come back together however slowly they were sent
        CompletableFuture<Void> allIn = new CompletableFuture<>();
        portal.holdAnswers(allIn);
        List<CompletableFuture<Exchange>> calls = new ArrayList<>();
        try {
            for (int lead : leads) {
                calls.add(template.asyncSend("direct:lead", e -> e.getMessage().setHeader(Bitrix24CrmConstants.ID,
                        lead)));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (portal.requests().commands("crm.lead.delete") < 10 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(10, portal.requests().commands("crm.lead.delete"), "all ten in with the expired token");
        } finally {
            allIn.complete(null);
            portal.holdAnswers(null);
        }
        for (CompletableFuture<Exchange> call : calls) {
            assertNull(call.get(10, TimeUnit.SECONDS).getException());
        }

        assertEquals(1, portal.oauthRequestCount(), "one refresh for all ten expired calls");
        // the calls waiting together leave together: each refused once, as a single call or in a batch call
        assertEquals(20, portal.requests().commands("crm.lead.delete"), "ten expired calls, ten repeats");
        leads.forEach(lead -> assertFalse(portal.data().hasLead(lead)));
        assertEquals(1, store.deletesSeenAtSave.size());
    }

    @Test
    void aCoalescedBatchRefusedForAnExpiredTokenIsSentAgainAfterOneRefresh() throws Exception {
        rateLimitBurst = 1;
        startRoute();
        int first = portal.data().addLead("L0", "NEW");
        // the burst is spent: the calls below wait for the next turn, together
        assertNull(delete(first).getException());
        portal.access().expireAllAccessTokens();
        portal.requests().reset();
        List<Integer> leads = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            leads.add(portal.data().addLead("L" + i, "NEW"));
        }

        List<CompletableFuture<Exchange>> calls = new ArrayList<>();
        for (int lead : leads) {
            calls.add(template.asyncSend("direct:lead", e -> e.getMessage().setHeader(Bitrix24CrmConstants.ID, lead)));
        }
        for (CompletableFuture<Exchange> call : calls) {
            Exchange done = call.get(20, TimeUnit.SECONDS);
            assertNull(done.getException());
            assertEquals(Boolean.TRUE, done.getMessage().getBody());
        }

        assertEquals(1, portal.oauthRequestCount(), "one refresh for the batch");
        assertEquals(2, portal.requests().count("batch"), "the refused batch call and the same one again: "
                                                          + portal.requests().recent());
        assertEquals(0, portal.requests().count("crm.lead.delete"));
        assertEquals(10, portal.requests().commands("crm.lead.delete"));
        leads.forEach(lead -> assertFalse(portal.data().hasLead(lead)));
        assertEquals(List.of(5L), store.deletesSeenAtSave, "saved after the refused batch, before it went again");
    }

    @Test
    void failedRefreshFailsEveryWaitingCallWithAuthenticationError() throws Exception {
        clientSecret = "wrong-secret-value";
        startRoute();
        portal.access().expireAllAccessTokens();
        portal.setOAuthDelay(Duration.ofMillis(300));

        CompletableFuture<Exchange> first = template.asyncSend("direct:lead",
                e -> e.getMessage().setHeader(Bitrix24CrmConstants.ID, 1));
        CompletableFuture<Exchange> second = template.asyncSend("direct:lead",
                e -> e.getMessage().setHeader(Bitrix24CrmConstants.ID, 2));

        for (CompletableFuture<Exchange> call : List.of(first, second)) {
            Bitrix24AuthenticationException e = assertInstanceOf(Bitrix24AuthenticationException.class,
                    call.get(10, TimeUnit.SECONDS).getException());
            assertEquals("invalid_client", e.getErrorCode());
            assertFalse(e.getMessage().contains("wrong-secret-value"), e.getMessage());
            assertFalse(e.getMessage().contains(issued.refreshToken()), e.getMessage());
        }
        assertEquals(1, portal.oauthRequestCount());
        assertNull(store.load(), "nothing saved");
    }

    @Test
    void aRefusedRefreshTokenIsNotOfferedAgainUntilTheStoreHoldsANewPair() throws Exception {
        clientSecret = "wrong-secret-value";
        startRoute();
        portal.access().expireAllAccessTokens();
        int lead = portal.data().addLead("L", "NEW");

        for (int i = 0; i < 3; i++) {
            Bitrix24AuthenticationException e = assertInstanceOf(Bitrix24AuthenticationException.class,
                    delete(lead).getException());
            assertEquals("invalid_client", e.getErrorCode());
            assertFalse(e.isRetryable());
        }
        assertEquals(1, portal.oauthRequestCount(), "one refusal is final: no refresh storm on the OAuth server");

        // another instance sharing the token store renewed the pair
        AccessControl.TokenPair renewed = portal.access().issueTokens(1);
        store.save(new Bitrix24Tokens(renewed.accessToken(), renewed.refreshToken()));
        assertNull(delete(lead).getException());
        assertFalse(portal.data().hasLead(lead));
        assertEquals(1, portal.oauthRequestCount());
    }

    @Test
    void anOAuthServerFaultIsRetriedWithinTheCallsRetries() throws Exception {
        startRoute();
        portal.access().expireAllAccessTokens();
        int lead = portal.data().addLead("L", "NEW");
        // the OAuth server answers 503 once: the delete is retried, and its retry refreshes again
        portal.failNextOAuthRequests(1);
        Exchange exchange = delete(lead);
        assertNull(exchange.getException());
        assertFalse(portal.data().hasLead(lead));
        assertEquals(2, portal.oauthRequestCount());
    }

    @Test
    void expiredTokenWithoutRefreshSettingsIsAnAuthenticationError() throws Exception {
        withRefresh = false;
        startRoute();
        portal.access().expireAllAccessTokens();
        Bitrix24AuthenticationException e = assertInstanceOf(Bitrix24AuthenticationException.class, delete(1).getException());
        assertEquals("expired_token", e.getErrorCode());
        assertEquals(0, portal.oauthRequestCount());
    }

    @Test
    void tokenThatExpiresAgainAfterRefreshIsNotRefreshedInALoop() throws Exception {
        portal.access().setAccessTokenLifetime(Duration.ZERO);
        startRoute();
        portal.access().expireAllAccessTokens();
        Bitrix24AuthenticationException e = assertInstanceOf(Bitrix24AuthenticationException.class, delete(1).getException());
        assertEquals("expired_token", e.getErrorCode());
        assertEquals(1, portal.oauthRequestCount());
        assertEquals(2, portal.requests().count("crm.lead.delete"));
    }

    @Test
    void storedTokensWinOverConfiguredOnes() throws Exception {
        AccessControl.TokenPair persisted = portal.access().issueTokens(1);
        store.save(new Bitrix24Tokens(persisted.accessToken(), persisted.refreshToken()));
        issued = new AccessControl.TokenPair("stale-token-from-config", "stale-refresh", 3600);
        startRoute();
        int lead = portal.data().addLead("L", "NEW");
        assertNull(delete(lead).getException());
        assertFalse(portal.data().hasLead(lead));
        assertTrue(store.deletesSeenAtSave.size() == 1, "only the test's own save");
    }
}
