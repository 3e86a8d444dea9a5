package io.camelbitrix24.crm.internal.health;

import java.util.Map;
import java.util.function.LongSupplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A readiness check whose probe is kept for a while, so health probes do not spend a portal's request budget: a service
 * that is down makes the integration not ready, it does not make its JVM worth restarting. Its details say why it is
 * down as a typed reason, never with a credential.
 */
abstract class ProbedHealthCheck extends AbstractHealthCheck {

    static final long CACHE_MILLIS = 30_000;

    /** What a probe found: up (no reason), or down for a reason, said in a message. */
    record Probe(long atMillis, Enum<?> reason, String message) {

        static Probe up(long atMillis) {
            return new Probe(atMillis, null, null);
        }
    }

    private final LongSupplier clock;
    private volatile Probe last;

    ProbedHealthCheck(String id, LongSupplier clock) {
        super("camel", id);
        this.clock = clock;
    }

    /** A new probe, made at {@code atMillis}. */
    abstract Probe read(long atMillis);

    /** What the details name besides the probe's outcome: what was probed. */
    abstract void describe(HealthCheckResultBuilder builder);

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Probe probe = probe();
        describe(builder);
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
}
