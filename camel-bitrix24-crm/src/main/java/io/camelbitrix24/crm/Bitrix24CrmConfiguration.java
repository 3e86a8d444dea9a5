package io.camelbitrix24.crm;

import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24TokenStore;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The options of the component, shared by its endpoints: set them once as {@code camel.component.bitrix24-crm.*} and
 * override per endpoint where needed. Authenticate either with an inbound webhook ({@code webhookUrl}) or with OAuth
 * ({@code portalUrl} plus tokens).
 */
@UriParams
public class Bitrix24CrmConfiguration implements Cloneable {

    @UriParam(label = "security", secret = true,
              description = "The inbound webhook URL, https://{portal}/rest/{userId}/{code}/. Holds the webhook secret:"
                            + " prefer setting it on the component or with a property placeholder.")
    private String webhookUrl;

    @UriParam(label = "security",
              description = "The portal address for OAuth, e.g. https://example.bitrix24.com. Calls go to {portalUrl}/rest/.")
    private String portalUrl;

    @UriParam(label = "security", secret = true, description = "The OAuth access token (lives one hour).")
    private String accessToken;

    @UriParam(label = "security", secret = true,
              description = "The OAuth refresh token, used once when a call fails with expired_token.")
    private String refreshToken;

    @UriParam(label = "security", description = "The OAuth application's client id, for refreshing tokens.")
    private String clientId;

    @UriParam(label = "security", secret = true, description = "The OAuth application's client secret.")
    private String clientSecret;

    @UriParam(label = "security", defaultValue = "https://oauth.bitrix.info",
              description = "The Bitrix24 OAuth server that refreshes tokens.")
    private String oauthServerUrl = "https://oauth.bitrix.info";

    @UriParam(label = "security,advanced",
              description = "Where refreshed OAuth tokens are saved (the refresh token changes on every refresh)."
                            + " Default: the one Bitrix24TokenStore bean of the registry, else kept in memory.")
    @Metadata(autowired = true)
    private Bitrix24TokenStore tokenStore;

    @UriParam(label = "security,advanced",
              description = "Where the installations of the application live when the component serves many portals"
                            + " (clientId and clientSecret without webhookUrl or portalUrl; each call names its portal"
                            + " with the CamelBitrix24CrmPortal header). Default: kept in memory, lost on a restart.")
    private Bitrix24PortalRegistry portalRegistry;

    @UriParam(label = "producer", defaultValue = "false",
              description = "Delete leads, contacts, deals, companies and quotes with crm.item.delete (entityTypeId 1, 3,"
                            + " 2, 4 and 7) instead of the classic crm.lead.delete, crm.contact.delete, crm.deal.delete,"
                            + " crm.company.delete and crm.quote.delete.")
    private boolean useItemApi;

    @UriParam(label = "producer", defaultValue = "false",
              description = "Treat a not-found answer as done: the result is false instead of a"
                            + " Bitrix24NotFoundException, which makes deletes idempotent.")
    private boolean notFoundIsSuccess;

    @UriParam(label = "producer", defaultValue = "50",
              description = "The portal's request burst: how many calls may go at once before the rate applies (cloud"
                            + " plans 50, Enterprise 250). The limiter is shared by every endpoint of the component that"
                            + " calls the same portal; the first endpoint started sets it.")
    private int rateLimitBurst = 50;

    @UriParam(label = "producer", defaultValue = "2",
              description = "The portal's drain rate, calls per second after the burst (cloud plans 2, Enterprise 5)."
                            + " 0 turns the client-side limiter off.")
    private double rateLimitPerSecond = 2;

    @UriParam(label = "producer,advanced",
              description = "The Bitrix24Limiter that paces the calls (the portal's request bucket and the methods held"
                            + " for their operating time), as a bean reference, e.g. #sharedLimiter: one shared by"
                            + " several JVMs. Default: the component's own, in this JVM, by rateLimitBurst and"
                            + " rateLimitPerSecond.")
    private Bitrix24Limiter rateLimiter;

    @UriParam(label = "producer", defaultValue = "3",
              description = "How many times a call that failed for a retryable reason (rate limit, server fault, no"
                            + " answer) is repeated; attempts whose answer was lost count too, refusals for the"
                            + " portal's limits that the rate limiter paces do not (retryTimeout bounds them). 0 turns"
                            + " retries off.")
    private int maxRetries = 3;

    @UriParam(label = "producer,advanced", defaultValue = "500",
              description = "Milliseconds before the first retry; each further retry waits twice as long, with jitter.")
    private long retryDelay = 500;

    @UriParam(label = "producer,advanced", defaultValue = "30000", description = "The longest pause between retries, ms.")
    private long maxRetryDelay = 30_000;

    @UriParam(label = "producer,advanced", defaultValue = "600000",
              description = "The deadline, ms, of a call with its retries, holds and settling reads: no attempt starts"
                            + " that could not end (connect plus response timeout) before it. Long enough by default to"
                            + " outlast an OPERATION_TIME_LIMIT hold (10 minutes).")
    private long retryTimeout = 600_000;

    @UriParam(label = "producer", defaultValue = "50",
              description = "Commands per batch call (1 to 50): when the body is a list of ids, and when single calls"
                            + " are coalesced.")
    private int batchSize = 50;

    @UriParam(label = "producer", defaultValue = "true",
              description = "Coalesce single calls: calls of one record that wait for their turn at the same portal,"
                            + " with the same credentials (in the rate limiter, or for a connection), leave together as"
                            + " one batch call of up to batchSize commands when the turn comes. Each exchange still ends"
                            + " as if sent alone (its result, typed exception, retries and notFoundIsSuccess). A call"
                            + " that can go at once goes alone: nothing is added on a portal with room. Set false to"
                            + " send every call on its own.")
    private boolean coalesce = true;

    @UriParam(label = "producer", defaultValue = "false",
              description = "Stop a batch at its first failed command (Bitrix24's halt); the commands after it are"
                            + " reported as not run.")
    private boolean batchHalt;

    @UriParam(label = "security", defaultValue = "false",
              description = "Allow plain http:// portal and OAuth server URLs. Only for a local emulator or test portal.")
    private boolean allowInsecureHttp;

    @UriParam(label = "security",
              description = "TLS settings (trust store, protocols) for the HTTPS connections. Default: the JVM's.")
    private SSLContextParameters sslContextParameters;

    @UriParam(label = "advanced", defaultValue = "10000", javaType = "int",
              description = "Milliseconds allowed for connecting to the portal (with the TLS handshake); a call's whole"
                            + " deadline is connectTimeout plus responseTimeout.")
    private int connectTimeout = 10_000;

    @UriParam(label = "advanced", defaultValue = "30000", javaType = "int",
              description = "Milliseconds to wait for the answer to a call, and at most for any single read of it.")
    private int responseTimeout = 30_000;

    @UriParam(label = "advanced", defaultValue = "1048576", javaType = "int",
              description = "The largest answer, in bytes, the component reads; a larger one fails as a"
                            + " Bitrix24ServerException.")
    private int maxResponseSize = 1_048_576;

    @UriParam(label = "advanced", defaultValue = "false",
              description = "Continue the route on the HTTP I/O thread when Bitrix24 answers, instead of handing the"
                            + " exchange to a worker thread: saves a thread hand-off per call, but a blocking step after"
                            + " the endpoint then holds up every call in flight. For routes that do little after the"
                            + " delete.")
    private boolean ioThreadCompletion;

    @UriParam(label = "advanced",
              description = "The User-Agent header, naming the client as Bitrix24 asks integrations to. Default:"
                            + " camel-bitrix24-crm/ and the component's version.")
    private String userAgent;

    @UriParam(label = "producer,advanced", defaultValue = "64",
              description = "The most connections open to a portal at once (one pool per portal and connection"
                            + " settings, shared by the endpoints that use it); calls beyond it wait in arrival order,"
                            + " without a timeout.")
    private int maxConnections = 64;

    @UriParam(label = "producer,advanced", defaultValue = "256",
              description = "The most connections open at once over all portals (per pool): at the cap the longest"
                            + " idle connection of another portal is closed to open one, and calls beyond it wait in"
                            + " arrival order. Bounds the connections of a component that serves many portals.")
    private int maxTotalConnections = 256;

    @UriParam(label = "producer,advanced", defaultValue = "60000",
              description = "Many-portal mode: milliseconds a portal stays unused before what the component keeps for it"
                            + " (its OAuth session, rate-limit bucket, coalescing queue, idle connections) is released."
                            + " Never while one of its calls is in flight, its bucket has not drained or one of its"
                            + " methods is held, so a portal called again never gets a fresh burst early.")
    private long portalIdleTimeout = 60000;

    @UriParam(label = "producer,proxy",
              description = "The HTTP proxy's host name or address, to reach the portal and the OAuth server through"
                            + " it: an HTTPS portal through a CONNECT tunnel (TLS end to end), a plain http one by"
                            + " absolute-URI requests. Default: no proxy.")
    private String proxyHost;

    @UriParam(label = "producer,proxy", javaType = "java.lang.Integer",
              description = "The HTTP proxy's port; required with proxyHost.")
    private Integer proxyPort;

    @UriParam(label = "producer,proxy", description = "The user name for the proxy's Basic authentication.")
    private String proxyAuthUsername;

    @UriParam(label = "producer,proxy", secret = true,
              description = "The password for the proxy's Basic authentication.")
    private String proxyAuthPassword;

    public Bitrix24CrmConfiguration copy() {
        try {
            return (Bitrix24CrmConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getWebhookUrl() {
        return webhookUrl;
    }

    public void setWebhookUrl(String webhookUrl) {
        this.webhookUrl = credential(webhookUrl);
    }

    public String getPortalUrl() {
        return portalUrl;
    }

    public void setPortalUrl(String portalUrl) {
        this.portalUrl = credential(portalUrl);
    }

    public String getAccessToken() {
        return accessToken;
    }

    public void setAccessToken(String accessToken) {
        this.accessToken = credential(accessToken);
    }

    public String getRefreshToken() {
        return refreshToken;
    }

    public void setRefreshToken(String refreshToken) {
        this.refreshToken = credential(refreshToken);
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = credential(clientId);
    }

    public String getClientSecret() {
        return clientSecret;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = credential(clientSecret);
    }

    public String getOauthServerUrl() {
        return oauthServerUrl;
    }

    public void setOauthServerUrl(String oauthServerUrl) {
        this.oauthServerUrl = credential(oauthServerUrl);
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

    public boolean isUseItemApi() {
        return useItemApi;
    }

    public void setUseItemApi(boolean useItemApi) {
        this.useItemApi = useItemApi;
    }

    public boolean isNotFoundIsSuccess() {
        return notFoundIsSuccess;
    }

    public void setNotFoundIsSuccess(boolean notFoundIsSuccess) {
        this.notFoundIsSuccess = notFoundIsSuccess;
    }

    public boolean isAllowInsecureHttp() {
        return allowInsecureHttp;
    }

    public void setAllowInsecureHttp(boolean allowInsecureHttp) {
        this.allowInsecureHttp = allowInsecureHttp;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public int getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(int connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public int getResponseTimeout() {
        return responseTimeout;
    }

    public void setResponseTimeout(int responseTimeout) {
        this.responseTimeout = responseTimeout;
    }

    public int getMaxResponseSize() {
        return maxResponseSize;
    }

    public void setMaxResponseSize(int maxResponseSize) {
        this.maxResponseSize = maxResponseSize;
    }

    public int getRateLimitBurst() {
        return rateLimitBurst;
    }

    public void setRateLimitBurst(int rateLimitBurst) {
        this.rateLimitBurst = rateLimitBurst;
    }

    public double getRateLimitPerSecond() {
        return rateLimitPerSecond;
    }

    public void setRateLimitPerSecond(double rateLimitPerSecond) {
        this.rateLimitPerSecond = rateLimitPerSecond;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public long getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(long retryDelay) {
        this.retryDelay = retryDelay;
    }

    public long getMaxRetryDelay() {
        return maxRetryDelay;
    }

    public void setMaxRetryDelay(long maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
    }

    public long getRetryTimeout() {
        return retryTimeout;
    }

    public void setRetryTimeout(long retryTimeout) {
        this.retryTimeout = retryTimeout;
    }

    public Bitrix24Limiter getRateLimiter() {
        return rateLimiter;
    }

    public void setRateLimiter(Bitrix24Limiter rateLimiter) {
        this.rateLimiter = rateLimiter;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public boolean isCoalesce() {
        return coalesce;
    }

    public void setCoalesce(boolean coalesce) {
        this.coalesce = coalesce;
    }

    public boolean isBatchHalt() {
        return batchHalt;
    }

    public void setBatchHalt(boolean batchHalt) {
        this.batchHalt = batchHalt;
    }

    public boolean isIoThreadCompletion() {
        return ioThreadCompletion;
    }

    public void setIoThreadCompletion(boolean ioThreadCompletion) {
        this.ioThreadCompletion = ioThreadCompletion;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxTotalConnections() {
        return maxTotalConnections;
    }

    public void setMaxTotalConnections(int maxTotalConnections) {
        this.maxTotalConnections = maxTotalConnections;
    }

    public long getPortalIdleTimeout() {
        return portalIdleTimeout;
    }

    public void setPortalIdleTimeout(long portalIdleTimeout) {
        this.portalIdleTimeout = portalIdleTimeout;
    }

    public String getUserAgent() {
        return userAgent;
    }

    public void setUserAgent(String userAgent) {
        this.userAgent = userAgent;
    }

    /**
     * A credential or portal address as given, less the white space a secret store, a CRLF file or a paste leaves
     * around it: trimmed here, once, so that validation, masking and every request see the same value.
     */
    private static String credential(String value) {
        return value == null ? null : value.strip();
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
