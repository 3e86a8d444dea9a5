package io.camelbitrix24.crm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.testing.DeletingMainApp;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Many-portal mode has one health check, however many portals it serves: UP when the registry can be read and the
 * OAuth server answers; DOWN, saying which, when one of them does not. It calls no portal and shows no secret.
 */
class Bitrix24PortalsHealthCheckTest {

    /**
     * The bitrix24-crm readiness results of an app serving many portals with {@code registry} (a bean class; null: the
     * default, in memory).
     */
    private static List<HealthCheck.Result> readiness(Bitrix24Cloud cloud, String oauthServerUrl, String registry)
            throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of(
                "camel.health.enabled", "true",
                "camel.health.producersEnabled", "true",
                "camel.component.bitrix24-crm.clientId", cloud.clientId(),
                "camel.component.bitrix24-crm.clientSecret", cloud.clientSecret(),
                "camel.component.bitrix24-crm.oauthServerUrl", oauthServerUrl,
                "camel.component.bitrix24-crm.allowInsecureHttp", "true",
                "camel.component.bitrix24-crm.connectTimeout", "1000",
                "camel.component.bitrix24-crm.responseTimeout", "1000"));
        if (registry != null) {
            properties.put("camel.beans.portals", "#class:" + registry);
            properties.put("camel.component.bitrix24-crm.portalRegistry", "#portals");
        }
        try (DeletingMainApp app = DeletingMainApp.start(properties)) {
            return HealthCheckHelper.invokeReadiness(app.context(), "full").stream()
                    .filter(r -> r.getCheck().getId().startsWith("producer:bitrix24-crm:")).toList();
        }
    }

    @Test
    void oneCheckIsUpWhenTheRegistryAndTheOAuthServerAnswerAndDownSayingWhichWhenNot() throws Exception {
        Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(3).start();
        boolean closed = false;
        try {
            List<HealthCheck.Result> up = readiness(cloud, cloud.oauthServerUrl(), null);
            assertEquals(1, up.size(), "one check for every portal: " + up);
            assertEquals("producer:bitrix24-crm:portals", up.get(0).getCheck().getId());
            assertEquals(HealthCheck.State.UP, up.get(0).getState(), up.get(0).toString());
            assertEquals(0, cloud.portals().stream().mapToLong(p -> p.requests().total()).sum(), "no portal called");
            assertEquals(0, cloud.oauthRequestCount(), "no token refreshed");
            assertFalse(up.get(0).getDetails().toString().contains(cloud.clientSecret()));

            HealthCheck.Result registryDown = readiness(cloud, cloud.oauthServerUrl(),
                    UnreadableRegistry.class.getName()).get(0);
            assertEquals(HealthCheck.State.DOWN, registryDown.getState());
            assertEquals("REGISTRY_UNREADABLE", registryDown.getDetails().get("reason"));

            // nothing listens on the OAuth server's address any more
            String oauthServerUrl = cloud.oauthServerUrl();
            cloud.close();
            closed = true;
            HealthCheck.Result oauthDown = readiness(cloud, oauthServerUrl, null).get(0);
            assertEquals(HealthCheck.State.DOWN, oauthDown.getState());
            assertEquals("OAUTH_SERVER_UNREACHABLE", oauthDown.getDetails().get("reason"));
            assertFalse(oauthDown.toString().contains(cloud.clientSecret()));
        } finally {
            if (!closed) {
                cloud.close();
            }
        }
    }

    /** A registry whose store does not answer. */
    public static final class UnreadableRegistry implements Bitrix24PortalRegistry {
        @Override
        public Bitrix24Installation find(String memberId) {
            throw new IllegalStateException("the store does not answer");
        }

        @Override
        public void save(Bitrix24Installation installation) {
            throw new IllegalStateException("the store does not answer");
        }

        @Override
        public void remove(String memberId) {
            throw new IllegalStateException("the store does not answer");
        }
    }
}
