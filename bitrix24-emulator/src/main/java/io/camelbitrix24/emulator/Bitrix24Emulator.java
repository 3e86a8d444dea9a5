package io.camelbitrix24.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * An in-memory Bitrix24 portal on loopback, over real HTTP or HTTPS (a bundled self-signed certificate for
 * {@code localhost} and {@code 127.0.0.1}). Start one per test class:
 *
 * <pre>
 * try (Bitrix24Emulator portal = Bitrix24Emulator.builder().start()) {
 *     int lead = portal.data().addLead("Lead", "NEW");
 *     // point the client at portal.webhookUrl()
 * }
 * </pre>
 */
public final class Bitrix24Emulator implements AutoCloseable {

    /** Classpath resource of a PKCS12 trust store holding the emulator's certificate; password {@link #STORE_PASSWORD}. */
    public static final String TRUSTSTORE_RESOURCE = "bitrix24-emulator-truststore.p12";
    /** Classpath resource of the emulator's certificate in PEM, for clients that take a CA file. */
    public static final String CERTIFICATE_PEM_RESOURCE = "bitrix24-emulator.pem";
    public static final String STORE_PASSWORD = "emulator";
    /** The OAuth application's client id unless {@link Builder#oauthApplication(String, String)} sets one. */
    public static final String DEFAULT_CLIENT_ID = "local.emulator.app";
    private static final String KEYSTORE_RESOURCE = "bitrix24-emulator.p12";

    /**
     * Without TCP_NODELAY, a small answer waits for the client's delayed ACK, about 40 ms a call on loopback. The JDK
     * server reads this JVM-wide property once, so it is left to whoever runs the JVM: the build sets it for tests and
     * examples, {@link EmulatorMain} for the standalone emulator; an emulator started without it says so, once.
     */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final AtomicBoolean NODELAY_WARNED = new AtomicBoolean();

    // both null for a virtual host of a cloud's shared server, which hands this portal its requests
    private volatile HttpServer server;
    // earlier addresses of a portal that moved: each answers a redirect to the address now
    private final java.util.List<HttpServer> formerServers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ExecutorService executor;
    private final int frontPort;
    // null when the portal is one of a cloud's, whose OAuth server serves them all
    private final HttpServer oauthServer;
    private final String externalOAuthServerUrl;
    private volatile String host;
    private final String memberId;
    private volatile String applicationToken;
    private final ExecutorService oauthExecutor;
    private final PortalData data;
    private final AccessControl access;
    private final RequestLog requests;
    private final PortalLimits limits = new PortalLimits();
    private final FaultInjection faults = new FaultInjection();
    private final RestHandler rest;
    private final OAuthHandler oauth;
    private final boolean https;
    private final PortalLanguage language;
    private final int webhookUserId;
    private final String webhookCode;

    private Bitrix24Emulator(Builder builder) throws IOException {
        this.https = builder.https;
        this.host = builder.host;
        this.memberId = builder.memberId;
        this.externalOAuthServerUrl = builder.externalOAuthServerUrl;
        Clock clock = Clock.systemUTC();
        this.data = new PortalData();
        this.access = new AccessControl(clock);
        this.requests = new RequestLog();
        this.webhookUserId = builder.webhookUserId;
        this.webhookCode = builder.webhookCode;
        access.addWebhook(webhookUserId, webhookCode, builder.webhookScopes);
        access.setOAuthApplication(builder.clientId, builder.clientSecret, "crm");
        access.setAccessTokenLifetime(builder.accessTokenLifetime);
        if (builder.rateBurst > 0) {
            limits.setRateLimit(builder.rateBurst, builder.ratePerSecond);
        }
        for (int i = 1; i <= builder.seedLeads; i++) {
            data.addLead("Lead " + i, "NEW");
        }
        for (int i = 1; i <= builder.seedContacts; i++) {
            data.addContact("Contact " + i);
        }
        for (int i = 1; i <= builder.seedDeals; i++) {
            data.addDeal("Deal " + i);
        }
        for (int i = 1; i <= builder.seedCompanies; i++) {
            data.addCompany("Company " + i);
        }

        this.frontPort = builder.frontPort;
        if (builder.frontPort > 0) {
            this.server = null;
            this.executor = null;
        } else {
            InetAddress bound = InetAddress.getByName(host);
            if (!bound.isLoopbackAddress()) {
                throw new IllegalArgumentException("the emulator listens on loopback only, not on " + host);
            }
            InetSocketAddress address = new InetSocketAddress(bound, builder.port);
            if (!Boolean.getBoolean(NODELAY_PROPERTY) && NODELAY_WARNED.compareAndSet(false, true)) {
                System.getLogger(Bitrix24Emulator.class.getName()).log(System.Logger.Level.WARNING,
                        NODELAY_PROPERTY + " is not true in this JVM: each answer may wait about 40 ms for the client's"
                        + " delayed ACK; run it with -D" + NODELAY_PROPERTY + "=true");
            }
            this.server = createServer(address, builder.backlog);
            this.executor = Executors.newFixedThreadPool(builder.threads, daemonThreads("bitrix24-emulator-"));
            server.setExecutor(executor);
        }
        if (externalOAuthServerUrl == null) {
            // the OAuth server is another host in Bitrix24 (oauth.bitrix.info): its own server, not queued behind the
            // portal
            this.oauthServer = createServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            this.oauthExecutor = Executors.newFixedThreadPool(2, daemonThreads("bitrix24-emulator-oauth-"));
            oauthServer.setExecutor(oauthExecutor);
        } else {
            this.oauthServer = null;
            this.oauthExecutor = null;
        }
        this.language = PortalLanguage.of(builder.language);
        this.rest = new RestHandler(new CrmMethods(data, access, language, builder.legacyDelete), access, requests, clock,
                limits, https, faults, builder.selfHosted);
        rest.setHttpsRequired(builder.httpsRequired);
        if (server != null) {
            server.createContext("/rest/", rest);
        }
        this.oauth = new OAuthHandler(java.util.List.of(this));
        if (oauthServer != null) {
            oauthServer.createContext("/oauth/token/", oauth);
            oauthServer.createContext("/rest/app.info", new AppInfoHandler(java.util.List.of(this)));
        }
    }

    private HttpServer createServer(InetSocketAddress address, int backlog) throws IOException {
        if (!https) {
            return HttpServer.create(address, backlog);
        }
        HttpsServer httpsServer = HttpsServer.create(address, backlog);
        httpsServer.setHttpsConfigurator(new HttpsConfigurator(serverSslContext()));
        return httpsServer;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    private Bitrix24Emulator begin() {
        if (server != null) {
            server.start();
        }
        if (oauthServer != null) {
            oauthServer.start();
        }
        return this;
    }

    public int port() {
        return server == null ? frontPort : server.getAddress().getPort();
    }

    /**
     * The portal's address changes to {@code newLoopbackHost}, as a Bitrix24 portal's does when its owner renames it:
     * it answers there from now on, the OAuth server's refresh answers and {@code app.info} name the new address, and
     * the old one answers every REST call with a 302 to the same path at the new one (dev.1c-bitrix.ru
     * rest_help/rest_sum/change_domen.php: "Битрикс24 делает редирект на новый"), running nothing. Only for a portal
     * with an address of its own.
     */
    public synchronized void moveTo(String newLoopbackHost) throws IOException {
        if (server == null) {
            throw new IllegalStateException("a virtual host of a cloud's server has no address of its own to move");
        }
        InetAddress bound = InetAddress.getByName(newLoopbackHost);
        if (!bound.isLoopbackAddress()) {
            throw new IllegalArgumentException("the emulator listens on loopback only, not on " + newLoopbackHost);
        }
        HttpServer moved = createServer(new InetSocketAddress(bound, 0), 256);
        moved.setExecutor(executor);
        moved.createContext("/rest/", rest);
        moved.start();
        HttpServer former = server;
        former.removeContext("/rest/");
        server = moved;
        host = newLoopbackHost;
        String newBase = baseUrl();
        former.createContext("/rest/", exchange -> {
            try (exchange) {
                AnswerWriter.readBody(exchange.getRequestBody());
                exchange.getResponseHeaders().add("Location", newBase + exchange.getRequestURI().getRawPath());
                exchange.sendResponseHeaders(302, -1);
            }
        });
        formerServers.add(former);
    }

    /** What answers this portal's {@code /rest/} requests: for a cloud's shared server to hand them to. */
    HttpHandler restHandler() {
        return rest;
    }

    /** {@code http(s)://127.0.0.1:port} (or the loopback address it was given): the portal address. */
    public String baseUrl() {
        return (https ? "https" : "http") + "://" + domain();
    }

    /** The portal's domain as Bitrix24 names it in events and OAuth answers: its host and port here. */
    public String domain() {
        return host + ":" + port();
    }

    /** The portal's REST address, {@code client_endpoint} in OAuth answers and events. */
    public String restUrl() {
        return baseUrl() + "/rest/";
    }

    /** The installation's {@code member_id}: the portal's identity for applications, kept when its address changes. */
    public String memberId() {
        return memberId;
    }

    /** The {@code application_token} given to the application at its install, or null before it. */
    public String applicationToken() {
        return applicationToken;
    }

    void setApplicationToken(String applicationToken) {
        this.applicationToken = applicationToken;
    }

    /** The inbound webhook URL, {@code {base}/rest/{userId}/{code}/}. Holds the webhook secret. */
    public String webhookUrl() {
        return baseUrl() + "/rest/" + webhookUserId + "/" + webhookCode + "/";
    }

    public String webhookCode() {
        return webhookCode;
    }

    public String portalUrl() {
        return baseUrl();
    }

    /**
     * The OAuth server's address, {@code http(s)://127.0.0.1:port} of its own (Bitrix24's is another host), or the
     * cloud's that serves this portal.
     */
    public String oauthServerUrl() {
        return oauthServer == null ? externalOAuthServerUrl
                : (https ? "https" : "http") + "://127.0.0.1:" + oauthServer.getAddress().getPort();
    }

    /** The portal's language: the texts the server takes from its lang/ files are in it. */
    public PortalLanguage language() {
        return language;
    }

    public PortalData data() {
        return data;
    }

    public AccessControl access() {
        return access;
    }

    public RequestLog requests() {
        return requests;
    }

    /** The rate, operating-time and latency limits of this portal, off until set. */
    public PortalLimits limits() {
        return limits;
    }

    /** The faults injected into REST calls, by kind and rate; none until set. */
    public FaultInjection faults() {
        return faults;
    }

    /** How many times the OAuth token endpoint was called. */
    public long oauthRequestCount() {
        return oauth.refreshCount();
    }

    /** The OAuth server answers only after this pause, as a slow network to oauth.bitrix.info would. */
    public void setOAuthDelay(Duration delay) {
        oauth.setDelayMillis(delay.toMillis());
    }

    /** Answers the next REST requests, in order, with these answers instead of running them. */
    public void script(Answer... answers) {
        for (Answer answer : answers) {
            rest.script(answer);
        }
    }

    public void clearScript() {
        rest.clearScript();
    }

    /**
     * REST requests are received and recorded as usual, then wait to be answered until {@code until} completes (30 s
     * at most), so a test can tell how many a client sends at once without timing them; null answers at once again.
     */
    public void holdAnswers(java.util.concurrent.CompletableFuture<?> until) {
        rest.holdAnswers(until);
    }

    /** The OAuth server answers the next {@code count} requests with HTTP 503, spending nothing. */
    public void failNextOAuthRequests(int count) {
        oauth.failNext(count);
    }

    /** Plain HTTP calls answer {@code INVALID_REQUEST}, as a cloud portal does. */
    public void setHttpsRequired(boolean httpsRequired) {
        rest.setHttpsRequired(httpsRequired);
    }

    /** Every call answers {@code PORTAL_DELETED}. */
    public void setPortalDeleted(boolean deleted) {
        rest.setPortalDeleted(deleted);
    }

    @Override
    public void close() {
        if (server != null) {
            server.stop(0);
        }
        formerServers.forEach(former -> former.stop(0));
        if (oauthServer != null) {
            oauthServer.stop(0);
            oauthExecutor.shutdownNow();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
        try {
            // both pools: a test that closes the emulator finds no thread of it still answering
            if (executor != null) {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
            if (oauthExecutor != null) {
                oauthExecutor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static SSLContext serverSslContext() {
        try (InputStream in = Bitrix24Emulator.class.getClassLoader().getResourceAsStream(KEYSTORE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + KEYSTORE_RESOURCE);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, STORE_PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keyStore, STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the emulator's key store", e);
        }
    }

    /** Settings of an emulated portal; {@link #start()} binds it to loopback. */
    public static final class Builder {
        private int port;
        private String host = "127.0.0.1";
        private String memberId = randomMemberId();
        private String externalOAuthServerUrl;
        private boolean https;
        private boolean httpsRequired;
        private int webhookUserId = 1;
        private String webhookCode = randomCode();
        private String[] webhookScopes = { "crm" };
        private String clientId = DEFAULT_CLIENT_ID;
        private String clientSecret = randomCode();
        private Duration accessTokenLifetime = Duration.ofHours(1);
        private int seedLeads;
        private int seedContacts;
        private int seedDeals;
        private int seedCompanies;
        // the JDK server hands a connection to a thread as soon as it is readable, and over TLS that thread then waits
        // for the request: a client holding open connections until its turn (as the component does, up to
        // maxConnections 64) would hold that many threads, and with fewer the requests of other connections wait
        // (seen as answers seconds late). A portal's web server holds no worker for a connection that sent nothing yet.
        private int threads = 256;
        private int rateBurst;
        private double ratePerSecond;
        private int backlog = 256;
        private int frontPort;
        private String language = "en";
        private boolean legacyDelete;
        private boolean selfHosted;

        /**
         * The portal's language ({@code en} by default, {@code ru}, {@code ua}, {@code kz}, {@code de}, {@code br},
         * {@code la}, {@code fr}, {@code pl}, {@code it}, or the test-only {@link PortalLanguage#PSEUDO}): the
         * language of the error texts the server takes from its lang/ files.
         */
        public Builder language(String language) {
            PortalLanguage.of(language);
            this.language = language;
            return this;
        }

        /**
         * Lead and contact deletes as on a portal whose CRM factory mode is off (older builds, PostgreSQL, or the
         * option set to N): a missing lead answers its own lang text, a missing contact an empty code and text.
         */
        public Builder legacyDelete(boolean legacyDelete) {
            this.legacyDelete = legacyDelete;
            return this;
        }

        /**
         * A self-hosted portal, whose load limiter is off by default: answers carry no {@code operating} fields and no
         * method is held for its operating time.
         */
        public Builder selfHosted(boolean selfHosted) {
            this.selfHosted = selfHosted;
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder https(boolean https) {
            this.https = https;
            return this;
        }

        public Builder httpsRequired(boolean httpsRequired) {
            this.httpsRequired = httpsRequired;
            return this;
        }

        public Builder webhook(int userId, String code, String... scopes) {
            this.webhookUserId = userId;
            this.webhookCode = code;
            this.webhookScopes = scopes.length == 0 ? new String[] { "crm" } : scopes;
            return this;
        }

        public Builder oauthApplication(String clientId, String clientSecret) {
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            return this;
        }

        public Builder accessTokenLifetime(Duration lifetime) {
            this.accessTokenLifetime = lifetime;
            return this;
        }

        public Builder seedLeads(int count) {
            this.seedLeads = count;
            return this;
        }

        public Builder seedContacts(int count) {
            this.seedContacts = count;
            return this;
        }

        public Builder seedDeals(int count) {
            this.seedDeals = count;
            return this;
        }

        /** {@code count} companies of the default category. */
        public Builder seedCompanies(int count) {
            this.seedCompanies = count;
            return this;
        }

        /** Enforce Bitrix24's request-rate limit (cloud: 50 and 2/s). */
        public Builder rateLimit(int burst, double perSecond) {
            this.rateBurst = burst;
            this.ratePerSecond = perSecond;
            return this;
        }

        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Bitrix24Emulator start() {
            try {
                return new Bitrix24Emulator(this).begin();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the Bitrix24 emulator", e);
            }
        }

        /** A loopback address of its own ({@code 127.0.1.1}, ...), as the portals of a cloud each have one. */
        public Builder address(String loopbackHost) {
            this.host = loopbackHost;
            return this;
        }

        /** The installation's {@code member_id} (32 hexadecimal characters by default, random). */
        public Builder memberId(String memberId) {
            this.memberId = memberId;
            return this;
        }

        /**
         * A virtual host of a cloud's shared server: named {@code hostName} (which a client resolves to loopback), on
         * that server's {@code port}, no server of its own.
         */
        Builder virtualHost(String hostName, int port) {
            this.host = hostName;
            this.frontPort = port;
            return this;
        }

        /** A portal of a cloud: no OAuth server of its own, the cloud's at {@code url} serves it. */
        Builder servedBy(String oauthServerUrl) {
            this.externalOAuthServerUrl = oauthServerUrl;
            return this;
        }

        private static String randomMemberId() {
            byte[] bytes = new byte[16];
            new SecureRandom().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }

        private static String randomCode() {
            byte[] bytes = new byte[8];
            new SecureRandom().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }
    }

    /**
     * Writes the trust store that holds the emulator's certificate (PKCS12, password {@link #STORE_PASSWORD}) to a file,
     * for clients that take a trust store path, such as Camel Main's {@code camel.ssl.trustStore}.
     */
    public static void exportTrustStore(java.nio.file.Path file) throws IOException {
        try (InputStream in = Bitrix24Emulator.class.getClassLoader().getResourceAsStream(TRUSTSTORE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + TRUSTSTORE_RESOURCE);
            }
            java.nio.file.Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
            java.nio.file.Files.copy(in, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
