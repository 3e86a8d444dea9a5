package io.camelbitrix24.crm;

import java.util.List;

import io.camelbitrix24.crm.internal.send.PortalFigures;

/**
 * What the dev console shows: the busiest portals one by one (at most the limit), the rest summed, and the totals.
 * Built from figures the component keeps anyway: nothing per portal is kept for the console.
 */
record Bitrix24ConsoleView(List<PortalFigures> shown, PortalFigures.Summed others, PortalFigures.Summed totals,
                           int portalCount) {

    /** {@code all}: busiest first. */
    static Bitrix24ConsoleView of(List<PortalFigures> all, int limit) {
        List<PortalFigures> shown = all.subList(0, Math.min(limit, all.size()));
        List<PortalFigures> rest = all.subList(shown.size(), all.size());
        return new Bitrix24ConsoleView(List.copyOf(shown),
                rest.isEmpty() ? null : PortalFigures.sum("others", rest), PortalFigures.sum("totals", all),
                all.size());
    }
}
