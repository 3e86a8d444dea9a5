package io.camelbitrix24.crm.springboot;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.camelbitrix24.crm.spi.Bitrix24TokenStore;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import io.camelbitrix24.emulator.AccessControl;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * OAuth in Spring Boot: the one {@link Bitrix24TokenStore} bean of the application context is the component's token
 * store without any property naming it, and receives the refreshed pair.
 */
@SpringBootTest(classes = { DeletingApplication.class, Bitrix24CrmTokenStoreTest.TokenStoreBean.class }, properties = {
        "test.delete=contact/delete",
        "camel.component.bitrix24-crm.webhook-url=", "camel.component.bitrix24-crm.client-id=app",
        "camel.component.bitrix24-crm.allow-insecure-http=true" })
class Bitrix24CrmTokenStoreTest {

    private static final Bitrix24Emulator PORTAL = Bitrix24Emulator.builder().oauthApplication("app", "t0kenSt0reSecret")
            .start();
    private static final AccessControl.TokenPair TOKENS = PORTAL.access().issueTokens(1);

    /** The application's own store: here it keeps what it is given, in a real one a database or a secret. */
    static final class RecordingTokenStore implements Bitrix24TokenStore {
        final List<Bitrix24Tokens> saved = new CopyOnWriteArrayList<>();

        @Override
        public Bitrix24Tokens load() {
            return saved.isEmpty() ? null : saved.get(saved.size() - 1);
        }

        @Override
        public void save(Bitrix24Tokens tokens) {
            saved.add(tokens);
        }
    }

    /** The application's beans beside {@link DeletingApplication}: its token store. */
    @Configuration
    static class TokenStoreBean {
        @Bean
        RecordingTokenStore tokenStore() {
            return new RecordingTokenStore();
        }
    }

    @DynamicPropertySource
    static void oauth(DynamicPropertyRegistry registry) {
        registry.add("camel.component.bitrix24-crm.portal-url", PORTAL::portalUrl);
        registry.add("camel.component.bitrix24-crm.oauth-server-url", PORTAL::oauthServerUrl);
        registry.add("camel.component.bitrix24-crm.access-token", TOKENS::accessToken);
        registry.add("camel.component.bitrix24-crm.refresh-token", TOKENS::refreshToken);
        registry.add("camel.component.bitrix24-crm.client-secret", () -> "t0kenSt0reSecret");
    }

    @AfterAll
    static void stopPortal() {
        PORTAL.close();
    }

    @Autowired
    private ProducerTemplate template;
    @Autowired
    private RecordingTokenStore store;

    @Test
    void theContextsTokenStoreBeanReceivesTheRefreshedPair() {
        int contact = PORTAL.data().addContact("C");
        PORTAL.access().expireAllAccessTokens();
        Exchange out = template.request("direct:delete", e -> e.getMessage().setBody(contact));
        assertNull(out.getException());
        assertFalse(PORTAL.data().hasContact(contact));
        assertEquals(1, PORTAL.oauthRequestCount());
        assertEquals(1, store.saved.size(), "the refreshed pair was saved to the application's bean");
        assertFalse(store.saved.get(0).getRefreshToken().equals(TOKENS.refreshToken()), "the new refresh token");
    }
}
