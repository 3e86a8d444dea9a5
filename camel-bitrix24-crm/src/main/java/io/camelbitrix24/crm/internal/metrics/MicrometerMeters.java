package io.camelbitrix24.crm.internal.metrics;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import io.camelbitrix24.crm.internal.send.ActivityMeters;
import io.camelbitrix24.crm.internal.send.PortalActivities;
import io.camelbitrix24.crm.internal.send.PortalActivity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import org.apache.camel.CamelContext;

/**
 * The component's activity as Micrometer meters. Tags stay few whatever the number of portals: methods, outcomes,
 * request kinds and refusal codes, and a portal only for the portals named to be tagged. Meters are looked up once per
 * tag set and kept, so a call does a map lookup and an add.
 */
final class MicrometerMeters implements ActivityMeters {

    static final String CALLS = "bitrix24.crm.calls";
    static final String REQUESTS = "bitrix24.crm.requests";
    static final String REFUSALS = "bitrix24.crm.refusals";
    static final String RETRIES = "bitrix24.crm.retries";
    static final String WAIT = "bitrix24.crm.wait";
    static final String WAITING = "bitrix24.crm.waiting";
    static final String IN_FLIGHT = "bitrix24.crm.inflight";
    static final String OTHER = "other";

    private static final Map<MeterRegistry, Set<PortalActivities>> GAUGED = new WeakHashMap<>();

    private final MeterRegistry registry;
    private final Set<String> taggedPortals;
    private final Map<Key, Counter> counters = new ConcurrentHashMap<>();
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    /** A meter's name and tag values: looked up per event without building a string. */
    private record Key(String name, String portal, String first, String second) {
    }

    private MicrometerMeters(MeterRegistry registry, PortalActivities activities, Set<String> taggedPortals) {
        this.registry = registry;
        this.taggedPortals = Set.copyOf(taggedPortals);
        gauge(registry, activities);
    }

    /**
     * The gauges sum every component's portals: a registry keeps the first gauge of a name, so the gauges are made once
     * per registry, over the activities of every component recording to it (held weakly: a stopped component's go).
     */
    private static void gauge(MeterRegistry registry, PortalActivities activities) {
        Set<PortalActivities> all;
        synchronized (GAUGED) {
            all = GAUGED.get(registry);
            if (all == null) {
                all = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
                GAUGED.put(registry, all);
                Set<PortalActivities> summed = all;
                Gauge.builder(WAITING, summed, set -> sum(set, PortalActivities::waiting))
                        .description("Bitrix24 CRM calls waiting for their turn").strongReference(true)
                        .register(registry);
                Gauge.builder(IN_FLIGHT, summed, set -> sum(set, PortalActivities::inFlight))
                        .description("Bitrix24 CRM requests sent and not yet answered").strongReference(true)
                        .register(registry);
            }
        }
        all.add(activities);
    }

    private static double sum(Set<PortalActivities> all, ToIntFunction<PortalActivities> figure) {
        synchronized (all) {
            return all.stream().mapToInt(figure).sum();
        }
    }

    /**
     * The meters of {@code context}'s {@code MeterRegistry}: the one bound, or of several the composite that feeds the
     * others (Spring Boot makes one when it exports to more than one system); none when there is none.
     */
    static ActivityMeters of(CamelContext context, PortalActivities activities, Set<String> taggedPortals) {
        Set<MeterRegistry> bound = context.getRegistry().findByType(MeterRegistry.class);
        List<MeterRegistry> composites = bound.stream().filter(CompositeMeterRegistry.class::isInstance).toList();
        MeterRegistry registry = bound.size() == 1 ? bound.iterator().next()
                : composites.size() == 1 ? composites.get(0) : null;
        return registry == null ? ActivityMeters.NONE : new MicrometerMeters(registry, activities, taggedPortals);
    }

    @Override
    public void request(String portal, PortalActivity.RequestKind kind, long waitedNanos) {
        String kindTag = kind.tag();
        counter(REQUESTS, "Bitrix24 CRM HTTP requests sent, a batch call counted once", portal, "kind", kindTag)
                .increment();
        String tag = portalTag(portal);
        Key key = new Key(WAIT, tag, kindTag, null);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, k -> Timer.builder(WAIT)
                    .description("How long a Bitrix24 CRM request waited for its turn in the portal's bucket")
                    .tags(withPortal(Tags.of("kind", kindTag), tag)).register(registry));
        }
        timer.record(Math.max(0, waitedNanos), TimeUnit.NANOSECONDS);
    }

    @Override
    public void refusal(String portal, String code) {
        counter(REFUSALS, "Bitrix24 CRM answers refusing a call for the portal's limits", portal, "code", code)
                .increment();
    }

    @Override
    public void retry(String portal) {
        counter(RETRIES, "Bitrix24 CRM calls sent again after a failure", portal, null, null).increment();
    }

    @Override
    public void call(String method, String outcome) {
        Key key = new Key(CALLS, null, method, outcome);
        Counter counter = counters.get(key);
        if (counter == null) {
            counter = counters.computeIfAbsent(key, k -> Counter.builder(CALLS)
                    .description("Bitrix24 CRM exchanges and batch items ended, by method and outcome")
                    .tags("method", method, "outcome", outcome).register(registry));
        }
        counter.increment();
    }

    private Counter counter(String name, String description, String portal, String tagKey, String value) {
        String tag = portalTag(portal);
        Key key = new Key(name, tag, value, null);
        Counter counter = counters.get(key);
        return counter != null ? counter : counters.computeIfAbsent(key, k -> Counter.builder(name)
                .description(description)
                .tags(withPortal(tagKey == null ? Tags.empty() : Tags.of(tagKey, value), tag)).register(registry));
    }

    /** The portal's tag value, or null when portals are not tagged. */
    private String portalTag(String portal) {
        if (taggedPortals.isEmpty()) {
            return null;
        }
        for (String tagged : taggedPortals) {
            if (portal.equals(tagged) || portal.startsWith(tagged + " ")) {
                return tagged;
            }
        }
        return OTHER;
    }

    private static Tags withPortal(Tags tags, String portalTag) {
        return portalTag == null ? tags : tags.and("portal", portalTag);
    }
}
