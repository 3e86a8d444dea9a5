package io.camelbitrix24.crm.internal.portal;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.camelbitrix24.crm.internal.auth.OAuthSession;
import io.camelbitrix24.crm.spi.Bitrix24Installation;

/**
 * What is held of one portal: its installation as last read or learned (null: not installed), since when it holds
 * ({@code asOfNanos}: when the read that answered it started, or when an event told it), the way made for it, and
 * the read under way.
 */
record HeldPortal(Bitrix24Installation installation, long asOfNanos, WayMade made, Read read) {

    HeldPortal withMade(WayMade newMade) {
        return new HeldPortal(installation, asOfNanos, newMade, read);
    }

    HeldPortal withRead(Read newRead) {
        return new HeldPortal(installation, asOfNanos, made, newRead);
    }

    long age(long now) {
        return now - asOfNanos;
    }

    /** A way, and the installation (by its application_token) it was made for. */
    record WayMade(String applicationToken, PortalWay way) {
    }

    /** A read of the registry under way: when it started, and its end (failed with what the registry threw). */
    record Read(long startedNanos, CompletableFuture<Void> done) {
    }

    /**
     * This copy with {@code newInstallation} held as of {@code newAsOfNanos}: its way kept if it was made for the same
     * application_token; else let go of ({@code gone}), and its waiting calls refused ({@code revoked}) when the
     * installation is gone or refused.
     */
    HeldPortal replacedBy(Bitrix24Installation newInstallation, long newAsOfNanos, List<WayMade> gone,
                          List<WayMade> revoked) {
        WayMade way = made;
        if (way != null) {
            if (newInstallation == null || newInstallation.getRefusal() != null) {
                revoked.add(way);
                gone.add(way);
                way = null;
            } else if (!Objects.equals(way.applicationToken(), newInstallation.getApplicationToken())) {
                // installed anew (an uninstall, then an install: new tokens, a new application_token): start from
                // its new tokens
                gone.add(way);
                way = null;
            }
        }
        return new HeldPortal(newInstallation, newAsOfNanos, way, read);
    }

    /**
     * Refuses the waiting calls of the ways {@code revoked}, saying what became of their installation ({@code now}:
     * null when it is gone; {@code read}: found so by a read of the registry, else learned from this JVM's event or
     * refusal), then lets go of the ways {@code gone}.
     */
    static void letGo(List<WayMade> gone, List<WayMade> revoked, Bitrix24Installation now, boolean read) {
        String as = now == null
                ? read ? "found uninstalled (no installation in the portal registry)" : OAuthSession.UNINSTALLED
                : (read ? "found refused by Bitrix24 (" : "refused by Bitrix24 (") + now.getRefusal() + ")";
        for (WayMade made : revoked) {
            made.way().revoke().accept(as);
        }
        for (WayMade made : gone) {
            made.way().release().run();
        }
    }
}
