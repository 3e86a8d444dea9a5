package io.camelbitrix24.crm.internal.auth;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.Urls;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24TokenStore;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth token pair of one endpoint, and its refresh. Calls that fail with {@code expired_token} at the same time share
 * one refresh: the first starts it, the others wait for it. The new pair is saved to the token store before the new
 * access token is used, since the old refresh token is spent.
 */
public final class OAuthSession {

    /** How an installation ended that an uninstall event this JVM handled removed. */
    public static final String UNINSTALLED = "uninstalled from the portal";

    private static final Logger LOG = LoggerFactory.getLogger(OAuthSession.class);
    /** After a refusal, when the store is read again: time for another instance to save the pair it was answered. */
    private static final long REFUSAL_REREAD_MILLIS = 1000;

    private final OAuthServer server;
    private final Bitrix24TokenStore tokenStore;
    // told of a final refusal with the refresh token it refused; null when no one needs to know
    private final BiConsumer<String, Failure> onRefusal;
    // the pair in use: one immutable value, so a reader never pairs a token with another's lifetime
    private volatile Issued current;
    // an installation's: its portal's REST address, as stored and as refresh answers name it
    private volatile String clientEndpoint;
    private volatile boolean uninstalled;
    // how the installation ended, set before uninstalled: what the calls refused after it are told
    private volatile String revokedAs;
    private final Set<Runnable> waitingCalls = ConcurrentHashMap.newKeySet();
    // told of each refresh this session made: granted, or refused for good
    private volatile Consumer<Boolean> onRefreshed = granted -> { };
    private CompletableFuture<Bitrix24Tokens> refreshing;
    /** The refresh token the OAuth server refused, and how: it is not offered again (the refusal is final). */
    private String refusedRefreshToken;
    private Failure refusal;

    public OAuthSession(HttpTransport transport, ObjectMapper mapper, String oauthServerUrl, String clientId,
                         String clientSecret, Bitrix24TokenStore tokenStore, Bitrix24Tokens configured) {
        this(transport, mapper, oauthServerUrl, clientId, clientSecret, tokenStore, configured, null);
    }

    /** {@code onRefusal}: told when the OAuth server refuses a refresh for good, with the refresh token it refused. */
    public OAuthSession(HttpTransport transport, ObjectMapper mapper, String oauthServerUrl, String clientId,
                         String clientSecret, Bitrix24TokenStore tokenStore, Bitrix24Tokens configured,
                         BiConsumer<String, Failure> onRefusal) {
        this.onRefusal = onRefusal;
        this.server = new OAuthServer(transport, mapper, oauthServerUrl, clientId, clientSecret);
        this.tokenStore = tokenStore;
        Stored stored = readStore();
        this.current = new Issued(stored != null ? stored.tokens() : configured);
        this.clientEndpoint = stored != null ? stored.clientEndpoint() : null;
    }

    public String accessToken() {
        return current.tokens().getAccessToken();
    }

    /**
     * True unless {@code refusedToken} is the current token and is too young to have expired: a portal that refuses a
     * token within the first half of the lifetime it was issued with refuses every new one, and refreshing again would
     * loop. A token that aged past its lifetime (waiting in a long queue, say) may be refreshed again.
     */
    public boolean mayHaveExpired(String refusedToken) {
        Issued issued = current;
        if (!Objects.equals(issued.tokens().getAccessToken(), refusedToken) || issued.lifetimeMillis() == 0) {
            return true;
        }
        return System.currentTimeMillis() - issued.receivedAtMillis() >= issued.lifetimeMillis() / 2;
    }

    /**
     * The installation is over ({@code as}: how, e.g. {@code uninstalled from the portal}): the calls still waiting
     * to leave are refused now.
     */
    public void revoke(String as) {
        revokedAs = as;
        uninstalled = true;
        waitingCalls.forEach(Runnable::run);
    }

    public boolean isUninstalled() {
        return uninstalled;
    }

    /** How the installation ended, for the calls refused after it. */
    public String revokedAs() {
        return revokedAs;
    }

    /**
     * A call waits for its turn: {@code refuse} runs if the application is uninstalled meanwhile (at once if it is
     * already). Answers what the call runs once its wait is over, so only waiting calls are held.
     */
    public Runnable whileWaiting(Runnable refuse) {
        waitingCalls.add(refuse);
        if (uninstalled) {
            refuse.run();
        }
        return () -> waitingCalls.remove(refuse);
    }

    /** A refresh is under way: its answer is still to be saved. */
    public synchronized boolean isRefreshing() {
        return refreshing != null;
    }

    /** Tells {@code listener} of each refresh this session makes: true granted, false refused for good. */
    public void onRefreshed(Consumer<Boolean> listener) {
        this.onRefreshed = listener;
    }

    public boolean canRefresh() {
        return current.tokens().getRefreshToken() != null && server.hasCredentials();
    }

    /**
     * A fresh access token after {@code staleAccessToken} was refused as expired: the current one if another call has
     * refreshed meanwhile, the refresh under way if there is one, or a new refresh.
     */
    public CompletableFuture<Bitrix24Tokens> refreshAfter(String staleAccessToken, String method) {
        CompletableFuture<Bitrix24Tokens> refresh;
        synchronized (this) {
            if (!Objects.equals(current.tokens().getAccessToken(), staleAccessToken)) {
                return CompletableFuture.completedFuture(current.tokens());
            }
            if (refreshing != null) {
                return refreshing;
            }
            // renewed elsewhere since this session read the store (another instance sharing it): nothing to spend
            Bitrix24Tokens stored = renewedSince(current.tokens().getRefreshToken());
            if (stored != null) {
                current = new Issued(stored);
                return CompletableFuture.completedFuture(stored);
            }
            if (refusal != null && Objects.equals(current.tokens().getRefreshToken(), refusedRefreshToken)) {
                return CompletableFuture.failedFuture(refusal);
            }
            refresh = new CompletableFuture<>();
            refreshing = refresh;
        }
        LOG.debug("Access token expired on {}; refreshing it", method);
        String refreshTokenUsed = current.tokens().getRefreshToken();
        // what this instance's own refresh answered; null when another instance sharing the store refreshed
        AtomicReference<Issued> ownRefresh = new AtomicReference<>();
        CompletableFuture<Bitrix24Tokens> refreshed;
        try {
            refreshed = tokenStore.refreshOnce(refreshTokenUsed, () -> server.refresh(refreshTokenUsed, method)
                    .thenApply(issued -> {
                        // the old refresh token is spent: persist the new pair before anything uses it
                        save(issued);
                        ownRefresh.set(issued);
                        return issued.tokens();
                    }));
        } catch (RuntimeException e) {
            refreshed = CompletableFuture.failedFuture(e);
        }
        refreshed.handle((tokens, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(tokens);
            }
            if (RefreshFailures.finalRefusal(error) == null) {
                return CompletableFuture.<Bitrix24Tokens>failedFuture(Futures.unwrap(error));
            }
            // refused as spent: another instance sharing the store may have renewed the pair, and may still be
            // saving it: read the store now, and once more a moment later, before taking the refusal as final
            Bitrix24Tokens stored = renewedSince(refreshTokenUsed);
            if (stored != null) {
                return CompletableFuture.completedFuture(stored);
            }
            return CompletableFuture.supplyAsync(() -> {
                Bitrix24Tokens later = renewedSince(refreshTokenUsed);
                if (later == null) {
                    throw new CompletionException(Futures.unwrap(error));
                }
                return later;
            }, CompletableFuture.delayedExecutor(REFUSAL_REREAD_MILLIS, TimeUnit.MILLISECONDS));
        }).thenCompose(next -> next).whenComplete((tokens, error) -> {
            if (error == null) {
                Issued own = ownRefresh.get();
                current = own != null && own.tokens().equals(tokens) ? own : new Issued(tokens);
            }
            Failure finalRefusal = error == null ? null : RefreshFailures.finalRefusal(error);
            synchronized (this) {
                refreshing = null;
                if (finalRefusal != null) {
                    refusedRefreshToken = refreshTokenUsed;
                    refusal = finalRefusal;
                }
            }
            if (onRefusal != null && finalRefusal != null) {
                onRefusal.accept(refreshTokenUsed, finalRefusal);
            }
            if (error == null || finalRefusal != null) {
                onRefreshed.accept(error == null);
            }
            if (error == null) {
                refresh.complete(tokens);
            } else {
                refresh.completeExceptionally(RefreshFailures.of(error, method));
            }
        });
        return refresh;
    }

    /**
     * Saves a new pair; with an installation's store, with the portal's REST address the answer names when it is this
     * installation's and has changed (the portal's address changed: its old one only redirects).
     */
    private void save(Issued issued) {
        if (tokenStore instanceof InstallationTokenStore installation
            && Objects.equals(issued.memberId(), installation.memberId())
            && !Objects.equals(issued.clientEndpoint(), clientEndpoint)
            && installation.accepts(issued.clientEndpoint())) {
            installation.save(issued.tokens(), issued.clientEndpoint());
            LOG.info("Portal {} is now at {}, as the OAuth server answers: its calls go there", installation.memberId(),
                    Urls.portalAddress(issued.clientEndpoint()));
            clientEndpoint = issued.clientEndpoint();
        } else {
            tokenStore.save(issued.tokens());
        }
    }

    /**
     * The pair in the store, and for an installation the portal's address stored with it (null when it may not be
     * called): one read.
     */
    private record Stored(Bitrix24Tokens tokens, String clientEndpoint) {
    }

    private Stored readStore() {
        if (tokenStore instanceof InstallationTokenStore store) {
            Bitrix24Installation installation = store.installation();
            return installation == null ? null : new Stored(installation.getTokens(),
                    store.accepts(installation.getClientEndpoint()) ? installation.getClientEndpoint() : null);
        }
        Bitrix24Tokens tokens = tokenStore.load();
        return tokens == null ? null : new Stored(tokens, null);
    }

    /** The pair in the store when its refresh token is no longer {@code spent}: renewed elsewhere; else null. */
    private Bitrix24Tokens renewedSince(String spent) {
        Stored stored = readStore();
        if (stored != null && stored.tokens().getRefreshToken() != null
            && !Objects.equals(stored.tokens().getRefreshToken(), spent)) {
            LOG.debug("The token store holds a pair renewed elsewhere: using it");
            if (stored.clientEndpoint() != null) {
                // and the address that came with it
                clientEndpoint = stored.clientEndpoint();
            }
            return stored.tokens();
        }
        return null;
    }

    /** Whether the session is an installation's (many-portal mode), whose application may be uninstalled. */
    public boolean isInstallation() {
        return tokenStore instanceof InstallationTokenStore;
    }

    /**
     * The portal's REST address as the OAuth server last named it, for an installation's session (null otherwise:
     * the configured one stands).
     */
    public String clientEndpoint() {
        return clientEndpoint;
    }

}
