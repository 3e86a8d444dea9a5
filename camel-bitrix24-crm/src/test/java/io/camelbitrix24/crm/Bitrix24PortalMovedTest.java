package io.camelbitrix24.crm;

import java.util.Map;

import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.emulator.Answer;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A portal whose address changed: its old address answers a redirect (as Bitrix24's does), which is never followed
 * with a token; the new address is learned from the OAuth server's refresh answer, saved in the registry, and the
 * call goes there.
 */
class Bitrix24PortalMovedTest {

    private static Exchange delete(EmulatorContext context, Bitrix24Emulator portal, int id) {
        return context.camel().createProducerTemplate().request("direct:delete", e -> {
            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal.memberId());
            e.getMessage().setBody(id);
        });
    }

    @Test
    void aMovedPortalIsFoundWhereTheOAuthServerSaysItIsNeverWhereTheRedirectPoints() throws Exception {
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(2).start()) {
            Bitrix24PortalRegistry registry = CloudInstallations.installedOn(cloud);
            Bitrix24Emulator moving = cloud.portal(0);
            Bitrix24Emulator other = cloud.portal(1);
            for (int i = 0; i < 3; i++) {
                moving.data().addLead("Lead " + i, "NEW");
                other.data().addLead("Lead " + i, "NEW");
            }
            try (EmulatorContext context = EmulatorContext.start(CloudInstallations.component(cloud, registry),
                    Map.of("direct:delete", "bitrix24-crm:lead/delete"))) {
                assertNull(delete(context, moving, 1).getException());
                String oldAddress = moving.restUrl();

                moving.moveTo("127.0.2.1");
                assertNull(delete(context, moving, 2).getException(), "deleted at the portal's new address");
                assertFalse(moving.data().hasLead(2));
                assertEquals(moving.restUrl(), registry.find(moving.memberId()).getClientEndpoint(),
                        "the registry holds the new address");
                assertTrue(!oldAddress.equals(moving.restUrl()));
                assertEquals(1, moving.access().refreshesGranted(), "one refresh told the new address");

                // later calls go to the new address at once
                assertNull(delete(context, moving, 3).getException());
                assertEquals(1, moving.access().refreshesGranted());
                assertEquals(0, moving.data().leadCount());
                assertEquals(3, other.data().leadCount(), "the other portal untouched");
                assertEquals(0, other.access().refreshesGranted());
            }
        }
    }

    @Test
    void aRedirectWhereTheOAuthServerNamesTheSameAddressFailsFinalAndIsNotFollowed() throws Exception {
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(1).start()) {
            Bitrix24PortalRegistry registry = CloudInstallations.installedOn(cloud);
            Bitrix24Emulator portal = cloud.portal(0);
            portal.data().addLead("Lead", "NEW");
            try (EmulatorContext context = EmulatorContext.start(CloudInstallations.component(cloud, registry),
                    Map.of("direct:delete", "bitrix24-crm:lead/delete"))) {
                portal.script(new Answer(302, "text/html", new byte[0]));
                Exchange failed = delete(context, portal, 1);
                Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, failed.getException());
                assertEquals(302, e.getStatusCode());
                assertFalse(e.isRetryable());
                assertFalse(e.isOutcomeUnknown(), "a redirect ran nothing");
                assertTrue(e.getMessage().contains("not followed"), e.getMessage());
                assertEquals(1, portal.access().refreshesGranted(), "one refresh asked where the portal is");
                assertTrue(portal.data().hasLead(1));
            }
        }
    }

    @Test
    void aRedirectToAWebhookCallIsFinalAndSentOnce() throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().seedLeads(1).start();
             EmulatorContext context = EmulatorContext.deletingLeads(portal, config -> { })) {
            portal.script(new Answer(301, "text/html", new byte[0]));
            Exchange failed = context.delete(1);
            Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, failed.getException());
            assertEquals(301, e.getStatusCode());
            assertFalse(e.isRetryable());
            assertEquals(1, portal.requests().total(), "not retried");
            assertTrue(portal.data().hasLead(1));
        }
    }
}
