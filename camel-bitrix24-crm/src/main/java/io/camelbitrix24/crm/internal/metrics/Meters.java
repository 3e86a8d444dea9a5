package io.camelbitrix24.crm.internal.metrics;

import java.util.Set;

import io.camelbitrix24.crm.internal.send.ActivityMeters;
import io.camelbitrix24.crm.internal.send.PortalActivities;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters a component records to: Micrometer's, when it is on the class path and Camel's registry holds one
 * {@code MeterRegistry} (Spring Boot's, or one the user binds); else none. No Micrometer type shows here, so this class
 * loads without Micrometer.
 */
public final class Meters {

    private static final Logger LOG = LoggerFactory.getLogger(Meters.class);
    private static final String REGISTRY_CLASS = "io.micrometer.core.instrument.MeterRegistry";

    private Meters() {
    }

    /**
     * The meters of {@code context}'s registry, counting {@code activities}; {@code taggedPortals}: the portals whose
     * meters carry their name in a {@code portal} tag (the rest {@code other}); empty: no portal tag at all.
     */
    public static ActivityMeters of(CamelContext context, PortalActivities activities, Set<String> taggedPortals) {
        try {
            Class.forName(REGISTRY_CLASS, false, Meters.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return ActivityMeters.NONE;
        }
        ActivityMeters meters = MicrometerMeters.of(context, activities, taggedPortals);
        if (meters != ActivityMeters.NONE) {
            LOG.debug("Bitrix24 CRM meters recorded to the application's Micrometer registry");
        }
        return meters;
    }
}
