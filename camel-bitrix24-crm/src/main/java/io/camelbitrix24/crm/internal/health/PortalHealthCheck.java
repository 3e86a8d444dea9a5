package io.camelbitrix24.crm.internal.health;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.call.Call;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.FailureKind;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.Response;
import io.camelbitrix24.crm.internal.send.Client;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Whether a portal answers and the credentials work with the {@code crm} scope, found by a cheap read (the REST
 * method {@code scope}, never a delete) through the portal's rate limiter. Its details carry the portal's address.
 */
public final class PortalHealthCheck extends ProbedHealthCheck {

    static final String SCOPE = "scope";

    /** Why a portal is not usable, as the health details say it. */
    enum Reason {
        AUTHENTICATION_REFUSED,
        CRM_SCOPE_MISSING,
        PORTAL_UNREACHABLE,
        PORTAL_ERROR
    }

    private final String portal;
    private final Client client;
    private final ObjectMapper mapper;
    private final long timeoutMillis;

    public PortalHealthCheck(String portal, Client client, ObjectMapper mapper, long timeoutMillis,
                              LongSupplier clock) {
        super("producer:bitrix24-crm:" + portal, clock);
        this.portal = portal;
        this.client = client;
        this.mapper = mapper;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    void describe(HealthCheckResultBuilder builder) {
        builder.detail("portal", portal);
    }

    @Override
    Probe read(long at) {
        try {
            Response answer = client.send(new Call(SCOPE, mapper.createObjectNode()))
                    .get(timeoutMillis, TimeUnit.MILLISECONDS);
            List<String> scopes = scopes(answer.result());
            return scopes.contains("crm") ? Probe.up(at)
                    : new Probe(at, Reason.CRM_SCOPE_MISSING, "the webhook or application of " + portal
                                                              + " has no crm scope (it has " + scopes + ")");
        } catch (ExecutionException e) {
            Throwable cause = Futures.unwrap(e.getCause());
            Failure failure = cause instanceof Failure f ? f : null;
            Reason reason = failure == null ? Reason.PORTAL_ERROR
                    : failure.is(FailureKind.AUTHENTICATION) ? Reason.AUTHENTICATION_REFUSED
                    : failure.is(FailureKind.ACCESS_DENIED) ? Reason.CRM_SCOPE_MISSING
                    : failure.getStatusCode() == 0 ? Reason.PORTAL_UNREACHABLE
                    : Reason.PORTAL_ERROR;
            // our failures never carry a credential; anything else is named by its type only
            String why = failure != null ? failure.getMessage() : cause.getClass().getSimpleName();
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
