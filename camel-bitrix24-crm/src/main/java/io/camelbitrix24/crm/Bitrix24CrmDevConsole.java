package io.camelbitrix24.crm;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.camelbitrix24.crm.internal.send.PortalActivity;
import io.camelbitrix24.crm.internal.send.PortalFigures;
import io.camelbitrix24.crm.spi.Bitrix24BucketState;
import org.apache.camel.Component;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * The {@code bitrix24-crm} dev console: what the calls to each portal are doing (calls waiting for their turn, requests
 * at the portal, what was sent, refused and retried, the bucket, held methods, the last failure, token refreshes, and
 * when the backlog drains at the current pace), the busiest portals first, at most {@code limit} of them (default 25),
 * the rest summed. Found by Camel's dev console resolver from this jar; shown by Camel Main's and Spring Boot's dev
 * console endpoints and the {@code camel} CLI.
 */
@org.apache.camel.spi.annotations.DevConsole(name = "bitrix24-crm", displayName = "Bitrix24 CRM",
                                             description = "Bitrix24 CRM portals: backlog, bucket, requests and refusals")
public class Bitrix24CrmDevConsole extends AbstractDevConsole {

    /** The option that bounds how many portals are shown one by one. */
    public static final String LIMIT = "limit";
    static final int DEFAULT_LIMIT = 25;

    public Bitrix24CrmDevConsole() {
        super("camel", "bitrix24-crm", "Bitrix24 CRM", "Bitrix24 CRM portals: backlog, bucket, requests and refusals");
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        Bitrix24ConsoleView view = view(options);
        return Bitrix24ConsoleText.of(view);
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        Bitrix24ConsoleView view = view(options);
        JsonObject root = new JsonObject();
        JsonArray portals = new JsonArray();
        view.shown().forEach(f -> portals.add(json(f, f.drainSeconds())));
        root.put("portals", portals);
        root.put("totals", totals(view.totals(), view.portalCount()));
        if (view.others() != null) {
            root.put("others", totals(view.others(), view.portalCount() - view.shown().size()));
        }
        return root;
    }

    private Bitrix24ConsoleView view(Map<String, Object> options) {
        return Bitrix24ConsoleView.of(allFigures(), limit(options));
    }

    private static int limit(Map<String, Object> options) {
        Object limit = options == null ? null : options.get(LIMIT);
        try {
            return limit == null ? DEFAULT_LIMIT : Math.max(0, Integer.parseInt(limit.toString().strip()));
        } catch (NumberFormatException e) {
            return DEFAULT_LIMIT;
        }
    }

    /** Every portal of every bitrix24-crm component of the context (a component named twice counted once). */
    private List<PortalFigures> allFigures() {
        List<PortalFigures> all = new ArrayList<>();
        Set<Component> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (String name : getCamelContext().getComponentNames()) {
            Component component = getCamelContext().hasComponent(name);
            if (component instanceof Bitrix24CrmComponent crm && seen.add(crm)) {
                all.addAll(crm.sharedResources().activities().figures());
            }
        }
        all.sort(Comparator.comparingInt((PortalFigures f) -> f.waiting() + f.inFlight()).reversed()
                .thenComparing(Comparator.comparingLong(PortalFigures::requests).reversed()));
        return all;
    }

    private static JsonObject totals(PortalFigures.Summed summed, int portals) {
        JsonObject totals = json(summed.figures(), summed.drainSeconds());
        totals.remove("portal");
        totals.put("portals", portals);
        return totals;
    }

    static JsonObject json(PortalFigures f, Double drainSeconds) {
        JsonObject o = new JsonObject();
        o.put("portal", f.portal());
        o.put("waiting", f.waiting());
        o.put("inFlight", f.inFlight());
        o.put("requests", f.requests());
        o.put("batchRequests", f.batchRequests());
        o.put("reads", f.reads());
        o.put("refusals", f.refusals());
        o.put("retries", f.retries());
        o.put("commandsPerBatch", round(f.commandsPerBatch()));
        Bitrix24BucketState bucket = f.bucket();
        if (bucket != null) {
            JsonObject b = new JsonObject();
            b.put("level", round(bucket.level()));
            b.put("size", bucket.size());
            b.put("perSecond", bucket.perSecond());
            o.put("bucket", b);
        }
        JsonArray held = new JsonArray();
        for (PortalFigures.Hold hold : f.holds()) {
            JsonObject h = new JsonObject();
            h.put("method", hold.method());
            h.put("until", Instant.ofEpochMilli(hold.untilEpochMillis()).toString());
            held.add(h);
        }
        o.put("held", held);
        PortalActivity.LastError last = f.lastError();
        if (last != null) {
            JsonObject e = new JsonObject();
            e.put("type", last.type());
            e.put("message", last.message());
            e.put("at", Instant.ofEpochMilli(last.atEpochMillis()).toString());
            o.put("lastError", e);
        }
        JsonObject refreshes = new JsonObject();
        refreshes.put("granted", f.refreshesGranted());
        refreshes.put("refused", f.refreshesRefused());
        o.put("tokenRefreshes", refreshes);
        o.put("drainSeconds", drainSeconds == null ? null : round(drainSeconds));
        return o;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
