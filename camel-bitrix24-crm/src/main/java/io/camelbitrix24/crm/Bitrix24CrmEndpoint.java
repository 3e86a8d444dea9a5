package io.camelbitrix24.crm;

import java.security.NoSuchAlgorithmException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.auth.OAuthSession;
import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.crm.internal.call.RequestBuilder;
import io.camelbitrix24.crm.internal.call.Urls;
import io.camelbitrix24.crm.internal.health.PortalHealthCheck;
import io.camelbitrix24.crm.internal.health.PortalsHealthCheck;
import io.camelbitrix24.crm.internal.http.HttpProxy;
import io.camelbitrix24.crm.internal.http.HttpSettings;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.internal.portal.Portals;
import io.camelbitrix24.crm.internal.send.CallRunner;
import io.camelbitrix24.crm.internal.send.Client;
import io.camelbitrix24.crm.internal.send.Coalescer;
import io.camelbitrix24.crm.internal.send.Pacing;
import io.camelbitrix24.crm.internal.send.RetryPolicy;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24LimiterKey;
import io.camelbitrix24.crm.spi.Bitrix24LocalLimiter;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import org.apache.camel.AsyncEndpoint;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes Bitrix24 CRM records: leads, contacts, and the contacts bound to a lead.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "bitrix24-crm", title = "Bitrix24 CRM",
             syntax = "bitrix24-crm:entity/operation", producerOnly = true, category = { Category.SAAS, Category.CLOUD },
             headersClass = Bitrix24CrmConstants.class)
public class Bitrix24CrmEndpoint extends DefaultEndpoint implements AsyncEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(Bitrix24CrmEndpoint.class);

    @UriPath(enums = "lead,contact,lead-contact,app", description = "The CRM entity: lead, contact, or lead-contact (the"
                                                                     + " contacts bound to a lead); or app, the"
                                                                     + " application's installation events.")
    @Metadata(required = true)
    private String entity;

    @UriPath(enums = "delete,items-delete,install,uninstall",
             description = "The operation. The four deletes: lead/delete (crm.lead.delete, or crm.item.delete with"
                           + " entityTypeId 1), contact/delete (crm.contact.delete, or crm.item.delete with entityTypeId"
                           + " 3), lead-contact/delete (crm.lead.contact.delete: unbind one contact from a lead) and"
                           + " lead-contact/items-delete (crm.lead.contact.items.delete: unbind every contact of a lead);"
                           + " in many-portal mode, app/install (ONAPPINSTALL, verified with app.info, registers the"
                           + " installation) and app/uninstall (ONAPPUNINSTALL, checked by its application_token,"
                           + " removes it).")
    @Metadata(required = true)
    private String operation;

    @UriParam
    private Bitrix24CrmConfiguration configuration;

    private Operation crmOperation;
    private ObjectMapper objectMapper;
    private HttpTransport transport;
    private Client client;
    private RequestBuilder requestBuilder;
    // checked when the endpoint is made, used when it starts
    private HttpProxy proxy;
    private CallRunner runner;
    private Coalescer coalescer;
    // many-portal mode only
    private Portals portals;
    private ScheduledFuture<?> idleSweep;
    private Executor completionExecutor;

    public Bitrix24CrmEndpoint(String uri, Bitrix24CrmComponent component, Bitrix24CrmConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Bitrix24CrmComponent getComponent() {
        return (Bitrix24CrmComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return crmOperation.isAppEvent() ? new Bitrix24AppEventProducer(this) : new Bitrix24CrmProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("bitrix24-crm endpoints only send: there is no consumer");
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        crmOperation = Operation.of(entity, operation);
        // what producers read when they are made, which may be before this endpoint starts
        objectMapper = new ObjectMapper();
        requestBuilder = new RequestBuilder(objectMapper, configuration.isUseItemApi());
        Bitrix24Credentials.validate(configuration);
        if (crmOperation.isAppEvent() && !configuration.servesManyPortals()) {
            throw new IllegalArgumentException("bitrix24-crm:" + crmOperation.path() + " registers installations for a"
                                               + " component that serves many portals: set clientId and clientSecret,"
                                               + " and neither webhookUrl nor portalUrl");
        }
        requireRange("batchSize", configuration.getBatchSize(), 1, 50);
        requireRange("rateLimitBurst", configuration.getRateLimitBurst(), 1, Integer.MAX_VALUE);
        requireRange("maxRetries", configuration.getMaxRetries(), 0, 100);
        requireRange("connectTimeout", configuration.getConnectTimeout(), 1, Integer.MAX_VALUE);
        requireRange("responseTimeout", configuration.getResponseTimeout(), 1, Integer.MAX_VALUE);
        requireRange("maxResponseSize", configuration.getMaxResponseSize(), 1024, Integer.MAX_VALUE);
        requireRange("maxConnections", configuration.getMaxConnections(), 1, 1024);
        requireRange("maxTotalConnections", configuration.getMaxTotalConnections(), 1, 65536);
        requireRange("portalIdleTimeout", configuration.getPortalIdleTimeout(), 1, Long.MAX_VALUE);
        proxy = proxyOf(configuration);
        if (configuration.getRateLimitPerSecond() < 0) {
            throw new IllegalArgumentException("rateLimitPerSecond must be 0 (off) or more, was "
                                               + configuration.getRateLimitPerSecond());
        }
    }

    /** The configured proxy ({@code proxyHost}, {@code proxyPort}, Basic credentials), or null when none is set. */
    private static HttpProxy proxyOf(Bitrix24CrmConfiguration config) {
        String host = config.getProxyHost();
        boolean hasHost = host != null && !host.isBlank();
        boolean hasUser = config.getProxyAuthUsername() != null && !config.getProxyAuthUsername().isEmpty();
        boolean hasPassword = config.getProxyAuthPassword() != null && !config.getProxyAuthPassword().isEmpty();
        if (!hasHost) {
            if (config.getProxyPort() != null || hasUser || hasPassword) {
                throw new IllegalArgumentException("proxyPort, proxyAuthUsername and proxyAuthPassword need proxyHost,"
                                                   + " which is not set");
            }
            return null;
        }
        // a name, an IPv4 address or an IPv6 one (colons and hex digits only); not a URL nor host:port
        boolean ipv6 = host.matches("[0-9A-Fa-f:.]+") && host.chars().filter(c -> c == ':').count() >= 2;
        if (host.contains("/") || host.contains(":") && !ipv6 || !host.equals(host.strip()) || host.contains(" ")) {
            throw new IllegalArgumentException("proxyHost must be a host name or address, without scheme or port"
                                               + " (proxyPort is separate), was " + host);
        }
        Integer port = config.getProxyPort();
        if (port == null || port < 1 || port > 65535) {
            throw new IllegalArgumentException("proxyPort must be from 1 to 65535 when proxyHost is set, was " + port);
        }
        if (hasPassword && !hasUser) {
            throw new IllegalArgumentException("proxyAuthPassword is set without proxyAuthUsername");
        }
        if (hasUser && config.getProxyAuthUsername().contains(":")) {
            // not echoed: a user:password written into the user name would show the password
            throw new IllegalArgumentException("proxyAuthUsername must not contain ':' (Basic authentication): the"
                                               + " password goes in proxyAuthPassword");
        }
        return new HttpProxy(host, port, hasUser ? config.getProxyAuthUsername() : null,
                hasUser ? (hasPassword ? config.getProxyAuthPassword() : "") : null);
    }

    private static void requireRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(option + " must be from " + min + " to " + max + ", was " + value);
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        Bitrix24SharedResources shared = getComponent().sharedResources();
        SSLContextParameters tls = sslContextParameters();
        transport = shared.acquireTransport(Bitrix24SharedResources.TransportKey.of(configuration, tls, proxy),
                () -> HttpTransport.create(new HttpSettings(
                        sslContext(tls), configuration.getConnectTimeout(), configuration.getResponseTimeout(),
                        configuration.getMaxResponseSize(), Bitrix24CrmVersion.userAgent(configuration.getUserAgent()),
                        configuration.getMaxConnections(), configuration.getMaxTotalConnections(), proxy)));
        RetryPolicy retryPolicy = new RetryPolicy(configuration.getMaxRetries(),
                configuration.getRetryDelay(), configuration.getMaxRetryDelay(), configuration.getRetryTimeout(),
                callDeadlineMillis(), System::currentTimeMillis, bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        completionExecutor = configuration.isIoThreadCompletion() ? Runnable::run : shared.completionExecutor();
        if (configuration.servesManyPortals()) {
            Bitrix24PortalRegistry registry = configuration.getPortalRegistry() != null
                    ? configuration.getPortalRegistry() : shared.defaultPortalRegistry();
            portals = new Portals(registry, installation -> wayOf(installation, registry, retryPolicy, shared));
            // the client id is no secret, but Camel masks every option so named in its own summaries
            LOG.info("{} serves many portals as application {} (OAuth server {}), installations in {}",
                    getEndpointUri(), configuration.getClientId(), configuration.getOauthServerUrl(),
                    registry.getClass().getName());
            long idleMillis = configuration.getPortalIdleTimeout();
            // often enough that a portal goes at most a quarter of the timeout late; never more than once per 50 ms
            long every = Math.max(50, Math.min(idleMillis / 4, 10_000));
            HttpTransport swept = transport;
            Portals kept = portals;
            idleSweep = shared.scheduler().scheduleWithFixedDelay(() -> {
                kept.releaseIdle(TimeUnit.MILLISECONDS.toNanos(idleMillis));
                swept.closeIdle(idleMillis);
            }, every, every, TimeUnit.MILLISECONDS);
            if (getComponent().isHealthCheckProducerEnabled()) {
                // one check for all portals: the registry and the OAuth server, not one per tenant
                shared.registerHealthCheck("portals " + configuration.getOauthServerUrl(),
                        () -> new PortalsHealthCheck(registry, swept, configuration.getOauthServerUrl(),
                                callDeadlineMillis(), System::currentTimeMillis));
            }
            return;
        }
        // the user's limiter (rateLimiter=#bean), else the component's own for this portal
        Bitrix24Limiter limiter = configuration.getRateLimiter() != null ? configuration.getRateLimiter()
                : shared.limiter(getPortalAddress(), configuration.getRateLimitBurst(), configuration.getRateLimitPerSecond());
        client = Bitrix24Credentials.createClient(configuration, transport, objectMapper, limiter);
        if (configuration.isCoalesce()) {
            Client first = client;
            coalescer = shared.acquireCoalescer(new Bitrix24SharedResources.CoalescingKey(transport, limiter,
                    Bitrix24Credentials.coalescingIdentity(configuration, this), configuration.getBatchSize()),
                    () -> new Coalescer(first, requestBuilder, configuration.getBatchSize(), shared.scheduler(),
                            getPortalAddress()));
        }
        runner = new CallRunner(client, coalescer, retryPolicy, requestBuilder, shared.scheduler());
        Bitrix24CrmComponent component = getComponent();
        if (component.isHealthCheckProducerEnabled()) {
            String portal = getPortalAddress();
            shared.registerHealthCheck(portal, () -> new PortalHealthCheck(portal, client, objectMapper,
                    callDeadlineMillis(), System::currentTimeMillis));
        }
    }

    /**
     * Many-portal mode: the calls' way to one installation, its tokens in the registry, its bucket keyed by its
     * member_id and the application (the user's limiter, when set, gets the same key).
     */
    private Portals.Way wayOf(Bitrix24Installation installation, Bitrix24PortalRegistry registry,
                                      RetryPolicy retryPolicy, Bitrix24SharedResources shared) {
        String rest = Urls.withSlash(installation.getClientEndpoint());
        Urls.requireSecure("the installation's client_endpoint", rest, configuration.isAllowInsecureHttp());
        String memberId = installation.getMemberId();
        Bitrix24LimiterKey key = new Bitrix24LimiterKey("member:" + memberId, "app:" + configuration.getClientId());
        // the portal's plan limits where the registry knows them
        int burst = installation.getRateLimitBurst() != null ? installation.getRateLimitBurst()
                : configuration.getRateLimitBurst();
        double perSecond = installation.getRateLimitPerSecond() != null ? installation.getRateLimitPerSecond()
                : configuration.getRateLimitPerSecond();
        Bitrix24LocalLimiter own = configuration.getRateLimiter() != null ? null
                : shared.acquireInstallationLimiter(key.portal(), burst, perSecond);
        Bitrix24Limiter limiter = own != null ? own : configuration.getRateLimiter();
        OAuthSession session = shared.acquireInstallationSession(transport, registry, configuration.getClientId(),
                memberId, installation.getApplicationToken(), () -> new OAuthSession(transport, objectMapper,
                        configuration.getOauthServerUrl(), configuration.getClientId(), configuration.getClientSecret(),
                        Portals.tokenStoreOf(registry, memberId,
                                url -> Urls.isPortalRestAddress(url, configuration.isAllowInsecureHttp())),
                        installation.getTokens(),
                        (refused, refusal) -> Portals.markRefused(registry, memberId, refused, refusal)));
        Client portalClient = new Client(transport, objectMapper, rest, session,
                new Pacing(limiter, key, System::currentTimeMillis));
        Coalescer portalCoalescer = configuration.isCoalesce()
                ? new Coalescer(portalClient, requestBuilder, configuration.getBatchSize(), shared.scheduler(),
                        Urls.portalAddress(rest))
                : null;
        CallRunner portalRunner = new CallRunner(portalClient, portalCoalescer, retryPolicy,
                requestBuilder, shared.scheduler());
        HttpTransport used = transport;
        return new Portals.Way(portalRunner,
                () -> (own == null || own.isDrained()) && !session.isRefreshing(),
                () -> shared.releaseInstallation(used, registry, configuration.getClientId(), memberId, session,
                        key.portal(), own));
    }

    /** The longest one call may take: to connect, then to be answered. */
    private long callDeadlineMillis() {
        return (long) configuration.getConnectTimeout() + configuration.getResponseTimeout();
    }

    @Override
    protected void doStop() throws Exception {
        if (idleSweep != null) {
            idleSweep.cancel(false);
            idleSweep = null;
        }
        if (portals != null) {
            portals.releaseAll();
        }
        if (coalescer != null) {
            getComponent().sharedResources().releaseCoalescer(coalescer);
            coalescer = null;
        }
        if (transport != null) {
            getComponent().sharedResources().releaseTransport(transport);
            transport = null;
        }
        super.doStop();
    }

    private SSLContext sslContext(SSLContextParameters parameters) throws Exception {
        if (parameters != null) {
            return parameters.createSSLContext(getCamelContext());
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context in this JVM", e);
        }
    }

    /** The endpoint's own TLS settings, else the context's global ones when the component is told to use them. */
    private SSLContextParameters sslContextParameters() {
        if (configuration.getSslContextParameters() != null) {
            return configuration.getSslContextParameters();
        }
        Bitrix24CrmComponent component = getComponent();
        if (!component.isUseGlobalSslContextParameters()) {
            return null;
        }
        SSLContextParameters global = component.retrieveGlobalSslContextParameters();
        if (global == null) {
            // Camel Main 4.22 sets no global settings from a trust store alone (it wants camel.ssl.keyStore too)
            throw new IllegalArgumentException("useGlobalSslContextParameters is set, but the CamelContext has no global"
                                               + " TLS settings: set the component's sslContextParameters, or in Camel"
                                               + " Main camel.ssl.enabled=true with camel.ssl.trustStore and (from Camel"
                                               + " 4.22) camel.ssl.keyStore");
        }
        return global;
    }

    /**
     * The portal this endpoint talks to, {@code scheme://host:port}, without credentials: for diagnostics and the
     * limiter's key. Read as text, never parsed as a URI, whose errors would quote the whole URL and its secret.
     */
    public String getPortalAddress() {
        if (configuration.servesManyPortals()) {
            return null;
        }
        return Bitrix24Credentials.limiterKey(configuration).portal();
    }

    public String getEntity() {
        return entity;
    }

    public void setEntity(String entity) {
        this.entity = entity;
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    public Bitrix24CrmConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(Bitrix24CrmConfiguration configuration) {
        this.configuration = configuration;
    }

    Operation getCrmOperation() {
        return crmOperation;
    }

    ObjectMapper getObjectMapper() {
        return objectMapper;
    }

    RequestBuilder getRequestBuilder() {
        return requestBuilder;
    }

    /**
     * Prepares the way to the portal for the first call (a connection with its TLS handshake done, the call path's
     * classes loaded), once per portal and transport, without calling the portal; a failure is a WARN, never a failed
     * start: the portal's state is the health check's to report.
     */
    void preparePortal() {
        if (portals != null) {
            // many portals: none to prepare before a call names one
            return;
        }
        getComponent().sharedResources().prepareOnce(transport, getPortalAddress(), client::prepare);
    }

    /** Many-portal mode: where the installations live. */
    Bitrix24PortalRegistry getPortalRegistry() {
        return portals == null ? null : portals.registry();
    }

    /** Many-portal mode: the portals this endpoint keeps a way to now (0 otherwise). */
    int portalsKept() {
        return portals == null ? 0 : portals.portalsKept();
    }

    HttpTransport getTransport() {
        return transport;
    }

    /**
     * The runner of the portal a call names ({@code portal}: the {@code CamelBitrix24CrmPortal} header, null when
     * absent): the endpoint's own with one portal's credentials, where the header is refused; the installation's in
     * many-portal mode. Throws the typed exception of a call that must not be sent.
     */
    CallRunner runnerFor(String portal, String method) {
        if (portals != null) {
            return portals.runnerFor(portal, method);
        }
        if (portal != null) {
            // a message from outside must never redirect deletes
            throw new Bitrix24ValidationException(method, "header " + Bitrix24CrmConstants.PORTAL,
                    "Header " + Bitrix24CrmConstants.PORTAL + " is set, but this endpoint calls one portal with its own"
                    + " credentials; nothing was sent (remove the header, or configure clientId and clientSecret alone"
                    + " to serve many portals)");
        }
        return runner;
    }

    Executor getCompletionExecutor() {
        return completionExecutor;
    }
}
