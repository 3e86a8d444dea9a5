package io.camelbitrix24.crm;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Whether a portal answers and the credentials work with the {@code crm} scope, found by a cheap read (the REST
 * method {@code scope}, never a delete) through the portal's rate limiter. The answer is kept for a while, so health
 * probes do not spend the portal's request budget. A readiness check only: a portal that is down makes the
 * integration not ready, it does not make its JVM worth restarting. Its details carry the portal's address and a
 * typed reason, never a credential.
 */
final class Bitrix24PortalHealthCheck extends AbstractHealthCheck {

    static final String SCOPE = "scope";
    static final long CACHE_MILLIS = 30_000;

    /** Why a portal is not usable, as the health details say it. */
    enum Reason {
        AUTHENTICATION_REFUSED,
        CRM_SCOPE_MISSING,
        PORTAL_UNREACHABLE,
        PORTAL_ERROR
    }

    private record Probe(long atMillis, Reason reason, String message) {
    }

    private final String portal;
    private final Bitrix24Client client;
    private final ObjectMapper mapper;
    private final long timeoutMillis;
    private final LongSupplier clock;
    private volatile Probe last;

    Bitrix24PortalHealthCheck(String portal, Bitrix24Client client, ObjectMapper mapper, long timeoutMillis,
                              LongSupplier clock) {
        super("camel", "producer:bitrix24-crm:" + portal);
        this.portal = portal;
        this.client = client;
        this.mapper = mapper;
        this.timeoutMillis = timeoutMillis;
        this.clock = clock;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Probe probe = probe();
        builder.detail("portal", portal);
        builder.detail("checked.at", probe.atMillis());
        if (probe.reason() == null) {
            builder.up();
            return;
        }
        builder.detail("reason", probe.reason().name());
        builder.message(probe.message());
        builder.down();
    }

    /** The last probe while it is fresh, else a new one; one at a time. */
    private synchronized Probe probe() {
        Probe current = last;
        long now = clock.getAsLong();
        if (current == null || now - current.atMillis() >= CACHE_MILLIS) {
            current = read(now);
            last = current;
        }
        return current;
    }

    private Probe read(long at) {
        try {
            Bitrix24Response answer = client.send(new Bitrix24Call(SCOPE, mapper.createObjectNode()))
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            List<String> scopes = scopes(answer.result());
            return scopes.contains("crm") ? new Probe(at, null, null)
                    : new Probe(at, Reason.CRM_SCOPE_MISSING, "the webhook or application of " + portal
                                                              + " has no crm scope (it has " + scopes + ")");
        } catch (ExecutionException e) {
            Throwable cause = Bitrix24Client.unwrap(e.getCause());
            Reason reason = cause instanceof Bitrix24AuthenticationException ? Reason.AUTHENTICATION_REFUSED
                    : cause instanceof Bitrix24AccessDeniedException ? Reason.CRM_SCOPE_MISSING
                    : cause instanceof Bitrix24Exception b && b.getStatusCode() == 0 ? Reason.PORTAL_UNREACHABLE
                    : Reason.PORTAL_ERROR;
            // our exceptions never carry a credential; anything else is named by its type only
            String why = cause instanceof Bitrix24Exception ? cause.getMessage() : cause.getClass().getSimpleName();
            return new Probe(at, reason, why);
        } catch (TimeoutException e) {
            return new Probe(at, Reason.PORTAL_UNREACHABLE, "no answer from " + portal + " within " + timeoutMillis
                                                            + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Probe(at, Reason.PORTAL_UNREACHABLE, "interrupted");
        }
    }

    private static List<String> scopes(JsonNode result) {
        List<String> scopes = new java.util.ArrayList<>();
        result.forEach(scope -> scopes.add(scope.asText()));
        return scopes;
    }
}
