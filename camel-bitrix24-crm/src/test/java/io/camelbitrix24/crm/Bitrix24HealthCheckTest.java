package io.camelbitrix24.crm;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.DeletingMainApp;
import io.camelbitrix24.testing.Ports;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portal health check in Camel Main, as its health endpoint reports it: UP, and DOWN with a typed reason for
 * refused credentials, a missing crm scope and a portal that does not answer; by a cached {@code scope} read, never a
 * delete, and without a credential in what it reports.
 */
class Bitrix24HealthCheckTest {

    private static final String CODE = "h3althW3bhook";
    private static final String TASKS_ONLY = "t4sksOnlyC0de";
    private static Bitrix24Emulator portal;

    @BeforeAll
    static void start() {
        portal = Bitrix24Emulator.builder().webhook(1, CODE).start();
        portal.access().addWebhook(2, TASKS_ONLY, "task");
    }

    @AfterAll
    static void stop() {
        portal.close();
    }

    /** The portal's health result and its details, twice, with the requests the portal saw meanwhile. */
    private record Health(HealthCheck.Result first, HealthCheck.Result second, long scopeReads, long deletes) {
    }

    private static Health health(String webhookUrl) throws Exception {
        portal.requests().reset();
        try (DeletingMainApp app = DeletingMainApp.start(Map.of(
                "camel.health.enabled", "true",
                "camel.health.producersEnabled", "true",
                "bitrix24.webhookUrl", webhookUrl,
                "camel.component.bitrix24-crm.webhookUrl", "{{bitrix24.webhookUrl}}",
                "camel.component.bitrix24-crm.allowInsecureHttp", "true",
                "camel.component.bitrix24-crm.connectTimeout", "1000",
                "camel.component.bitrix24-crm.responseTimeout", "1000"))) {
            // "full": every check, as camel.health.exposureLevel=full shows them (the default shows only DOWN ones)
            HealthCheck.Result first = ours(HealthCheckHelper.invokeReadiness(app.context(), "full"));
            HealthCheck.Result second = ours(HealthCheckHelper.invokeReadiness(app.context(), "full"));
            assertTrue(HealthCheckHelper.invokeLiveness(app.context(), "full").stream()
                    .noneMatch(r -> r.getCheck().getId().contains("bitrix24")), "a readiness check only");
            return new Health(first, second, portal.requests().count("scope"),
                    portal.requests().count("crm.lead.delete"));
        }
    }

    private static HealthCheck.Result ours(Collection<HealthCheck.Result> results) {
        List<HealthCheck.Result> mine = results.stream().filter(r -> r.getCheck().getId().startsWith("producer:bitrix24-crm:"))
                .toList();
        assertEquals(1, mine.size(), "one check for the portal: " + results.stream().map(r -> r.getCheck().getId() + "=" + r.getState() + r.getDetails()).toList());
        return mine.get(0);
    }

    private static void assertNoSecret(HealthCheck.Result result) {
        String printed = result.getState() + " " + result.getMessage().orElse("") + " " + result.getDetails()
                         + " " + result.getCheck().getId() + result.getError().map(Throwable::toString).orElse("");
        for (String secret : List.of(CODE, TASKS_ONLY)) {
            assertFalse(printed.contains(secret), printed);
        }
    }

    @Test
    void upWhenThePortalAnswersAndTheWebhookHasTheCrmScopeCheckedOnceForTwoProbes() throws Exception {
        Health health = health(portal.webhookUrl());
        assertEquals(HealthCheck.State.UP, health.first().getState(), health.first().toString());
        assertEquals(portal.baseUrl(), health.first().getDetails().get("portal"));
        assertEquals(HealthCheck.State.UP, health.second().getState());
        assertEquals(1, health.scopeReads(), "the second probe used the kept answer");
        assertEquals(0, health.deletes(), "never a delete");
        assertNoSecret(health.first());
    }

    @Test
    void downWhenTheCredentialsAreRefused() throws Exception {
        Health health = health(portal.baseUrl() + "/rest/1/not" + CODE + "/");
        assertDown(health, "AUTHENTICATION_REFUSED");
        assertTrue(health.first().getMessage().orElse("").contains("INVALID_CREDENTIALS"), health.first().toString());
    }

    @Test
    void downWhenTheWebhookLacksTheCrmScope() throws Exception {
        Health health = health(portal.baseUrl() + "/rest/2/" + TASKS_ONLY + "/");
        assertDown(health, "CRM_SCOPE_MISSING");
        assertTrue(health.first().getMessage().orElse("").contains("no crm scope"), health.first().toString());
    }

    @Test
    void downWhenThePortalDoesNotAnswer() throws Exception {
        int closed = Ports.unused();
        Health health = health("http://127.0.0.1:" + closed + "/rest/1/" + CODE + "/");
        assertDown(health, "PORTAL_UNREACHABLE");
        Map<String, Object> details = health.first().getDetails();
        assertEquals("http://127.0.0.1:" + closed, details.get("portal"));
    }

    /** DOWN for {@code reason}, and no secret in what the check reports. */
    private static void assertDown(Health health, String reason) {
        assertEquals(HealthCheck.State.DOWN, health.first().getState(), health.first().toString());
        assertEquals(reason, health.first().getDetails().get("reason"));
        assertNoSecret(health.first());
    }
}
