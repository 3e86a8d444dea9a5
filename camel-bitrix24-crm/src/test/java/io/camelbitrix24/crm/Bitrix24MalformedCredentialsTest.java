package io.camelbitrix24.crm;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.camelbitrix24.emulator.AccessControl;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.DeletingMainApp;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Credentials as they come from a Kubernetes secret, a CRLF {@code .env} file or a pasted variable, given to Camel Main
 * through {@code camel.component.bitrix24-crm.*} properties: stray white space is trimmed the same way everywhere, so the
 * delete works; an illegal character fails the start with a message naming the option and showing only the masked
 * value. Either way no secret appears in any message, stack trace or log line of ours or of Camel Main, at TRACE.
 */
class Bitrix24MalformedCredentialsTest {

    /** The part of each secret that any malformation leaves whole, to search for. */
    private static final String WEBHOOK_SECRET = "W3bhookCanary";
    private static final String CLIENT_SECRET = "Cl1entSecretCanary";

    /** Every secret of the run: the two above and each token pair issued, by the test or by a refresh. */
    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private static Bitrix24Emulator portal;
    private static OAuthTokenRelay oauthServer;
    private static AccessControl.TokenPair tokens;

    @BeforeAll
    static void startPortal() throws Exception {
        portal = Bitrix24Emulator.builder().webhook(1, "Code" + WEBHOOK_SECRET).oauthApplication("app", CLIENT_SECRET)
                .start();
        SECRETS.add(WEBHOOK_SECRET);
        SECRETS.add(CLIENT_SECRET);
        // the refreshed pairs are added by the relay as the OAuth server answers them
        oauthServer = OAuthTokenRelay.inFrontOf(portal, SECRETS);
        tokens = issueTokens();
    }

    private static AccessControl.TokenPair issueTokens() {
        AccessControl.TokenPair pair = portal.access().issueTokens(1);
        SECRETS.add(pair.accessToken());
        SECRETS.add(pair.refreshToken());
        return pair;
    }

    @AfterAll
    static void stopPortal() {
        oauthServer.close();
        portal.close();
    }

    static Stream<Arguments> strayWhiteSpace() {
        List<Arguments> cases = new ArrayList<>();
        for (String option : List.of("webhook-url", "portal-url", "access-token", "refresh-token", "client-secret")) {
            for (Map.Entry<String, String> stray : Map.of("leading space", " %s", "trailing LF", "%s\n", "trailing CRLF",
                    "%s\r\n", "leading tab", "\t%s", "trailing CR and space", "%s\r ").entrySet()) {
                cases.add(Arguments.of(option, stray.getKey(), stray.getValue()));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} with a {1}")
    @MethodSource("strayWhiteSpace")
    void strayWhiteSpaceIsTrimmedAndTheDeleteWorks(String option, String what, String format) throws Exception {
        boolean webhook = option.equals("webhook-url");
        if (!webhook) {
            // a fresh pair, expired at once: the call refreshes it, using the refresh token and the client secret
            tokens = issueTokens();
            if (!option.equals("access-token") && !option.equals("portal-url")) {
                portal.access().expireAllAccessTokens();
            }
        }
        Map<String, String> properties = credentials(webhook);
        properties.computeIfPresent(option, (k, v) -> String.format(format, v));
        long refreshesBefore = portal.oauthRequestCount();
        int pairsBefore = oauthServer.pairsIssued();
        int lead = portal.data().addLead("L", "NEW");
        Run run = run(properties, lead);

        assertNull(run.startFailure, () -> "start failed: " + run.startFailure);
        assertNull(run.exchange.getException(), () -> option + " " + what + ": " + run.exchange.getException());
        assertFalse(portal.data().hasLead(lead));
        if (option.equals("refresh-token") || option.equals("client-secret")) {
            assertEquals(refreshesBefore + 1, portal.oauthRequestCount(), "the trimmed refresh worked");
            assertEquals(pairsBefore + 1, oauthServer.pairsIssued(), "the refreshed pair is among the secrets");
        }
        run.assertNoSecret();
    }

    static Stream<Arguments> illegalCharacters() {
        return Stream.of(" ", "|", "\n", "%ZZ", "`", "{", "\\", "^", "\"").map(Arguments::of);
    }

    @ParameterizedTest(name = "a webhook code with [{0}]")
    @MethodSource("illegalCharacters")
    void anIllegalCharacterInTheWebhookCodeFailsTheStartNamingTheOptionMasked(String illegal) throws Exception {
        Map<String, String> properties = credentials(true);
        properties.put("webhook-url", portal.baseUrl() + "/rest/1/Co" + illegal + "de" + WEBHOOK_SECRET + "/");
        Run run = run(properties, 1);

        Throwable failure = run.startFailure != null ? run.startFailure : run.exchange.getException();
        assertNotNull(failure, "refused");
        String messages = run.printed.get(0);
        assertTrue(messages.contains("webhookUrl"), messages);
        assertTrue(messages.contains("/rest/xxxxxx"), messages);
        run.assertNoSecret();
        assertEquals(0, portal.requests().total(), "nothing was sent");
    }

    private static Map<String, String> credentials(boolean webhook) {
        Map<String, String> properties = new java.util.HashMap<>();
        if (webhook) {
            properties.put("webhook-url", portal.webhookUrl());
        } else {
            properties.put("portal-url", portal.portalUrl());
            properties.put("access-token", tokens.accessToken());
            properties.put("refresh-token", tokens.refreshToken());
            properties.put("client-id", "app");
            properties.put("client-secret", CLIENT_SECRET);
            properties.put("oauth-server-url", oauthServer.url());
        }
        return properties;
    }

    /** What one run printed: exception messages and stack traces first, then every log line of ours and Camel Main's. */
    private record Run(Throwable startFailure, Exchange exchange, List<String> printed) {

        void assertNoSecret() {
            Set<String> secrets = Set.copyOf(SECRETS);
            assertTrue(printed.size() > 1, "log lines were captured");
            for (String line : printed) {
                for (String secret : secrets) {
                    assertFalse(line.contains(secret), () -> "a secret leaked in: " + line.replace(secret, "<SECRET>"));
                }
            }
        }
    }

    private static Run run(Map<String, String> properties, int lead) throws Exception {
        portal.requests().reset();
        List<String> printed = new ArrayList<>();
        StringBuilder failures = new StringBuilder();
        Throwable startFailure = null;
        Exchange exchange = null;
        try (LogCapture logs = LogCapture.start("all")) {
            // as the README configures it: each secret in a property of its own (in production {{env:...}}), which
            // Camel Main's DEBUG dump of camel.* properties shows only as the placeholder
            Map<String, String> all = new LinkedHashMap<>();
            properties.forEach((key, value) -> {
                all.put("bitrix24." + key, value);
                all.put("camel.component.bitrix24-crm." + key, "{{bitrix24." + key + "}}");
            });
            all.put("camel.component.bitrix24-crm.allow-insecure-http", "true");
            all.put("camel.component.bitrix24-crm.max-retries", "0");
            try (DeletingMainApp app = DeletingMainApp.start(all)) {
                exchange = app.delete(lead);
            } catch (Exception e) {
                startFailure = e;
            }
            for (Throwable t : new Throwable[] { startFailure, exchange == null ? null : exchange.getException() }) {
                for (Throwable c = t; c != null; c = c.getCause()) {
                    failures.append(c.getMessage()).append('\n');
                }
                if (t != null) {
                    StringWriter trace = new StringWriter();
                    t.printStackTrace(new PrintWriter(trace));
                    printed.add(trace.toString());
                }
            }
            printed.add(0, failures.toString());
            // Camel core prints resolved property values while it resolves them, at DEBUG and TRACE (properties
            // component, bean binding), for every option of every component: those lines are held aside, as
            // docs/input-and-errors.md says to keep org.apache.camel at INFO; ours, Camel Main's and everything at
            // INFO and above count
            logs.lines().stream()
                    .filter(line -> !line.matches("(?s)(TRACE|DEBUG) org\\.apache\\.camel\\.(?!main\\.).*"))
                    .forEach(printed::add);
        }
        return new Run(startFailure, exchange, printed);
    }
}
