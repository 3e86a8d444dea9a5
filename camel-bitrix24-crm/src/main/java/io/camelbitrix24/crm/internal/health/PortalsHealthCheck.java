package io.camelbitrix24.crm.internal.health;

import java.net.URI;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.TransportFailures;
import io.camelbitrix24.crm.internal.call.Urls;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Many-portal mode's one health check, however many portals it serves: the portal registry can be read, and the OAuth
 * server (that refreshes every installation's tokens and confirms installs) answers. Neither probe calls a portal or
 * spends a token: the registry is asked for an installation that is never there, the OAuth server for {@code app.info}
 * without a token (any HTTP answer below 500 shows it up). Its details carry the OAuth server's address and the
 * registry's type.
 */
public final class PortalsHealthCheck extends ProbedHealthCheck {

    /** A member_id no installation has: letters and digits, as the header's. */
    static final String PROBE_MEMBER_ID = "healthcheck";

    /** Why many-portal mode is not usable, as the health details say it. */
    enum Reason {
        REGISTRY_UNREADABLE,
        OAUTH_SERVER_UNREACHABLE,
        OAUTH_SERVER_ERROR
    }

    private final Bitrix24PortalRegistry registry;
    private final HttpTransport transport;
    private final String oauthServer;
    private final long timeoutMillis;

    public PortalsHealthCheck(Bitrix24PortalRegistry registry, HttpTransport transport, String oauthServerUrl,
                               long timeoutMillis, LongSupplier clock) {
        super("producer:bitrix24-crm:portals", clock);
        this.registry = registry;
        this.transport = transport;
        this.oauthServer = Urls.withSlash(oauthServerUrl);
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    void describe(HealthCheckResultBuilder builder) {
        builder.detail("oauth.server", Urls.portalAddress(oauthServer));
        builder.detail("registry", registry.getClass().getName());
    }

    @Override
    Probe read(long at) {
        try {
            registry.find(PROBE_MEMBER_ID);
        } catch (RuntimeException e) {
            // the type only: a registry's message may quote its address and password
            return new Probe(at, Reason.REGISTRY_UNREADABLE, "the portal registry could not be read ("
                                                             + e.getClass().getName() + ")");
        }
        try {
            int status = transport.getFirst(URI.create(oauthServer + "rest/app.info"))
                    .get(timeoutMillis, TimeUnit.MILLISECONDS).status();
            return status < 500 ? Probe.up(at)
                    : new Probe(at, Reason.OAUTH_SERVER_ERROR, "the OAuth server answered HTTP " + status);
        } catch (ExecutionException e) {
            Throwable cause = Futures.unwrap(e.getCause());
            return new Probe(at, Reason.OAUTH_SERVER_UNREACHABLE, TransportFailures.of("app.info",
                    "connecting", cause).getMessage());
        } catch (TimeoutException e) {
            return new Probe(at, Reason.OAUTH_SERVER_UNREACHABLE, "no answer from the OAuth server within "
                                                                  + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(at, Reason.OAUTH_SERVER_UNREACHABLE, "interrupted");
        }
    }
}
