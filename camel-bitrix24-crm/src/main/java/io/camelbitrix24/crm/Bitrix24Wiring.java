package io.camelbitrix24.crm;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.camelbitrix24.crm.internal.send.CallRunner;
import io.camelbitrix24.crm.internal.send.PortalActivity;
import io.camelbitrix24.crm.internal.send.PortalFigures;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;

/**
 * The way an endpoint's calls go, made when it starts, one kind per mode (as camel-aws2-s3 makes a client per
 * credential mode): one portal's runner, or a way per installation.
 */
interface Bitrix24Wiring {

    /**
     * The runner of the portal a call names ({@code portal}: the {@code CamelBitrix24CrmPortal} header, null when
     * absent), once known: completed at once when the wiring holds it, else when it has been looked up off the
     * caller's thread. Throws at once for a header that must not be there or is malformed; the future fails for a call
     * that must not go. Nothing is sent in either case.
     */
    CompletableFuture<CallRunner> runnerFor(String portal, String method);

    /**
     * Prepares the way to the portal for the first call, where there is one portal to prepare (a connection with its
     * TLS handshake done, the call path's classes loaded), once per portal and transport, without calling the portal;
     * a failure is a WARN, never a failed start: the portal's state is the health check's to report.
     */
    void prepare();

    /** Lets go of what the wiring holds; the endpoint releases the transport itself. */
    void stop();

    /** Many-portal mode: where the installations live; null otherwise. */
    default Bitrix24PortalRegistry registry() {
        return null;
    }

    /** What the calls of the portals a way is kept to now are doing. */
    List<PortalActivity> activities();

    /** The figures of those portals: one portal's own, bucket included, or their sum. */
    default PortalFigures figures() {
        List<PortalFigures> all = activities().stream().map(PortalActivity::figures).toList();
        return all.size() == 1 ? all.get(0) : PortalFigures.sum("all", all).figures();
    }

    /** When the calls waiting for those portals have left: the slowest portal's estimate; null when unknown. */
    default Double drainSeconds() {
        return PortalFigures.sum("all", activities().stream().map(PortalActivity::figures).toList()).drainSeconds();
    }

    /** Many-portal mode: the portals a way is kept to now. */
    default int portalsKept() {
        return 0;
    }
}
