package io.camelbitrix24.crm;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.camelbitrix24.crm.internal.call.Urls;
import io.camelbitrix24.crm.internal.health.PortalHealthCheck;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.internal.input.PortalHeader;
import io.camelbitrix24.crm.internal.send.CallRunner;
import io.camelbitrix24.crm.internal.send.Client;
import io.camelbitrix24.crm.internal.send.Coalescer;
import io.camelbitrix24.crm.internal.send.PortalActivity;
import io.camelbitrix24.crm.spi.Bitrix24Limiter;

/**
 * One portal with its own credentials (a webhook, or an OAuth application on one portal): the client, the limiter
 * (the user's, else the component's for the portal), the coalescer shared by the endpoints that may share calls, and
 * the portal's health check.
 */
final class Bitrix24SinglePortalWiring implements Bitrix24Wiring {

    private final Bitrix24SharedResources shared;
    private final HttpTransport transport;
    private final String portal;
    private final Client client;
    private final Coalescer coalescer;
    private final CallRunner runner;
    private final CompletableFuture<CallRunner> known;
    private final PortalActivity activity;

    /** {@code portal}: the portal's address, {@code scheme://host:port}. */
    Bitrix24SinglePortalWiring(Bitrix24WiringContext context, Bitrix24AuthMode mode, String portal) {
        Bitrix24CrmConfiguration config = context.config();
        this.shared = context.shared();
        this.transport = context.transport();
        this.portal = portal;
        Bitrix24Limiter limiter = config.getRateLimiter() != null ? config.getRateLimiter()
                : shared.limiter(portal, config.getRateLimitBurst(), config.getRateLimitPerSecond());
        this.activity = shared.activities().acquire(Urls.portalName(portal), limiter,
                Bitrix24Credentials.limiterKey(config, mode));
        this.client = Bitrix24Credentials.createClient(config, mode, transport, context.mapper(), limiter, activity);
        Client first = client;
        this.coalescer = !config.isCoalesce() ? null
                : shared.acquireCoalescer(new Bitrix24SharedResources.CoalescingKey(transport, limiter,
                        Bitrix24Credentials.coalescingIdentity(config, mode, context.owner()), config.getBatchSize()),
                        () -> new Coalescer(first, context.requestBuilder(), config.getBatchSize(), shared.scheduler(),
                                portal));
        this.runner = new CallRunner(client, coalescer, context.retryPolicy(), context.requestBuilder(), shared.scheduler());
        this.known = CompletableFuture.completedFuture(runner);
        if (context.healthChecks()) {
            shared.registerHealthCheck(portal, () -> new PortalHealthCheck(portal, first, context.mapper(),
                    context.callDeadlineMillis(), System::currentTimeMillis));
        }
    }

    @Override
    public CompletableFuture<CallRunner> runnerFor(String portalHeader, String method) {
        PortalHeader.requireAbsent(portalHeader, method);
        return known;
    }

    @Override
    public void prepare() {
        shared.prepareOnce(transport, portal, client::prepare);
    }

    @Override
    public void stop() {
        if (coalescer != null) {
            shared.releaseCoalescer(coalescer);
        }
        shared.activities().release(activity);
    }

    @Override
    public List<PortalActivity> activities() {
        return List.of(activity);
    }
}
