package io.camelbitrix24.crm;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.camelbitrix24.crm.spi.Bitrix24TokenStore;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import io.camelbitrix24.emulator.AccessControl;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Two instances sharing one token store: when one has refreshed, the other, still holding the spent pair, reads the
 * store before it would refresh and uses the pair it finds there, so Bitrix24 never sees a refresh token twice.
 */
class Bitrix24SharedTokenStoreTest {

    /** A store two instances share, as a database or Redis would be. */
    private static final class SharedStore implements Bitrix24TokenStore {
        private final AtomicReference<Bitrix24Tokens> tokens = new AtomicReference<>();

        @Override
        public Bitrix24Tokens load() {
            return tokens.get();
        }

        @Override
        public void save(Bitrix24Tokens saved) {
            tokens.set(saved);
        }
    }

    private static Bitrix24CrmComponent instance(Bitrix24Emulator portal, AccessControl.TokenPair issued,
                                                 Bitrix24TokenStore store) {
        Bitrix24CrmComponent component = new Bitrix24CrmComponent();
        Bitrix24CrmConfiguration config = component.getConfiguration();
        config.setPortalUrl(portal.portalUrl());
        config.setAccessToken(issued.accessToken());
        config.setRefreshToken(issued.refreshToken());
        config.setClientId("shared.app");
        config.setClientSecret("sh4redS3cret");
        config.setOauthServerUrl(portal.oauthServerUrl());
        config.setTokenStore(store);
        config.setAllowInsecureHttp(true);
        return component;
    }

    @Test
    void anInstanceHoldingASpentPairUsesThePairAnotherSavedInsteadOfRefreshing() throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().oauthApplication("shared.app", "sh4redS3cret")
                .seedLeads(4).start()) {
            AccessControl.TokenPair issued = portal.access().issueTokens(1);
            SharedStore store = new SharedStore();
            Map<String, String> routes = Map.of("direct:delete", "bitrix24-crm:lead/delete");
            try (EmulatorContext first = EmulatorContext.start(instance(portal, issued, store), routes);
                 EmulatorContext second = EmulatorContext.start(instance(portal, issued, store), routes)) {
                assertNull(first.delete(1).getException());
                assertNull(second.delete(2).getException(), "both instances hold the first pair");

                portal.access().expireAllAccessTokens();
                assertNull(first.delete(3).getException());
                assertEquals(1, portal.access().refreshesGranted(), "the first refreshed and saved the new pair");

                assertNull(second.delete(4).getException());
                assertEquals(1, portal.access().refreshesGranted(), "the second used the saved pair");
                assertEquals(0, portal.access().refreshesRefused(), "no refresh token offered twice");
                assertEquals(0, portal.data().leadCount());
            }
        }
    }
}
