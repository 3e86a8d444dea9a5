package io.camelbitrix24.crm;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import io.camelbitrix24.emulator.AccessControl;
import io.camelbitrix24.emulator.Answer;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.emulator.Bitrix24Error;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secrets stay out of what Camel and the component print: endpoint URIs and toString, exception messages and stack traces,
 * and log lines.
 * <p>
 * Configured on the component (the documented way), no secret appears in any log line of any logger at TRACE. Configured
 * in an endpoint URI, Camel core itself prints the URI as written at TRACE (AbstractCamelContext, DefaultComponent,
 * DefaultChannel, ..., for every component and every option, {@code password} included), which no component can prevent:
 * there Camel core's TRACE lines are held aside and everything else, DEBUG included, is checked.
 */
class Bitrix24SecretLeakTest {

    private static final String WEBHOOK_CODE = "LeakCanaryWebhookCode";
    private static final String CLIENT_SECRET = "LeakCanaryClientSecret";

    @ParameterizedTest(name = "secrets configured on the {0}")
    @ValueSource(strings = { "component", "endpoint URI" })
    void noSecretInUrisMessagesOrLogs(String where) throws Exception {
        boolean inUri = where.equals("endpoint URI");
        List<String> printed = new ArrayList<>();
        // grows as the OAuth server issues pairs: the relay adds each before the component reads it
        Set<String> secrets = ConcurrentHashMap.newKeySet();
        try (LogCapture logs = LogCapture.start("all");
             Bitrix24Emulator portal = Bitrix24Emulator.builder().webhook(1, WEBHOOK_CODE)
                     .oauthApplication("leak.app", CLIENT_SECRET).start();
             OAuthTokenRelay oauthServer = OAuthTokenRelay.inFrontOf(portal, secrets);
             CamelContext context = new DefaultCamelContext()) {
            AccessControl.TokenPair tokens = portal.access().issueTokens(1);
            secrets.add(WEBHOOK_CODE);
            secrets.add(CLIENT_SECRET);
            secrets.add(tokens.accessToken());
            secrets.add(tokens.refreshToken());

            String oauthOptions = "portalUrl=" + portal.portalUrl() + "&accessToken=" + tokens.accessToken()
                                  + "&refreshToken=" + tokens.refreshToken() + "&clientId=leak.app&clientSecret="
                                  + CLIENT_SECRET + "&oauthServerUrl=" + oauthServer.url();
            String webhookUri = "bitrix24-crm:lead/delete?allowInsecureHttp=true&maxRetries=0";
            String oauthUri = "oauth:contact/delete?allowInsecureHttp=true";
            Bitrix24CrmComponent webhookComponent = new Bitrix24CrmComponent();
            Bitrix24CrmComponent oauthComponent = new Bitrix24CrmComponent();
            if (inUri) {
                webhookUri += "&webhookUrl=" + portal.webhookUrl();
                oauthUri += "&" + oauthOptions;
            } else {
                webhookComponent.getConfiguration().setWebhookUrl(portal.webhookUrl());
                Bitrix24CrmConfiguration oauth = oauthComponent.getConfiguration();
                oauth.setPortalUrl(portal.portalUrl());
                oauth.setAccessToken(tokens.accessToken());
                oauth.setRefreshToken(tokens.refreshToken());
                oauth.setClientId("leak.app");
                oauth.setClientSecret(CLIENT_SECRET);
                oauth.setOauthServerUrl(oauthServer.url());
            }
            context.addComponent("bitrix24-crm", webhookComponent);
            context.addComponent("oauth", oauthComponent);
            String webhookTo = webhookUri;
            String oauthTo = oauthUri;
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:webhook").to(webhookTo);
                    from("direct:oauth").to(oauthTo);
                }
            });
            context.start();
            ProducerTemplate template = context.createProducerTemplate();

            List<Exchange> exchanges = new ArrayList<>();
            int lead = portal.data().addLead("L", "NEW");
            exchanges.add(template.request("direct:webhook", e -> e.getMessage().setBody(lead)));
            exchanges.add(template.request("direct:webhook", e -> e.getMessage().setBody(999999)));
            exchanges.add(template.request("direct:webhook", e -> e.getMessage().setBody("not-an-id")));
            portal.script(Answer.proxyErrorPage(), Answer.error(Bitrix24Error.INTERNAL_SERVER_ERROR));
            exchanges.add(template.request("direct:webhook", e -> e.getMessage().setBody(1)));
            exchanges.add(template.request("direct:webhook", e -> e.getMessage().setBody(1)));
            int contact = portal.data().addContact("C");
            portal.access().expireAllAccessTokens();
            exchanges.add(template.request("direct:oauth", e -> e.getMessage().setBody(contact)));
            exchanges.add(template.request("direct:oauth", e -> e.getMessage().setBody(999999)));

            assertFalse(portal.data().hasLead(lead), "the webhook route worked");
            assertFalse(portal.data().hasContact(contact), "the OAuth route worked, after a refresh");
            assertEquals(1, portal.oauthRequestCount());
            assertEquals(1, oauthServer.pairsIssued(), "the refreshed pair came through the relay");
            assertEquals(6, secrets.size(), "the webhook code, the client secret, the first pair and the refreshed one");
            int failures = 0;
            for (Exchange exchange : exchanges) {
                printed.add(exchange.toString());
                if (exchange.getException() != null) {
                    failures++;
                    StringWriter trace = new StringWriter();
                    exchange.getException().printStackTrace(new PrintWriter(trace));
                    printed.add(trace.toString());
                }
            }
            assertEquals(5, failures);

            for (Endpoint endpoint : context.getEndpoints()) {
                printed.add(endpoint.getEndpointUri());
                printed.add(endpoint.getEndpointBaseUri());
                printed.add(endpoint.toString());
                printed.add(URISupport.sanitizeUri(endpoint.getEndpointKey()));
            }
            context.getRoutes().forEach(route -> printed.add(route.getEndpoint().toString() + route.getDescription()));
            context.stop();
            // Camel core prints the route's URI as written at TRACE (resolving it, creating the endpoint, wiring the
            // route), for every component: with secrets in the URI only its DEBUG and above can be held to this
            Predicate<String> camelCoreDebug = line -> line.matches("(?s)TRACE org\\.apache\\.camel\\..*");
            logs.lines().stream().filter(line -> !inUri || !camelCoreDebug.test(line)).forEach(printed::add);
            assertTrue(logs.lines().stream().anyMatch(line -> line.startsWith("TRACE")), "TRACE lines were captured");
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("org.apache.hc.")),
                    "the HTTP client's own lines were captured");
        }

        assertTrue(printed.stream().anyMatch(line -> line.contains("bitrix24-crm://lead/delete")),
                "the endpoint is printed");
        for (String secret : secrets) {
            for (String line : printed) {
                assertFalse(line.contains(secret), () -> "a secret leaked in: " + line.replace(secret, "<SECRET>"));
            }
        }
    }
}
