package io.camelbitrix24.crm.springboot;

import io.camelbitrix24.crm.Bitrix24CrmConfiguration;
import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24TokenStore;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The options of the bitrix24-crm component, as {@code camel.component.bitrix24-crm.*} properties with their
 * descriptions and defaults (IDE completion comes from the metadata Spring Boot's configuration processor makes of this
 * class). Written by hand, as Camel's starter generator serves only Apache Camel's own components; a test keeps it
 * equal to the component's catalog JSON: names, types, defaults and secrets.
 */
@ConfigurationProperties(prefix = "camel.component.bitrix24-crm")
public class Bitrix24CrmComponentConfiguration extends ComponentConfigurationPropertiesCommon {

    /**
     * Stop a batch at its first failed command (Bitrix24's halt); the commands after it are reported as not run.
     */
    private Boolean batchHalt = false;

    /**
     * Commands per batch call (1 to 50): when the body is a list of ids, and when single calls are coalesced.
     */
    private Integer batchSize = 50;

    /**
     * Coalesce single calls: calls of one record that wait for their turn at the same portal, with the same
     * credentials (in the rate limiter, or for a connection), leave together as one batch call of up to batchSize
     * commands when the turn comes. Each exchange still ends as if sent alone (its result, typed exception, retries and
     * notFoundIsSuccess). A call that can go at once goes alone: nothing is added on a portal with room. Set false to
     * send every call on its own.
     */
    private Boolean coalesce = true;

    /**
     * The options shared by every endpoint of this component.
     */
    private Bitrix24CrmConfiguration configuration;

    /**
     * Whether the producer should be started lazy (on the first message). By starting lazy you can use this to
     * allow CamelContext and routes to startup in situations where a producer may otherwise fail during starting
     * and cause the route to fail being started. By deferring this startup to be lazy then the startup failure can
     * be handled during routing messages via Camel's routing error handlers. Beware that when the first message is
     * processed then creating and starting the producer may take a little time and prolong the total processing
     * time of the processing.
     */
    private Boolean lazyStartProducer = false;

    /**
     * How many times a call that failed for a retryable reason (rate limit, server fault, no answer) is repeated;
     * attempts whose answer was lost count too, refusals for the portal's limits that the rate limiter paces do not
     * (retryTimeout bounds them). 0 turns retries off.
     */
    private Integer maxRetries = 3;

    /**
     * Treat a not-found answer as done: the result is false instead of a Bitrix24NotFoundException, which makes
     * deletes idempotent.
     */
    private Boolean notFoundIsSuccess = false;

    /**
     * The Bitrix24Limiter that paces the calls (the portal's request bucket and the methods held for their
     * operating time), as a bean reference, e.g. #sharedLimiter: one shared by several JVMs. Default: the
     * component's own, in this JVM, by rateLimitBurst and rateLimitPerSecond.
     */
    private Bitrix24Limiter rateLimiter;

    /**
     * The portal's request burst: how many calls may go at once before the rate applies (cloud plans 50,
     * Enterprise 250). The limiter is shared by every endpoint of the component that calls the same portal; the
     * first endpoint started sets it.
     */
    private Integer rateLimitBurst = 50;

    /**
     * The portal's drain rate, calls per second after the burst (cloud plans 2, Enterprise 5). 0 turns the
     * client-side limiter off.
     */
    private Double rateLimitPerSecond = 2.0;

    /**
     * Delete leads, contacts, deals, companies and quotes with crm.item.delete (entityTypeId 1, 3, 2, 4 and 7) instead
     * of the classic crm.lead.delete, crm.contact.delete, crm.deal.delete, crm.company.delete and crm.quote.delete.
     */
    private Boolean useItemApi = false;

    /**
     * The longest pause between retries, ms.
     */
    private Long maxRetryDelay = 30000L;

    /**
     * Milliseconds before the first retry; each further retry waits twice as long, with jitter.
     */
    private Long retryDelay = 500L;

    /**
     * The deadline, ms, of a call with its retries, holds and settling reads: no attempt starts that could not end
     * (connect plus response timeout) before it. Long enough by default to outlast an OPERATION_TIME_LIMIT hold (10
     * minutes).
     */
    private Long retryTimeout = 600000L;

    /**
     * Whether autowiring is enabled. This is used for automatic autowiring options (the option must be marked as
     * autowired) by looking up in the registry to find if there is a single instance of matching type, which then
     * gets configured on the component. This can be used for automatic configuring JDBC data sources, JMS
     * connection factories, AWS Clients, etc.
     */
    private Boolean autowiredEnabled = true;

    /**
     * Milliseconds allowed for connecting to the portal (with the TLS handshake); a call's whole deadline is
     * connectTimeout plus responseTimeout.
     */
    private Integer connectTimeout = 10000;

    /**
     * Continue the route on the HTTP I/O thread when Bitrix24 answers, instead of handing the exchange to a worker
     * thread: saves a thread hand-off per call, but a blocking step after the endpoint then holds up every call in
     * flight. For routes that do little after the delete.
     */
    private Boolean ioThreadCompletion = false;

    /**
     * The largest answer, in bytes, the component reads; a larger one fails as a Bitrix24ServerException.
     */
    private Integer maxResponseSize = 1048576;

    /**
     * Milliseconds to wait for the answer to a call, and at most for any single read of it.
     */
    private Integer responseTimeout = 30000;

    /**
     * The User-Agent header, naming the client as Bitrix24 asks integrations to. Default: camel-bitrix24-crm/ and the
     * component's version.
     */
    private String userAgent;

    /**
     * The most connections open to a portal at once (one pool per portal and connection settings, shared by the
     * endpoints that use it); calls beyond it wait in arrival order, without a timeout.
     */
    private Integer maxConnections = 64;

    /**
     * The most connections open at once over all portals (per pool): at the cap the longest idle connection of another
     * portal is closed to open one, and calls beyond it wait in arrival order. Bounds the connections of a component
     * that serves many portals.
     */
    private Integer maxTotalConnections = 256;

    /**
     * Many-portal mode: milliseconds a portal stays unused before what the component keeps for it (its OAuth session,
     * rate-limit bucket, coalescing queue, idle connections) is released. Never while one of its calls is in flight,
     * its bucket has not drained or one of its methods is held, so a portal called again never gets a fresh burst
     * early.
     */
    private Long portalIdleTimeout = 60000L;

    /**
     * The HTTP proxy's host name or address, to reach the portal and the OAuth server through it: an HTTPS portal
     * through a CONNECT tunnel (TLS end to end), a plain http one by absolute-URI requests. Default: no proxy.
     */
    private String proxyHost;

    /**
     * The HTTP proxy's port; required with proxyHost.
     */
    private Integer proxyPort;

    /**
     * The user name for the proxy's Basic authentication.
     */
    private String proxyAuthUsername;

    /**
     * The password for the proxy's Basic authentication.
     */
    private String proxyAuthPassword;

    /**
     * Report each portal's health (it answers, the credentials work, the crm scope is there) as a producer health
     * check. Camel runs producer checks only with camel.health.producersEnabled=true.
     */
    private Boolean healthCheckProducerEnabled = true;

    /**
     * Record Micrometer meters (bitrix24.crm.calls and the others) to the MeterRegistry in Camel's registry, when
     * Micrometer is on the class path and one is bound (Spring Boot binds its own).
     */
    private Boolean metersEnabled = true;

    /**
     * The portals whose meters carry a portal tag, comma-separated, as the dev console names them (a host, or a
     * member_id in many-portal mode); the other portals' meters are tagged portal=other. Empty (the default): no portal
     * tag, however many portals are called.
     */
    private String meterPortals;

    /**
     * The OAuth access token (lives one hour).
     */
    private String accessToken;

    /**
     * Allow plain http:// portal and OAuth server URLs. Only for a local emulator or test portal.
     */
    private Boolean allowInsecureHttp = false;

    /**
     * The OAuth application's client id, for refreshing tokens.
     */
    private String clientId;

    /**
     * The OAuth application's client secret.
     */
    private String clientSecret;

    /**
     * The Bitrix24 OAuth server that refreshes tokens.
     */
    private String oauthServerUrl = "https://oauth.bitrix.info";

    /**
     * The portal address for OAuth, e.g. https://example.bitrix24.com. Calls go to {portalUrl}/rest/.
     */
    private String portalUrl;

    /**
     * The OAuth refresh token, used once when a call fails with expired_token.
     */
    private String refreshToken;

    /**
     * TLS settings (trust store, protocols) for the HTTPS connections. Default: the JVM's.
     */
    private SSLContextParameters sslContextParameters;

    /**
     * Use the CamelContext's global TLS settings (Camel Main's camel.ssl.) when an endpoint has no
     * sslContextParameters of its own.
     */
    private Boolean useGlobalSslContextParameters = false;

    /**
     * The inbound webhook URL, https://{portal}/rest/{userId}/{code}/. Holds the webhook secret: prefer setting it
     * on the component or with a property placeholder.
     */
    private String webhookUrl;

    /**
     * Where refreshed OAuth tokens are saved (the refresh token changes on every refresh). Default: the one
     * Bitrix24TokenStore bean of the registry, else kept in memory.
     */
    private Bitrix24TokenStore tokenStore;

    /**
     * Where the installations of the application live when the component serves many portals (clientId and
     * clientSecret without webhookUrl or portalUrl; each call names its portal with the CamelBitrix24CrmPortal
     * header). Default: kept in memory, lost on a restart.
     */
    private Bitrix24PortalRegistry portalRegistry;

    public Boolean getBatchHalt() {
        return batchHalt;
    }

    public void setBatchHalt(Boolean batchHalt) {
        this.batchHalt = batchHalt;
    }

    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    public Boolean getCoalesce() {
        return coalesce;
    }

    public void setCoalesce(Boolean coalesce) {
        this.coalesce = coalesce;
    }

    public Bitrix24CrmConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(Bitrix24CrmConfiguration configuration) {
        this.configuration = configuration;
    }

    public Boolean getLazyStartProducer() {
        return lazyStartProducer;
    }

    public void setLazyStartProducer(Boolean lazyStartProducer) {
        this.lazyStartProducer = lazyStartProducer;
    }

    public Integer getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    public Boolean getNotFoundIsSuccess() {
        return notFoundIsSuccess;
    }

    public void setNotFoundIsSuccess(Boolean notFoundIsSuccess) {
        this.notFoundIsSuccess = notFoundIsSuccess;
    }

    public Bitrix24Limiter getRateLimiter() {
        return rateLimiter;
    }

    public void setRateLimiter(Bitrix24Limiter rateLimiter) {
        this.rateLimiter = rateLimiter;
    }

    public Integer getRateLimitBurst() {
        return rateLimitBurst;
    }

    public void setRateLimitBurst(Integer rateLimitBurst) {
        this.rateLimitBurst = rateLimitBurst;
    }

    public Double getRateLimitPerSecond() {
        return rateLimitPerSecond;
    }

    public void setRateLimitPerSecond(Double rateLimitPerSecond) {
        this.rateLimitPerSecond = rateLimitPerSecond;
    }

    public Boolean getUseItemApi() {
        return useItemApi;
    }

    public void setUseItemApi(Boolean useItemApi) {
        this.useItemApi = useItemApi;
    }

    public Long getMaxRetryDelay() {
        return maxRetryDelay;
    }

    public void setMaxRetryDelay(Long maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
    }

    public Long getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(Long retryDelay) {
        this.retryDelay = retryDelay;
    }

    public Long getRetryTimeout() {
        return retryTimeout;
    }

    public void setRetryTimeout(Long retryTimeout) {
        this.retryTimeout = retryTimeout;
    }

    public Boolean getAutowiredEnabled() {
        return autowiredEnabled;
    }

    public void setAutowiredEnabled(Boolean autowiredEnabled) {
        this.autowiredEnabled = autowiredEnabled;
    }

    public Integer getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Integer connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Boolean getIoThreadCompletion() {
        return ioThreadCompletion;
    }

    public void setIoThreadCompletion(Boolean ioThreadCompletion) {
        this.ioThreadCompletion = ioThreadCompletion;
    }

    public Integer getMaxTotalConnections() {
        return maxTotalConnections;
    }

    public void setMaxTotalConnections(Integer maxTotalConnections) {
        this.maxTotalConnections = maxTotalConnections;
    }

    public Long getPortalIdleTimeout() {
        return portalIdleTimeout;
    }

    public void setPortalIdleTimeout(Long portalIdleTimeout) {
        this.portalIdleTimeout = portalIdleTimeout;
    }

    public Integer getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(Integer maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Integer getMaxResponseSize() {
        return maxResponseSize;
    }

    public void setMaxResponseSize(Integer maxResponseSize) {
        this.maxResponseSize = maxResponseSize;
    }

    public Integer getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(Integer responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public String getUserAgent() {
        return userAgent;
    }

    public void setUserAgent(String userAgent) {
        this.userAgent = userAgent;
    }

    public Boolean getHealthCheckProducerEnabled() {
        return healthCheckProducerEnabled;
    }

    public void setHealthCheckProducerEnabled(Boolean healthCheckProducerEnabled) {
        this.healthCheckProducerEnabled = healthCheckProducerEnabled;
    }

    public Boolean getMetersEnabled() {
        return metersEnabled;
    }

    public void setMetersEnabled(Boolean metersEnabled) {
        this.metersEnabled = metersEnabled;
    }

    public String getMeterPortals() {
        return meterPortals;
    }

    public void setMeterPortals(String meterPortals) {
        this.meterPortals = meterPortals;
    }

    public String getAccessToken() {
        return accessToken;
    }

    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    public Boolean getAllowInsecureHttp() {
        return allowInsecureHttp;
    }

    public void setAllowInsecureHttp(Boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getOauthServerUrl() {
        return oauthServerUrl;
    }

    public void setOauthServerUrl(String oauthServerUrl) {
        this.oauthServerUrl = oauthServerUrl;
    }

    public String getPortalUrl() {
        return portalUrl;
    }

    public void setPortalUrl(String portalUrl) {
        this.portalUrl = portalUrl;
    }

    public String getRefreshToken() {
        return refreshToken;
    }

    public void setRefreshToken(String refreshToken) {
        this.refreshToken = refreshToken;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public Boolean getUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    public void setUseGlobalSslContextParameters(Boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public String getWebhookUrl() {
        return webhookUrl;
    }

    public void setWebhookUrl(String webhookUrl) {
        this.webhookUrl = webhookUrl;
    }

    public Bitrix24PortalRegistry getPortalRegistry() {
        return portalRegistry;
    }

    public void setPortalRegistry(Bitrix24PortalRegistry portalRegistry) {
        this.portalRegistry = portalRegistry;
    }

    public Bitrix24TokenStore getTokenStore() {
        return tokenStore;
    }

    public void setTokenStore(Bitrix24TokenStore tokenStore) {
        this.tokenStore = tokenStore;
    }

    public String getProxyHost() {
        return proxyHost;
    }

    public void setProxyHost(String proxyHost) {
        this.proxyHost = proxyHost;
    }

    public Integer getProxyPort() {
        return proxyPort;
    }

    public void setProxyPort(Integer proxyPort) {
        this.proxyPort = proxyPort;
    }

    public String getProxyAuthUsername() {
        return proxyAuthUsername;
    }

    public void setProxyAuthUsername(String proxyAuthUsername) {
        this.proxyAuthUsername = proxyAuthUsername;
    }

    public String getProxyAuthPassword() {
        return proxyAuthPassword;
    }

    public void setProxyAuthPassword(String proxyAuthPassword) {
        this.proxyAuthPassword = proxyAuthPassword;
    }
}
