package io.camelbitrix24.crm;

import java.time.Instant;
import java.util.Locale;

import io.camelbitrix24.crm.internal.send.PortalActivity;
import io.camelbitrix24.crm.internal.send.PortalFigures;
import io.camelbitrix24.crm.spi.Bitrix24BucketState;

/** The dev console as a person reads it: a line of totals, a table of the portals, then holds and last failures. */
final class Bitrix24ConsoleText {

    private static final String COLUMNS = " %8s %9s %9s %7s %8s %7s %14s %9s%n";

    private Bitrix24ConsoleText() {
    }

    static String of(Bitrix24ConsoleView view) {
        StringBuilder text = new StringBuilder();
        PortalFigures totals = view.totals().figures();
        text.append(String.format(Locale.ROOT, "Bitrix24 CRM: %d portal%s, %d call%s waiting, %d request%s at the"
                                               + " portals, %s%n", view.portalCount(), plural(view.portalCount()),
                totals.waiting(), plural(totals.waiting()), totals.inFlight(), plural(totals.inFlight()),
                drain(view.totals().drainSeconds())));
        if (view.portalCount() == 0) {
            return text.toString();
        }
        // as wide as the longest portal's name: a member_id and host are 50 characters
        int width = Math.max(12, view.shown().stream().mapToInt(f -> f.portal().length()).max().orElse(0));
        String row = "%-" + width + "s" + COLUMNS;
        text.append(String.format(Locale.ROOT, row, "PORTAL", "WAITING", "IN FLIGHT", "REQUESTS", "BATCH",
                "REFUSALS", "RETRIES", "BUCKET", "DRAIN"));
        for (PortalFigures f : view.shown()) {
            row(text, row, f, f.drainSeconds());
        }
        if (view.others() != null) {
            row(text, row, view.others().figures(), view.others().drainSeconds());
        }
        row(text, row, totals, view.totals().drainSeconds());
        for (PortalFigures f : view.shown()) {
            for (PortalFigures.Hold hold : f.holds()) {
                text.append(String.format(Locale.ROOT, "%s: %s held until %s (operating time spent)%n", f.portal(),
                        hold.method(), Instant.ofEpochMilli(hold.untilEpochMillis())));
            }
            PortalActivity.LastError last = f.lastError();
            if (last != null) {
                text.append(String.format(Locale.ROOT, "%s: last failure at %s, %s: %s%n", f.portal(),
                        Instant.ofEpochMilli(last.atEpochMillis()), last.type(), last.message()));
            }
            if (f.refreshesGranted() + f.refreshesRefused() > 0) {
                text.append(String.format(Locale.ROOT, "%s: token refreshes %d granted, %d refused%n", f.portal(),
                        f.refreshesGranted(), f.refreshesRefused()));
            }
        }
        return text.toString();
    }

    private static void row(StringBuilder text, String row, PortalFigures f, Double drainSeconds) {
        Bitrix24BucketState b = f.bucket();
        String bucket = b == null ? "-" : String.format(Locale.ROOT, "%.0f/%d %s/s", b.level(), b.size(),
                b.perSecond() == Math.rint(b.perSecond()) ? String.valueOf((long) b.perSecond()) : b.perSecond());
        text.append(String.format(Locale.ROOT, row, f.portal(), f.waiting(), f.inFlight(), f.requests(),
                f.batchRequests(), f.refusals(), f.retries(), bucket,
                drainSeconds == null ? "?" : String.format(Locale.ROOT, "%.0f s", Math.ceil(drainSeconds))));
    }

    private static String drain(Double seconds) {
        if (seconds == null) {
            return "drain time unknown";
        }
        return seconds == 0 ? "nothing to drain" : String.format(Locale.ROOT, "drains in about %.0f s",
                Math.ceil(seconds));
    }

    private static String plural(int count) {
        return count == 1 ? "" : "s";
    }
}
