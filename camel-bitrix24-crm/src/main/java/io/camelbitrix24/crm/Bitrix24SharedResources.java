package io.camelbitrix24.crm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Supplier;

import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.TransportFailures;
import io.camelbitrix24.crm.internal.http.HttpProxy;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.internal.portal.InMemoryPortalRegistry;
import io.camelbitrix24.crm.internal.portal.SharedInstallations;
import io.camelbitrix24.crm.internal.send.Coalescer;
import io.camelbitrix24.crm.internal.send.PortalActivities;
import io.camelbitrix24.crm.internal.send.UseCounted;
import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24LocalLimiter;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the endpoints of one component share: one connection pool per distinct transport setting, one rate limiter per
 * portal, one scheduler (limiter waits, retry pauses) and one pool that completes exchanges off the HTTP I/O thread.
 * A Camel service of the component's: started with it, and stopping it closes all (threads made on first use).
 * Transports are counted by the endpoints using them and closed with the last one.
 */
final class Bitrix24SharedResources extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Bitrix24SharedResources.class);
    /** Threads that read and write portal registries. */
    private static final int REGISTRY_THREADS = 4;

    /** The settings that make two transports different; TLS parameters by identity. */
    record TransportKey(SSLContextParameters ssl, int connectTimeout, int responseTimeout, int maxResponseSize,
                        String userAgent, int maxConnections, int maxTotalConnections, HttpProxy proxy) {

        static TransportKey of(Bitrix24CrmConfiguration config, SSLContextParameters ssl, HttpProxy proxy) {
            return new TransportKey(ssl, config.getConnectTimeout(), config.getResponseTimeout(),
                    config.getMaxResponseSize(), config.getUserAgent(), config.getMaxConnections(),
                    config.getMaxTotalConnections(), proxy);
        }
    }

    /**
     * What calls must share to leave together: the transport, the limiter, the credential (a webhook URL; for OAuth,
     * the portal, application and token store) and the batch size. Its text never shows the credential.
     */
    record CoalescingKey(HttpTransport transport, Bitrix24Limiter limiter, Object credential, int batchSize) {

        @Override
        public String toString() {
            return "CoalescingKey[batchSize=" + batchSize + "]";
        }
    }

    private final CamelContext context;
    private final Object owner;
    private final UseCounted<TransportKey, HttpTransport> transports = new UseCounted<>();
    private final UseCounted<CoalescingKey, Coalescer> coalescers = new UseCounted<>();
    private final PortalActivities activities = new PortalActivities();
    private final Map<String, Bitrix24LocalLimiter> limiters = new ConcurrentHashMap<>();
    private final Map<String, HealthCheck> healthChecks = new HashMap<>();
    // (transport, portal) pairs whose way was prepared since the component started
    private final Set<List<Object>> prepared = ConcurrentHashMap.newKeySet();
    // guarded by this
    private Bitrix24PortalRegistry portalRegistry;
    // many-portal mode, counted by the runners using them: by transport, registry, application and member_id, the
    // session of the installation's current application_token; by member_id and application, the bucket
    // many-portal mode: the installations each started endpoint holds, told of the events this JVM handles
    private final SharedInstallations installations = new SharedInstallations();
    private ScheduledExecutorService scheduler;
    private ExecutorService completionPool;
    private Executor completionExecutor;
    private ExecutorService registryPool;

    Bitrix24SharedResources(CamelContext context, Object owner) {
        this.context = context;
        this.owner = owner;
    }

    synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            // unbounded: every call waiting for its turn in the rate limiter is a scheduled task
            ThreadPoolProfile profile = new ThreadPoolProfileBuilder("Bitrix24CrmScheduler").poolSize(1).maxQueueSize(-1)
                    .build();
            scheduler = context.getExecutorServiceManager().newScheduledThreadPool(owner, "Bitrix24CrmScheduler", profile);
            if (scheduler instanceof ScheduledThreadPoolExecutor pool) {
                // a cancelled wait leaves the queue at once instead of at its due time
                pool.setRemoveOnCancelPolicy(true);
            }
        }
        return scheduler;
    }

    /** Runs exchange completions; if the pool is shut down, runs them on the calling thread rather than drop them. */
    synchronized Executor completionExecutor() {
        if (completionExecutor == null) {
            completionPool = context.getExecutorServiceManager().newDefaultThreadPool(owner, "Bitrix24CrmCompletion");
            ExecutorService pool = completionPool;
            completionExecutor = task -> {
                try {
                    pool.execute(task);
                } catch (RejectedExecutionException e) {
                    task.run();
                }
            };
        }
        return completionExecutor;
    }

    /**
     * Runs the reads and writes of portal registries (a network round-trip with Redis), never on a route's thread nor
     * on the scheduler whose turns they would delay. A few threads, as reads are brief and one per portal at a time; if
     * the pool is shut down, the task is refused (its future fails) rather than run on the calling thread.
     */
    synchronized Executor registryExecutor() {
        if (registryPool == null) {
            ThreadPoolProfile profile = new ThreadPoolProfileBuilder("Bitrix24CrmRegistry").poolSize(REGISTRY_THREADS)
                    .maxPoolSize(REGISTRY_THREADS).allowCoreThreadTimeOut(true)
                    // queued, not refused: one read per portal at a time bounds them (a size of 0 or less would be
                    // Camel's hand-off queue, which refuses a task when every thread is busy)
                    .maxQueueSize(Integer.MAX_VALUE)
                    .rejectedPolicy(ThreadPoolRejectedPolicy.Abort).build();
            registryPool = context.getExecutorServiceManager().newThreadPool(owner, "Bitrix24CrmRegistry", profile);
        }
        return registryPool;
    }

    HttpTransport acquireTransport(TransportKey key, UseCounted.Maker<HttpTransport> factory) throws Exception {
        return transports.acquireMade(key, factory);
    }

    void releaseTransport(HttpTransport transport) {
        if (transports.release(transport)) {
            transport.close();
            // a transport made again later prepares its way again, and a closed one is not held here
            prepared.removeIf(key -> key.get(0) == transport);
        }
    }

    /** The coalescer of the calls with this key; the first endpoint's {@code create} makes it. */
    Coalescer acquireCoalescer(CoalescingKey key, Supplier<Coalescer> create) {
        return coalescers.acquire(key, create);
    }

    void releaseCoalescer(Coalescer coalescer) {
        coalescers.release(coalescer);
    }

    /** Connections lent to calls, or calls waiting for one, over all transports. */
    int busyConnections() {
        int[] busy = {0};
        transports.forEach(key -> true, transport -> busy[0] += transport.busyConnections());
        return busy[0];
    }

    int openTransports() {
        return transports.size();
    }

    /**
     * Runs {@code prepare} once per transport and portal; its failure is logged once, at WARN, and goes no further.
     */
    void prepareOnce(HttpTransport transport, String portal, Supplier<CompletableFuture<Void>> prepare) {
        if (!prepared.add(List.of(transport, portal))) {
            return;
        }
        CompletableFuture<Void> done;
        try {
            done = prepare.get();
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        done.whenComplete((ok, error) -> {
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                String why = cause instanceof Failure e ? e.getMessage()
                        : TransportFailures.of("connect", "connecting", cause).getMessage();
                LOG.warn("Could not prepare a connection to {} ({}); the first call opens its own, and the portal's"
                         + " health check reports its state", portal, why);
            } else {
                LOG.debug("A connection to {} is ready for the first call", portal);
            }
        });
    }

    /**
     * The component's own portal registry, for endpoints that serve many portals and name none: in memory, so it says
     * once, at WARN, that installations are lost on a restart.
     */
    synchronized Bitrix24PortalRegistry defaultPortalRegistry() {
        if (portalRegistry == null) {
            LOG.warn("Serving many portals with installations kept in memory: they are lost on a restart, and Bitrix24"
                     + " posts ONAPPINSTALL once, never again, so every portal's calls then fail 'not installed' until"
                     + " the application is installed anew; nor are they shared with other instances. Set"
                     + " portalRegistry to a registry that keeps them (RedisBitrix24PortalRegistry, or your own)");
            portalRegistry = new InMemoryPortalRegistry();
        }
        return portalRegistry;
    }

    /** Many-portal mode: the installations' sessions and buckets, shared by the component's endpoints. */
    /** What the calls to each portal are doing: for the dev console, JMX and meters. */
    PortalActivities activities() {
        return activities;
    }

    SharedInstallations installations() {
        return installations;
    }

    /** The limiter of a portal ({@code scheme://host:port}); the first caller's settings make it. */
    Bitrix24LocalLimiter limiter(String portal, int burst, double perSecond) {
        return limiters.computeIfAbsent(portal, p -> new Bitrix24LocalLimiter(burst, perSecond, scheduler()));
    }

    /**
     * Registers the health check of a portal, once, with Camel's producer health checks when the context has them;
     * the first endpoint of the portal makes it.
     */
    synchronized void registerHealthCheck(String portal, Supplier<HealthCheck> check) {
        if (portal == null || healthChecks.containsKey(portal)) {
            return;
        }
        WritableHealthCheckRepository producers = HealthCheckHelper.getHealthCheckRepository(context, "producers",
                WritableHealthCheckRepository.class);
        if (producers != null) {
            HealthCheck created = check.get();
            producers.addHealthCheck(created);
            healthChecks.put(portal, created);
        }
    }

    @Override
    protected synchronized void doStop() {
        WritableHealthCheckRepository producers = healthChecks.isEmpty() ? null
                : HealthCheckHelper.getHealthCheckRepository(context, "producers", WritableHealthCheckRepository.class);
        if (producers != null) {
            healthChecks.values().forEach(producers::removeHealthCheck);
        }
        healthChecks.clear();
        prepared.clear();
        installations.clear();
        transports.forEach(key -> true, HttpTransport::close);
        transports.clear();
        coalescers.clear();
        limiters.clear();
        if (scheduler != null) {
            context.getExecutorServiceManager().shutdownNow(scheduler);
            scheduler = null;
        }
        if (completionPool != null) {
            context.getExecutorServiceManager().shutdown(completionPool);
            completionPool = null;
            completionExecutor = null;
        }
        if (registryPool != null) {
            // a registry read hung past its timeout is let go of
            context.getExecutorServiceManager().shutdownNow(registryPool);
            registryPool = null;
        }
    }
}
