package io.camelbitrix24.crm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.camelbitrix24.emulator.AccessControl;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.Ports;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portal reached through an HTTP proxy (a loopback forward proxy started here): an HTTPS portal through a CONNECT
 * tunnel with TLS end to end and connections reused, a plain http one by absolute-URI requests, Basic credentials for
 * the proxy, and a refusal or a missing proxy as a final "not sent" that names the options to check and no secret.
 */
class Bitrix24ProxyTest {

    private static final String CODE = "pr0xyW3bhookC0de";
    private static final String USER = "camel";
    private static final String PASSWORD = "Pr0xyPassw0rdCanary";
    private static Bitrix24Emulator httpsPortal;
    private static Bitrix24Emulator httpPortal;

    @BeforeAll
    static void start() {
        httpsPortal = Bitrix24Emulator.builder().https(true).webhook(1, CODE).start();
        httpPortal = Bitrix24Emulator.builder().webhook(1, CODE).oauthApplication("proxy.app", "pr0xyAppS3cret").start();
    }

    @AfterAll
    static void stop() {
        httpsPortal.close();
        httpPortal.close();
    }

    @Test
    void anHttpsPortalIsReachedThroughOneReusedTunnelWithTlsEndToEnd() throws Exception {
        try (LoopbackForwardProxy proxy = LoopbackForwardProxy.withCredentials(USER, PASSWORD);
             EmulatorContext context = EmulatorContext.deletingLeads(httpsPortal, config -> proxied(config, proxy, PASSWORD))) {
            List<Integer> leads = addLeads(httpsPortal, 5);
            long before = httpsPortal.requests().count("crm.lead.delete");
            for (int lead : leads) {
                Exchange out = context.delete(lead);
                assertNull(out.getException());
            }

            leads.forEach(lead -> assertFalse(httpsPortal.data().hasLead(lead), "deleted through the proxy"));
            assertEquals(before + 5, httpsPortal.requests().count("crm.lead.delete"));
            assertEquals(List.of("127.0.0.1:" + httpsPortal.port()), proxy.tunnelTargets(),
                    "one CONNECT to the portal, its connection reused for the five calls");
            assertEquals(0, proxy.refused());
            assertTrue(proxy.tunnelledBytes() > 0, "the calls went through the tunnel");
            assertFalse(proxy.tunnelCarriedInClear(CODE), "the proxy saw TLS only, not the webhook path");
            assertFalse(proxy.tunnelCarriedInClear("crm.lead.delete"), "nor the method");
        }
    }

    @Test
    void aPlainHttpPortalIsReachedByAbsoluteUriRequests() throws Exception {
        try (LoopbackForwardProxy proxy = LoopbackForwardProxy.withCredentials(USER, PASSWORD);
             EmulatorContext context = EmulatorContext.deletingLeads(httpPortal,
                     config -> proxied(config, proxy, PASSWORD))) {
            int lead = httpPortal.data().addLead("L", "NEW");
            assertNull(context.delete(lead).getException());

            assertFalse(httpPortal.data().hasLead(lead));
            assertEquals(0, proxy.tunnels(), "no tunnel for plain http");
            assertEquals(1, proxy.forwarded());
            String expected = "POST " + httpPortal.baseUrl() + "/rest/1/";
            assertTrue(proxy.forwardedRequestLines().get(0).startsWith(expected),
                    "the request line holds the absolute URI (" + expected + "...)");
        }
    }

    @Test
    void anOAuthRefreshGoesThroughTheProxyToo() throws Exception {
        AccessControl.TokenPair tokens = httpPortal.access().issueTokens(1);
        httpPortal.access().expireAllAccessTokens();
        try (LoopbackForwardProxy proxy = LoopbackForwardProxy.open();
             EmulatorContext context = EmulatorContext.deletingLeads(httpPortal, config -> {
                 config.setWebhookUrl(null);
                 config.setPortalUrl(httpPortal.portalUrl());
                 config.setAccessToken(tokens.accessToken());
                 config.setRefreshToken(tokens.refreshToken());
                 config.setClientId("proxy.app");
                 config.setClientSecret("pr0xyAppS3cret");
                 config.setOauthServerUrl(httpPortal.oauthServerUrl());
                 config.setProxyHost(proxy.host());
                 config.setProxyPort(proxy.port());
             })) {
            long refreshes = httpPortal.oauthRequestCount();
            int lead = httpPortal.data().addLead("L", "NEW");
            assertNull(context.delete(lead).getException());

            assertFalse(httpPortal.data().hasLead(lead));
            assertEquals(refreshes + 1, httpPortal.oauthRequestCount(), "the expired token was refreshed");
            // the refused call, the refresh, the call again
            List<String> lines = proxy.forwardedRequestLines();
            assertEquals(3, lines.size());
            assertTrue(lines.get(1).startsWith("GET " + httpPortal.oauthServerUrl() + "/oauth/token/"),
                    "the refresh went to the OAuth server through the proxy");
        }
    }

    @ParameterizedTest(name = "{0} portal")
    @ValueSource(strings = { "https", "http" })
    void wrongProxyCredentialsFailOnceAsNotSentWithoutTheSecret(String scheme) throws Exception {
        Bitrix24Emulator portal = scheme.equals("https") ? httpsPortal : httpPortal;
        try (LoopbackForwardProxy proxy = LoopbackForwardProxy.withCredentials(USER, PASSWORD);
             EmulatorContext context = EmulatorContext.deletingLeads(portal, config -> {
                 // retries as by default: a refusal must not use them
                 config.setMaxRetries(3);
                 proxied(config, proxy, "wrong" + PASSWORD);
             })) {
            long before = portal.requests().total();
            int lead = portal.data().addLead("L", "NEW");
            Exchange out = context.delete(lead);

            Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, out.getException());
            assertFalse(e.isRetryable(), e.getMessage());
            assertFalse(e.isOutcomeUnknown(), "the proxy passed nothing on");
            assertEquals(407, e.getStatusCode());
            assertTrue(e.getMessage().contains("not sent") && e.getMessage().contains("407")
                       && e.getMessage().contains("proxyAuthPassword"), e.getMessage());
            assertFalse(e.getMessage().contains(PASSWORD), "no password in the message");
            // for https the start's preparation asked for a tunnel and was refused too, before the call (which waited
            // for it); for http it only connected to the proxy, asking nothing
            assertEquals(scheme.equals("https") ? 2 : 1, proxy.refused(), "the call's one attempt, after the preparation");
            assertEquals(before, portal.requests().total(), "nothing reached the portal");
            assertTrue(portal.data().hasLead(lead));
        }
    }

    @Test
    void aProxyThatIsNotThereFailsAsNotSent() throws Exception {
        int closedPort = Ports.unused();
        try (EmulatorContext context = EmulatorContext.deletingLeads(httpsPortal, config -> {
            config.setProxyHost("127.0.0.1");
            config.setProxyPort(closedPort);
            config.setMaxRetries(0);
        })) {
            int lead = httpsPortal.data().addLead("L", "NEW");
            Exchange out = context.delete(lead);

            Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, out.getException());
            assertFalse(e.isOutcomeUnknown(), "no connection, nothing sent: " + e.getMessage());
            assertTrue(e.getMessage().contains("ConnectException"), e.getMessage());
            assertTrue(httpsPortal.data().hasLead(lead));
        }
    }

    @Test
    void aProxyThatCannotReachThePortalIsRetriedAsNotSent() throws Exception {
        int closedPort = Ports.unused();
        try (LoopbackForwardProxy proxy = LoopbackForwardProxy.open();
             EmulatorContext context = EmulatorContext.deletingLeads(httpsPortal, config -> {
                 config.setWebhookUrl("https://127.0.0.1:" + closedPort + "/rest/1/" + CODE + "/");
                 config.setProxyHost(proxy.host());
                 config.setProxyPort(proxy.port());
                 config.setMaxRetries(1);
                 config.setRetryDelay(10);
             })) {
            Exchange out = context.delete(7);

            Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, out.getException());
            assertTrue(e.isRetryable(), e.getMessage());
            assertFalse(e.isOutcomeUnknown(), e.getMessage());
            assertEquals(502, e.getStatusCode());
            assertTrue(e.getMessage().contains("not sent") && e.getMessage().contains("gave up after 2 attempts"),
                    e.getMessage());
            assertEquals(3, proxy.tunnelTargets().size(), "the start's preparation, then the call, retried once");
            assertEquals(0, proxy.tunnels(), "no tunnel opened");
        }
    }

    @Test
    void aPortalUrlWithoutAPortIsTunnelledToPort443() throws Exception {
        try (LoopbackForwardProxy proxy = LoopbackForwardProxy.open();
             EmulatorContext context = EmulatorContext.deletingLeads(httpsPortal, config -> {
                 // as Bitrix24 portal URLs are written; nothing listens on port 443 here, so the proxy answers 502
                 config.setWebhookUrl("https://localhost/rest/1/" + CODE + "/");
                 config.setProxyHost(proxy.host());
                 config.setProxyPort(proxy.port());
                 config.setMaxRetries(0);
             })) {
            Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, context.delete(7).getException());
            assertEquals(List.of("localhost:443", "localhost:443"), proxy.tunnelTargets(),
                    "CONNECT names host and port (the start's preparation, then the call)");
            assertEquals(502, e.getStatusCode(), e.getMessage());
        }
    }

    @Test
    void theProxyPasswordIsMaskedInEndpointUrisAndNeverLogged() throws Exception {
        try (LogCapture logs = LogCapture.start("all");
             LoopbackForwardProxy proxy = LoopbackForwardProxy.withCredentials(USER, PASSWORD);
             EmulatorContext context = EmulatorContext.start(httpsPortal, config -> config.setWebhookUrl(null), Map.of(
                     "direct:delete", "bitrix24-crm:lead/delete?webhookUrl=RAW(" + httpsPortal.webhookUrl() + ")&proxyHost="
                                      + proxy.host() + "&proxyPort=" + proxy.port() + "&proxyAuthUsername=" + USER
                                      + "&proxyAuthPassword=RAW(" + PASSWORD + ")"))) {
            int lead = httpsPortal.data().addLead("L", "NEW");
            assertNull(context.delete(lead).getException());
            assertFalse(httpsPortal.data().hasLead(lead), "the URI's proxy options worked");

            List<String> printed = new ArrayList<>();
            for (Endpoint endpoint : context.camel().getEndpoints()) {
                printed.add(endpoint.getEndpointUri());
                printed.add(endpoint.toString());
            }
            assertTrue(printed.stream().anyMatch(line -> line.contains("proxyAuthPassword=xxxxxx")),
                    "the endpoint URI is printed, masked");
            context.camel().stop();
            // Camel core prints a URI as written at TRACE while resolving it; the component and HttpCore never do
            logs.lines().stream().filter(line -> !line.matches("(?s)TRACE org\\.apache\\.camel\\..*")).forEach(printed::add);
            for (String line : printed) {
                assertFalse(line.contains(PASSWORD), () -> "the proxy password leaked in: " + line.replace(PASSWORD, "<SECRET>"));
            }
        }
    }

    private static void proxied(Bitrix24CrmConfiguration config, LoopbackForwardProxy proxy, String password) {
        config.setProxyHost(proxy.host());
        config.setProxyPort(proxy.port());
        config.setProxyAuthUsername(USER);
        config.setProxyAuthPassword(password);
    }

    private static List<Integer> addLeads(Bitrix24Emulator portal, int count) {
        List<Integer> leads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leads.add(portal.data().addLead("L" + i, "NEW"));
        }
        return leads;
    }
}
