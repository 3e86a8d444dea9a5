package io.camelbitrix24.crm.internal.http;

import java.util.ArrayList;
import java.util.List;

import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Each portal's line admits its own calls up to the limit, and is dropped once nothing holds or waits in it; past the
 * lines, the places shared by every portal cap the calls holding connections overall.
 */
class PortalLinesTest {

    private final HttpHost portalA = new HttpHost("https", "a.bitrix24.test", 443);
    private final HttpHost portalB = new HttpHost("https", "b.bitrix24.test", 443);

    @Test
    void aFullLineHoldsOnlyItsOwnPortalsCallsAndIdleLinesAreDropped() {
        PortalLines lines = new PortalLines(2, 100);
        List<Runnable> holdingA = new ArrayList<>();
        List<String> ran = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int call = i;
            lines.submit(portalA, done -> {
                ran.add("A" + call);
                holdingA.add(done);
            }, false);
        }
        List<Runnable> holdingB = new ArrayList<>();
        lines.submit(portalB, done -> {
            ran.add("B0");
            holdingB.add(done);
        }, false);

        assertEquals(List.of("A0", "A1", "B0"), ran, "A's third call waits; B's first goes at once");
        assertEquals(3, lines.waitingCount());
        assertEquals(2, lines.portalsInUse());

        holdingB.get(0).run();
        assertEquals(1, lines.portalsInUse(), "B's line is dropped once idle");
        holdingA.get(0).run();
        assertEquals(List.of("A0", "A1", "B0", "A2"), ran, "a place freed lets the next of A in");
        for (int i = 1; i < 5; i++) {
            holdingA.get(i).run();
        }
        assertEquals(0, lines.waitingCount());
        assertEquals(0, lines.portalsInUse(), "nothing left holds or waits: no line kept");

        // a portal used again gets a line again
        lines.submit(portalB, done -> ran.add("B1"), false);
        assertEquals("B1", ran.get(ran.size() - 1));
    }

    @Test
    void theSharedPlacesCapCallsOverAllPortalsInArrivalOrder() {
        PortalLines lines = new PortalLines(2, 3);
        HttpHost portalC = new HttpHost("https", "c.bitrix24.test", 443);
        List<String> ran = new ArrayList<>();
        List<Runnable> holding = new ArrayList<>();
        for (HttpHost portal : List.of(portalA, portalB, portalC)) {
            for (int i = 0; i < 2; i++) {
                String name = portal.getHostName().substring(0, 1) + i;
                lines.submit(portal, done -> {
                    ran.add(name);
                    holding.add(done);
                }, false);
            }
        }
        assertEquals(List.of("a0", "a1", "b0"), ran, "three places in all");
        assertEquals(3, lines.waitingCount());
        holding.get(0).run();
        assertEquals(List.of("a0", "a1", "b0", "b1"), ran, "the next in arrival order, of another portal");
        holding.get(1).run();
        holding.get(2).run();
        assertEquals(List.of("a0", "a1", "b0", "b1", "c0", "c1"), ran);
        holding.subList(3, 6).forEach(Runnable::run);
        assertEquals(0, lines.waitingCount());
        assertEquals(0, lines.portalsInUse());
    }
}
