package io.camelbitrix24.emulator;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Installs and uninstalls the application on one portal of a cloud at a time, by the portal's 1-based number as the
 * standalone emulator prints it, posting {@code ONAPPINSTALL} / {@code ONAPPUNINSTALL} to the configured handlers.
 * One event at a time: an install and an uninstall of a portal never cross.
 */
final class CloudControl {

    /** A command that cannot run: the HTTP status the control endpoint answers, and why. */
    static final class Refused extends Exception {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** What the handler made of an event: its HTTP status, or null and why it never answered. */
    record Result(String event, int portal, String memberId, Integer handlerStatus, String error) {

        String describe() {
            return event + " portal " + portal + " (member_id " + memberId + "): "
                   + (handlerStatus != null ? "handler answered HTTP " + handlerStatus : "handler never answered: " + error);
        }
    }

    private static final long RETRY_MILLIS = 500;

    private final Bitrix24Cloud cloud;
    private final URI installHandler;
    private final URI uninstallHandler;
    // the last event of each portal, by number, for status
    private final Map<Integer, String> lastEvent = new ConcurrentHashMap<>();

    CloudControl(Bitrix24Cloud cloud, URI installHandler, URI uninstallHandler) {
        this.cloud = cloud;
        this.installHandler = installHandler;
        this.uninstallHandler = uninstallHandler;
    }

    URI installHandler() {
        return installHandler;
    }

    int portalCount() {
        return cloud.portals().size();
    }

    /** Portal {@code number} (1-based); 404 for a number no portal has. */
    Bitrix24Emulator portal(int number) throws Refused {
        if (number < 1 || number > portalCount()) {
            throw new Refused(404, "no portal " + number + ": the portals are 1 to " + portalCount());
        }
        return cloud.portal(number - 1);
    }

    /**
     * Posts {@code ONAPPINSTALL} for portal {@code number} with fresh tokens; a handler not listening yet is tried
     * again every 500 ms until {@code wait} has passed (zero: once).
     */
    synchronized Result install(int number, Duration wait) throws Refused, InterruptedException {
        Bitrix24Emulator portal = portal(number);
        if (installHandler == null) {
            throw new Refused(409, "install needs --install-handler URL");
        }
        return deliver("install", number, portal, installHandler, cloud.installEvent(number - 1), wait);
    }

    /** Posts {@code ONAPPUNINSTALL} for portal {@code number}, whose tokens are void at once; tried once. */
    synchronized Result uninstall(int number) throws Refused, InterruptedException {
        Bitrix24Emulator portal = portal(number);
        if (uninstallHandler == null) {
            throw new Refused(409, "uninstall needs --uninstall-handler URL");
        }
        if (portal.applicationToken() == null) {
            throw new Refused(409, "portal " + number + " is not installed");
        }
        return deliver("uninstall", number, portal, uninstallHandler, cloud.uninstallEvent(number - 1), Duration.ZERO);
    }

    /** Where a portal stands: installed or not, its counts and the last event's result. */
    record PortalStatus(int portal, String memberId, boolean installed, int leads, int contacts, String lastEvent) {

        String describe() {
            return "portal " + portal + " member_id " + memberId + (installed ? " installed" : " not installed")
                   + ", leads " + leads + ", contacts " + contacts + ", last event: " + lastEvent;
        }
    }

    synchronized List<PortalStatus> status() {
        List<PortalStatus> status = new ArrayList<>();
        for (int number = 1; number <= portalCount(); number++) {
            Bitrix24Emulator portal = cloud.portal(number - 1);
            status.add(new PortalStatus(number, portal.memberId(), portal.applicationToken() != null,
                    portal.data().leadCount(), portal.data().contactCount(), lastEvent.getOrDefault(number, "none")));
        }
        return status;
    }

    private Result deliver(String event, int number, Bitrix24Emulator portal, URI handler, Map<String, String> form,
                           Duration wait) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        Result result;
        while (true) {
            try {
                result = new Result(event, number, portal.memberId(), cloud.deliver(handler, form), null);
                break;
            } catch (IOException e) {
                // only a handler not listening yet is tried again: one that took the request may have acted on it
                long left = deadline - System.nanoTime();
                if (!refused(e) || left <= 0) {
                    String why = (refused(e) ? "connection refused" : e.toString()) + " at " + handler
                                 + (wait.isZero() ? "" : String.format(Locale.ROOT, " (tried for %.1f s)",
                                        (System.nanoTime() - start) / 1e9));
                    result = new Result(event, number, portal.memberId(), null, why);
                    break;
                }
                Thread.sleep(Math.min(RETRY_MILLIS, left / 1_000_000 + 1));
            }
        }
        lastEvent.put(number, result.handlerStatus() != null ? event + " -> HTTP " + result.handlerStatus()
                : event + " -> no answer");
        return result;
    }

    private static boolean refused(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
