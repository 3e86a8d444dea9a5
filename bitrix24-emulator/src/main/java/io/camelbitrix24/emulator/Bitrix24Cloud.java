package io.camelbitrix24.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

/**
 * Several Bitrix24 portals at once and the one OAuth server they share, as Bitrix24's cloud is to an application
 * installed on many portals: each portal on a loopback address of its own ({@code 127.0.1.1}, {@code 127.0.1.2}, ...),
 * with its own {@code member_id}, records, language, buckets, request log and tokens (a token of one portal is
 * refused by every other); the OAuth server refreshes each portal's tokens and answers {@code app.info}. The cloud
 * posts {@code ONAPPINSTALL} and {@code ONAPPUNINSTALL} to an application's handler as Bitrix24 does. Plain HTTP.
 * <p>
 * For thousands of portals, {@link Builder#hostNames(String)} makes them virtual hosts of one server instead, as
 * Bitrix24's cloud serves many portals from shared front ends: {@code p1.{suffix}}, {@code p2.{suffix}}, ... on
 * 127.0.0.1, told apart by the request's {@code Host}; a client resolves the names with the file
 * {@link #writeHostsFile(Path)} writes ({@code -Djdk.net.hosts.file}).
 */
public final class Bitrix24Cloud implements AutoCloseable {

    /** The application's client id unless {@link Builder#application(String, String)} sets one. */
    public static final String DEFAULT_CLIENT_ID = "local.cloud.app";

    private final HttpServer oauthServer;
    private final ExecutorService oauthExecutor;
    // virtual hosts only: the one server of every portal, and each portal by its host name
    private final HttpServer frontServer;
    private final ExecutorService frontExecutor;
    private final Map<String, Bitrix24Emulator> byHostName = new ConcurrentHashMap<>();
    private final List<Bitrix24Emulator> portals = new CopyOnWriteArrayList<>();
    private final OAuthHandler oauth;
    private final String clientId;
    private final String clientSecret;
    // HTTP/1.1, as Bitrix24 posts events (no HTTP/2 upgrade on plain HTTP)
    private final HttpClient events = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Bitrix24Cloud(Builder builder) throws IOException {
        this.clientId = builder.clientId;
        this.clientSecret = builder.clientSecret;
        // 127.0.0.1 as oauthServerUrl() names it, on the portals' port: 127.0.1.x:P and 127.0.0.1:P are apart
        this.oauthServer = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), builder.port),
                256);
        this.oauthExecutor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "bitrix24-cloud-oauth");
            t.setDaemon(true);
            return t;
        });
        oauthServer.setExecutor(oauthExecutor);
        this.oauth = new OAuthHandler(portals);
        oauthServer.createContext("/oauth/token/", oauth);
        oauthServer.createContext("/rest/app.info", new AppInfoHandler(portals));
        oauthServer.start();
        if (builder.hostSuffix != null) {
            this.frontServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
            this.frontExecutor = Executors.newFixedThreadPool(32, r -> {
                Thread t = new Thread(r, "bitrix24-cloud-front");
                t.setDaemon(true);
                return t;
            });
            frontServer.setExecutor(frontExecutor);
            frontServer.createContext("/rest/", this::toVirtualHost);
            frontServer.start();
        } else {
            this.frontServer = null;
            this.frontExecutor = null;
        }
        try {
            for (int i = 0; i < builder.portals; i++) {
                String language = builder.languages.get(i % builder.languages.size());
                Bitrix24Emulator.Builder portal = Bitrix24Emulator.builder().language(language)
                        .oauthApplication(clientId, clientSecret).threads(builder.threadsPerPortal)
                        .rateLimit(builder.rateBurst, builder.ratePerSecond).servedBy(oauthServerUrl())
                        .seedLeads(builder.seedLeads).seedContacts(builder.seedContacts)
                        .seedDeals(builder.seedDeals).seedCompanies(builder.seedCompanies)
                        .legacyDelete(builder.legacyDelete).selfHosted(builder.selfHosted);
                if (builder.webhookCode != null) {
                    portal.webhook(builder.webhookUserId, builder.webhookCode);
                }
                if (frontServer != null) {
                    String hostName = "p" + (i + 1) + "." + builder.hostSuffix;
                    Bitrix24Emulator started = portal.virtualHost(hostName, frontServer.getAddress().getPort()).start();
                    byHostName.put(hostName, started);
                    portals.add(started);
                } else {
                    portals.add(portal.address(loopbackAddress(i)).port(builder.port).start());
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** 127.0.1.1, 127.0.1.2, ...: a loopback address per portal, apart from 127.0.0.1 (the OAuth server's). */
    private static String loopbackAddress(int index) {
        if (index >= 250 * 250) {
            throw new IllegalArgumentException("at most " + 250 * 250 + " portals");
        }
        return "127.0." + (1 + index / 250) + "." + (1 + index % 250);
    }

    /** A request to the shared server, handed to the portal its {@code Host} names; 404 for an unknown host. */
    private void toVirtualHost(HttpExchange exchange) throws IOException {
        String host = exchange.getRequestHeaders().getFirst("Host");
        String name = host == null ? "" : host.replaceFirst(":\\d+$", "").toLowerCase(java.util.Locale.ROOT);
        Bitrix24Emulator portal = byHostName.get(name);
        if (portal == null) {
            try (exchange) {
                exchange.sendResponseHeaders(404, -1);
            }
            return;
        }
        portal.restHandler().handle(exchange);
    }

    /**
     * Writes the virtual hosts' names, each to 127.0.0.1, in the hosts-file form a JVM reads with
     * {@code -Djdk.net.hosts.file}. Only for a cloud made with {@link Builder#hostNames(String)}.
     */
    public void writeHostsFile(Path file) throws IOException {
        if (frontServer == null) {
            throw new IllegalStateException("the portals have addresses of their own: no names to resolve");
        }
        StringBuilder lines = new StringBuilder();
        byHostName.keySet().forEach(name -> lines.append("127.0.0.1 ").append(name).append('\n'));
        Files.writeString(file, lines);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Bitrix24Emulator> portals() {
        return List.copyOf(portals);
    }

    public Bitrix24Emulator portal(int index) {
        return portals.get(index);
    }

    /** The portal of an installation, or null. */
    public Bitrix24Emulator portalOf(String memberId) {
        return portals.stream().filter(p -> p.memberId().equals(memberId)).findFirst().orElse(null);
    }

    /** The OAuth server every portal of the cloud shares, {@code http://127.0.0.1:port}. */
    public String oauthServerUrl() {
        return "http://127.0.0.1:" + oauthServer.getAddress().getPort();
    }

    public String clientId() {
        return clientId;
    }

    /** The application's secret: a secret even here, for the component's configuration only. */
    public String clientSecret() {
        return clientSecret;
    }

    /** Serves {@code path} on the OAuth server's address as well: the standalone emulator's control endpoint. */
    void serveOnOAuthServer(String path, HttpHandler handler) {
        oauthServer.createContext(path, handler);
    }

    /** How many refresh requests the OAuth server answered, for every portal. */
    public long oauthRequestCount() {
        return oauth.refreshCount();
    }

    /** The OAuth server answers only after this pause. */
    public void setOAuthDelay(Duration delay) {
        oauth.setDelayMillis(delay.toMillis());
    }

    /** An installation as the application learns of it from {@code ONAPPINSTALL}. */
    public record Installation(String memberId, String domain, String accessToken, String refreshToken,
                               String applicationToken) {

        @Override
        public String toString() {
            // tokens are secrets, in test output too
            return "Installation[memberId=" + memberId + ", domain=" + domain + "]";
        }
    }

    /**
     * Installs the application on portal {@code index}: tokens for its user 1 and an {@code application_token}, and
     * posts {@code ONAPPINSTALL} to {@code handler} as Bitrix24 does (a form POST); answers the handler's HTTP status.
     */
    public int install(int index, URI handler) throws IOException, InterruptedException {
        return deliver(handler, installEvent(index));
    }

    /**
     * The {@code ONAPPINSTALL} form fields for portal {@code index}, its tokens issued now: b24restdocs
     * api-reference/common/events/on-app-install.md (event, data, ts, auth; the refresh token included, as for no
     * other event: rest_provider.php registers OnAppInstall with sendRefreshToken), with {@code event_handler_id},
     * {@code auth[expires]} and {@code auth[user_id]} as a captured event carries them (b24phpsdk
     * tests/Unit/Services/RemoteEventsFabricTest.php l.57). {@code application_token}: 32 hexadecimal characters, an md5
     * (rest_util.php l.767-779).
     */
    public Map<String, String> installEvent(int index) {
        Bitrix24Emulator portal = portals.get(index);
        AccessControl.TokenPair tokens = portal.access().issueTokens(1);
        String applicationToken = randomHex(16);
        portal.setApplicationToken(applicationToken);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("event", "ONAPPINSTALL");
        form.put("event_handler_id", "1");
        form.put("data[VERSION]", "1");
        form.put("data[ACTIVE]", "Y");
        form.put("data[INSTALLED]", "Y");
        form.put("data[LANGUAGE_ID]", portal.language().code());
        form.put("ts", String.valueOf(System.currentTimeMillis() / 1000));
        form.put("auth[access_token]", tokens.accessToken());
        form.put("auth[expires]", String.valueOf(System.currentTimeMillis() / 1000 + tokens.expiresInSeconds()));
        form.put("auth[expires_in]", String.valueOf(tokens.expiresInSeconds()));
        form.put("auth[scope]", "crm");
        form.put("auth[domain]", portal.domain());
        form.put("auth[server_endpoint]", oauthServerUrl() + "/rest/");
        form.put("auth[status]", "L");
        form.put("auth[client_endpoint]", portal.restUrl());
        form.put("auth[member_id]", portal.memberId());
        form.put("auth[user_id]", "1");
        form.put("auth[refresh_token]", tokens.refreshToken());
        form.put("auth[application_token]", applicationToken);
        return form;
    }

    /** What the application learns from portal {@code index}'s {@code ONAPPINSTALL} form. */
    public static Installation installation(Map<String, String> installEvent) {
        return new Installation(installEvent.get("auth[member_id]"), installEvent.get("auth[domain]"),
                installEvent.get("auth[access_token]"), installEvent.get("auth[refresh_token]"),
                installEvent.get("auth[application_token]"));
    }

    /**
     * Uninstalls the application from portal {@code index}: its tokens are void at once (API access is already
     * revoked when the event arrives), and {@code ONAPPUNINSTALL} is posted to {@code handler} without tokens
     * (b24restdocs api-reference/common/events/on-app-uninstall.md; rest_provider.php registers OnAppUninstall with
     * sendAuth false, so auth holds the domain, endpoints, member_id and application_token only).
     */
    public int uninstall(int index, URI handler) throws IOException, InterruptedException {
        return deliver(handler, uninstallEvent(index));
    }

    /**
     * The {@code ONAPPUNINSTALL} form fields for portal {@code index}, as {@link #uninstall(int, URI)} posts them; its
     * tokens and {@code application_token} are void from now on, whether or not the form reaches a handler.
     */
    public Map<String, String> uninstallEvent(int index) {
        Bitrix24Emulator portal = portals.get(index);
        portal.access().revokeApplicationTokens();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("event", "ONAPPUNINSTALL");
        form.put("event_handler_id", "2");
        form.put("data[LANGUAGE_ID]", portal.language().code());
        form.put("data[CLEAN]", "0");
        form.put("ts", String.valueOf(System.currentTimeMillis() / 1000));
        form.put("auth[domain]", portal.domain());
        form.put("auth[client_endpoint]", portal.restUrl());
        form.put("auth[server_endpoint]", oauthServerUrl() + "/rest/");
        form.put("auth[member_id]", portal.memberId());
        form.put("auth[application_token]", portal.applicationToken());
        portal.setApplicationToken(null);
        return form;
    }

    /**
     * Posts an event's form fields ({@link #installEvent(int)}, {@link #uninstallEvent(int)}) to {@code handler} as
     * Bitrix24 does, a form POST; answers the handler's HTTP status. The same form may be posted again, as after a
     * handler that was not up yet.
     */
    public int deliver(URI handler, Map<String, String> form) throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                          + URLEncoder.encode(e.getValue() == null ? "" : e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(handler).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return events.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (Bitrix24Emulator portal : portals) {
            try {
                portal.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        oauthServer.stop(0);
        oauthExecutor.shutdownNow();
        if (frontServer != null) {
            frontServer.stop(0);
            frontExecutor.shutdownNow();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** Settings of a cloud; {@link #start()} binds every portal to its own loopback address. */
    public static final class Builder {
        private int portals = 3;
        private String clientId = DEFAULT_CLIENT_ID;
        private String clientSecret = randomHex(16);
        private List<String> languages = List.of("en");
        private int rateBurst;
        private double ratePerSecond;
        private int threadsPerPortal = 8;
        private String hostSuffix;
        private int port;
        private int seedLeads;
        private int seedContacts;
        private int seedDeals;
        private int seedCompanies;
        private int webhookUserId;
        private String webhookCode;
        private boolean legacyDelete;
        private boolean selfHosted;

        public Builder portals(int portals) {
            this.portals = portals;
            return this;
        }

        /**
         * The port of every portal, each on its own loopback address ({@code 127.0.1.1:port}, {@code 127.0.1.2:port},
         * ...), and of the OAuth server ({@code 127.0.0.1:port}); 0 (the default) picks a free port for each. The
         * shared server of {@link #hostNames(String)} picks a free port whatever this says.
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** {@code count} leads in each portal ({@code Lead 1}, ..., status {@code NEW}; none by default). */
        public Builder seedLeads(int count) {
            this.seedLeads = count;
            return this;
        }

        /** {@code count} contacts in each portal ({@code Contact 1}, ...; none by default). */
        public Builder seedContacts(int count) {
            this.seedContacts = count;
            return this;
        }

        /** {@code count} deals in each portal ({@code Deal 1}, ...; none by default). */
        public Builder seedDeals(int count) {
            this.seedDeals = count;
            return this;
        }

        /** {@code count} companies of the default category in each portal ({@code Company 1}, ...; none by default). */
        public Builder seedCompanies(int count) {
            this.seedCompanies = count;
            return this;
        }

        /**
         * Each portal's inbound webhook: user {@code userId} with {@code code} and the {@code crm} scope, at
         * {@link Bitrix24Emulator#webhookUrl()} (by default each portal has user 1 with a random code of its own).
         */
        public Builder webhook(int userId, String code) {
            this.webhookUserId = userId;
            this.webhookCode = code;
            return this;
        }

        /** Every portal's lead and contact deletes as with the CRM factory mode off: see the emulator's builder. */
        public Builder legacyDelete(boolean legacyDelete) {
            this.legacyDelete = legacyDelete;
            return this;
        }

        /** Every portal self-hosted, without the operating-time limit or fields: see the emulator's builder. */
        public Builder selfHosted(boolean selfHosted) {
            this.selfHosted = selfHosted;
            return this;
        }

        /** The application installed on the portals: its client id and secret. */
        public Builder application(String clientId, String clientSecret) {
            this.clientId = clientId;
            this.clientSecret = clientSecret;
            return this;
        }

        /** The portals' languages, in turn ({@code en} for all by default). */
        public Builder languages(String... languages) {
            this.languages = List.of(languages);
            return this;
        }

        /** Each portal's own bucket (off by default). */
        public Builder rateLimit(int burst, double perSecond) {
            this.rateBurst = burst;
            this.ratePerSecond = perSecond;
            return this;
        }

        /**
         * The portals as virtual hosts of one server on 127.0.0.1, named {@code p1.{suffix}}, {@code p2.{suffix}}, ...
         * (one server and one pool of 32 request threads for all: thousands of portals fit in one JVM).
         */
        public Builder hostNames(String suffix) {
            this.hostSuffix = suffix;
            return this;
        }

        /** Request threads of each portal (8: plain HTTP holds no thread for an idle connection). */
        public Builder threadsPerPortal(int threads) {
            this.threadsPerPortal = threads;
            return this;
        }

        public Bitrix24Cloud start() {
            try {
                return new Bitrix24Cloud(this);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the Bitrix24 cloud", e);
            }
        }
    }
}
