package io.camelbitrix24.crm;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.internal.auth.OAuthSession;
import io.camelbitrix24.crm.internal.call.Urls;
import io.camelbitrix24.crm.internal.health.PortalsHealthCheck;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.internal.portal.PortalWay;
import io.camelbitrix24.crm.internal.portal.Portals;
import io.camelbitrix24.crm.internal.portal.RegistryTokens;
import io.camelbitrix24.crm.internal.send.CallRunner;
import io.camelbitrix24.crm.internal.send.Client;
import io.camelbitrix24.crm.internal.send.Coalescer;
import io.camelbitrix24.crm.internal.send.Pacing;
import io.camelbitrix24.crm.internal.send.PortalActivity;
import io.camelbitrix24.crm.internal.send.RetryPolicy;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24LimiterKey;
import io.camelbitrix24.crm.spi.Bitrix24LocalLimiter;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many portals with one application's credentials: the installations in the portal registry, read on the component's
 * registry threads and never on a route's; a way to each made when a call first names it (its own session, bucket
 * keyed by member_id, client, coalescer and runner), the sweep that releases the idle ones, the re-read of the portals
 * with calls in flight, and one health check for all portals.
 */
final class Bitrix24ManyPortalWiring implements Bitrix24Wiring {

    private static final Logger LOG = LoggerFactory.getLogger(Bitrix24ManyPortalWiring.class);

    private final Bitrix24WiringContext context;
    private final Bitrix24CrmConfiguration config;
    private final Bitrix24SharedResources shared;
    private final HttpTransport transport;
    private final RetryPolicy retryPolicy;
    private final Bitrix24PortalRegistry registry;
    private final Portals portals;
    private final ScheduledFuture<?> idleSweep;
    private final ScheduledFuture<?> busyRefresh;

    Bitrix24ManyPortalWiring(Bitrix24WiringContext context) {
        this.context = context;
        this.config = context.config();
        this.shared = context.shared();
        this.transport = context.transport();
        this.retryPolicy = context.retryPolicy();
        this.registry = config.getPortalRegistry() != null ? config.getPortalRegistry() : shared.defaultPortalRegistry();
        this.portals = new Portals(registry, this::wayOf, shared.registryExecutor());
        shared.installations().addPortals(portals);
        // the client id is no secret, but Camel masks every option so named in its own summaries
        LOG.info("{} serves many portals as application {} (OAuth server {}), installations in {}",
                context.endpointUri(), config.getClientId(), config.getOauthServerUrl(),
                registry.getClass().getName());
        long idleMillis = config.getPortalIdleTimeout();
        // often enough that a portal goes at most a quarter of the timeout late; never more than once per 50 ms
        long every = Math.max(50, Math.min(idleMillis / 4, 10_000));
        Portals kept = portals;
        this.idleSweep = shared.scheduler().scheduleWithFixedDelay(() -> {
            kept.releaseIdle(TimeUnit.MILLISECONDS.toNanos(idleMillis));
            transport.closeIdle(idleMillis);
        }, every, every, TimeUnit.MILLISECONDS);
        // the calls waiting for their turn stop once their installation is found gone, though no new call comes
        long busyEvery = Portals.REFRESH_AFTER_MILLIS / 5;
        this.busyRefresh = shared.scheduler().scheduleWithFixedDelay(kept::refreshBusy, busyEvery, busyEvery,
                TimeUnit.MILLISECONDS);
        if (context.healthChecks()) {
            // one check for all portals: the registry and the OAuth server, not one per tenant
            shared.registerHealthCheck("portals " + config.getOauthServerUrl(),
                    () -> new PortalsHealthCheck(registry, transport, config.getOauthServerUrl(),
                            context.callDeadlineMillis(), System::currentTimeMillis));
        }
    }

    /**
     * The calls' way to one installation, its tokens in the registry, its bucket keyed by its member_id and the
     * application (the user's limiter, when set, gets the same key).
     */
    private PortalWay wayOf(Bitrix24Installation installation) {
        String rest = Urls.withSlash(installation.getClientEndpoint());
        Urls.requireSecure("the installation's client_endpoint", rest, config.isAllowInsecureHttp());
        String memberId = installation.getMemberId();
        Bitrix24LimiterKey key = new Bitrix24LimiterKey("member:" + memberId, "app:" + config.getClientId());
        // the portal's plan limits where the registry knows them
        int burst = installation.getRateLimitBurst() != null ? installation.getRateLimitBurst()
                : config.getRateLimitBurst();
        double perSecond = installation.getRateLimitPerSecond() != null ? installation.getRateLimitPerSecond()
                : config.getRateLimitPerSecond();
        Bitrix24LocalLimiter own = config.getRateLimiter() != null ? null
                : shared.installations().acquireLimiter(key.portal(), burst, perSecond, shared.scheduler());
        Bitrix24Limiter limiter = own != null ? own : config.getRateLimiter();
        OAuthSession session = shared.installations().acquireSession(transport, registry, config.getClientId(),
                memberId, installation.getApplicationToken(), () -> new OAuthSession(transport,
                        context.mapper(), config.getOauthServerUrl(), config.getClientId(),
                        config.getClientSecret(),
                        RegistryTokens.of(registry, memberId,
                                url -> Urls.isPortalRestAddress(url, config.isAllowInsecureHttp()), installation),
                        installation.getTokens(),
                        (refused, refusal) -> {
                            Bitrix24Installation marked = RegistryTokens.markRefused(registry, memberId, refused, refusal);
                            if (marked != null) {
                                // this JVM's calls fail at once from now, every endpoint's
                                shared.installations().learned(registry, memberId, marked);
                            }
                        }));
        PortalActivity activity = shared.activities().acquire(memberId + " (" + Urls.portalName(rest) + ")", limiter,
                key);
        Client portalClient = new Client(transport, context.mapper(), rest, session,
                new Pacing(limiter, key, System::currentTimeMillis), activity);
        Coalescer portalCoalescer = config.isCoalesce()
                ? new Coalescer(portalClient, context.requestBuilder(), config.getBatchSize(), shared.scheduler(),
                        Urls.portalAddress(rest))
                : null;
        CallRunner portalRunner = new CallRunner(portalClient, portalCoalescer, retryPolicy,
                context.requestBuilder(), shared.scheduler());
        return new PortalWay(portalRunner, activity,
                () -> (own == null || own.isDrained()) && !session.isRefreshing(),
                () -> {
                    shared.installations().release(transport, registry, config.getClientId(), memberId, session,
                            key.portal(), own);
                    shared.activities().release(activity);
                },
                session::revoke);
    }

    @Override
    public CompletableFuture<CallRunner> runnerFor(String portal, String method) {
        return portals.runnerFor(portal, method);
    }

    @Override
    public void prepare() {
        // many portals: none to prepare before a call names one
    }

    @Override
    public void stop() {
        idleSweep.cancel(false);
        busyRefresh.cancel(false);
        shared.installations().removePortals(portals);
        portals.releaseAll();
    }

    @Override
    public Bitrix24PortalRegistry registry() {
        return registry;
    }

    @Override
    public int portalsKept() {
        return portals.waysKept().size();
    }

    @Override
    public List<PortalActivity> activities() {
        return portals.waysKept().stream().map(PortalWay::activity).toList();
    }
}
