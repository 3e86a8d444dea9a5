package io.camelbitrix24.crm.internal.portal;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.camelbitrix24.crm.internal.auth.InstallationTokenStore;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An installation's tokens in the portal registry: what its OAuth session reads and saves, and a final refusal. */
public final class RegistryTokens {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryTokens.class);

    private RegistryTokens() {
    }

    /**
     * An installation's tokens, as the OAuth session reads and saves them: in the registry. The first read of the
     * installation answers {@code first}, the copy its way is made from (read from the registry off the caller's
     * thread, or learned from an event): making a way reads nothing. Later reads (another instance may have renewed the
     * pair) go to the registry.
     */
    public static InstallationTokenStore of(Bitrix24PortalRegistry registry, String memberId,
                                                      Predicate<String> accepts, Bitrix24Installation first) {
        AtomicReference<Bitrix24Installation> unread = new AtomicReference<>(first);
        return new InstallationTokenStore() {
            @Override
            public Bitrix24Tokens load() {
                Bitrix24Installation installation = installation();
                return installation == null ? null : installation.getTokens();
            }

            @Override
            public void save(Bitrix24Tokens tokens) {
                Bitrix24Installation installation = registry.find(memberId);
                if (installation != null) {
                    registry.save(installation.withTokens(tokens));
                }
            }

            @Override
            public String memberId() {
                return memberId;
            }

            @Override
            public Bitrix24Installation installation() {
                Bitrix24Installation given = unread.getAndSet(null);
                return given != null ? given : registry.find(memberId);
            }

            @Override
            public boolean accepts(String clientEndpoint) {
                return clientEndpoint != null && accepts.test(clientEndpoint);
            }

            @Override
            public void save(Bitrix24Tokens tokens, String clientEndpoint) {
                Bitrix24Installation installation = registry.find(memberId);
                if (installation != null) {
                    registry.save(installation.movedTo(clientEndpoint, tokens));
                }
            }

            @Override
            public CompletableFuture<Bitrix24Tokens> refreshOnce(String spentRefreshToken,
                                                                 Supplier<CompletableFuture<Bitrix24Tokens>> refresh) {
                return registry.refreshOnce(memberId, spentRefreshToken, refresh);
            }
        };
    }

    /**
     * The OAuth server refused the installation's refresh token for good ({@code invalid_grant}, {@code invalid_client},
     * {@code PAYMENT_REQUIRED}): later calls fail at once. Unless the registry holds another pair by now (renewed
     * elsewhere): then the refusal was of a spent token, not of the installation. Answers the installation as marked
     * refused, null when it was not.
     */
    public static Bitrix24Installation markRefused(Bitrix24PortalRegistry registry, String memberId,
                                                   String refusedRefreshToken, Failure refusal) {
        Bitrix24Installation installation = registry.find(memberId);
        if (installation != null && Objects.equals(installation.getTokens().getRefreshToken(), refusedRefreshToken)) {
            String reason = refusal.getErrorCode() != null ? refusal.getErrorCode() : "refresh refused";
            LOG.warn("Bitrix24 refused the application on portal {} ({}): its calls fail until it is installed again",
                    memberId, reason);
            Bitrix24Installation refused = installation.refused(reason);
            registry.save(refused);
            return refused;
        }
        return null;
    }
}
