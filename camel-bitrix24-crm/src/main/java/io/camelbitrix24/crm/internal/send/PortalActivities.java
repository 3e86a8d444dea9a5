package io.camelbitrix24.crm.internal.send;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24LimiterKey;

/**
 * The activity of every portal a component calls, one per portal, shared by the endpoints calling it and kept while
 * one of them keeps the portal's client: what the dev console and JMX read. Tells every activity's events to the
 * component's meters, which may be set after the first portal is used.
 */
public final class PortalActivities {

    private final UseCounted<String, PortalActivity> activities = new UseCounted<>();
    private final ActivityMeters toMeters = new ActivityMeters() {
        @Override
        public void request(String portal, PortalActivity.RequestKind kind, long waitedNanos) {
            meters.request(portal, kind, waitedNanos);
        }

        @Override
        public void refusal(String portal, String code) {
            meters.refusal(portal, code);
        }

        @Override
        public void retry(String portal) {
            meters.retry(portal);
        }

        @Override
        public void call(String method, String outcome) {
            meters.call(method, outcome);
        }
    };
    private volatile ActivityMeters meters = ActivityMeters.NONE;

    /** The activity of {@code portal} (how people name it: a host, or a member_id and host), made by its first user. */
    public PortalActivity acquire(String portal, Bitrix24Limiter limiter, Bitrix24LimiterKey key) {
        return activities.acquire(portal, () -> new PortalActivity(portal, limiter, key, toMeters,
                System::currentTimeMillis));
    }

    /** One user of {@code activity} is done with it: dropped with its last user. */
    public void release(PortalActivity activity) {
        activities.release(activity);
    }

    /** The figures of every portal in use now. */
    public List<PortalFigures> figures() {
        List<PortalActivity> all = new ArrayList<>();
        activities.forEach(portal -> true, all::add);
        return all.stream().map(PortalActivity::figures).toList();
    }

    /** Where the events go from now on. */
    public void setMeters(ActivityMeters meters) {
        this.meters = meters == null ? ActivityMeters.NONE : meters;
    }

    /** The component's meters: for what is counted outside a portal's client (each exchange's outcome). */
    public ActivityMeters meters() {
        return toMeters;
    }

    /** Calls waiting for their turn now, every portal's. */
    public int waiting() {
        return sum(PortalActivity::waiting);
    }

    /** Requests at the portals now. */
    public int inFlight() {
        return sum(PortalActivity::inFlight);
    }

    private int sum(ToIntFunction<PortalActivity> figure) {
        int[] sum = {0};
        activities.forEach(portal -> true, activity -> sum[0] += figure.applyAsInt(activity));
        return sum[0];
    }
}
