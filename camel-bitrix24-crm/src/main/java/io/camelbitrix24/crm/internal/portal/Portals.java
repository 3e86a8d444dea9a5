package io.camelbitrix24.crm.internal.portal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.input.PortalHeader;
import io.camelbitrix24.crm.internal.send.CallRunner;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many-portal mode: the way to each installation of the application, made when a call first names it (header
 * {@code CamelBitrix24CrmPortal}, the installation's {@code member_id}): its own OAuth session, its own bucket keyed by
 * its {@code member_id}, its own coalescing; its tokens read from and saved to the portal registry. A portal the
 * registry does not know, or knows as refused, fails the call before anything is sent. A portal's way is released once
 * it has been idle for the idle timeout and is quiet (its bucket drained, no refresh under way), so the ways kept are
 * those of the portals in use.
 * <p>
 * The registry is never read on the caller's thread. Each portal's installation is held here as last read or learned,
 * with the time its read started; a call is served from a copy read less than {@link #STALE_AFTER_MILLIS} before it
 * (its read started then or later), or learned since from an event this JVM handled. A copy older than half that is
 * read again in the background while calls go on with it; a portal with no copy, or one too old, is read on the
 * component's registry threads and the call goes on when the read ends. A read that finds the installation gone or
 * refused releases the portal's way and refuses the calls still waiting to leave for it. So a removal or a refusal
 * written by another instance stops this one's calls within {@link #STALE_AFTER_MILLIS}.
 */
public final class Portals {

    /**
     * The oldest an installation's copy may be for a call to go with it: a call never leaves on what the registry said
     * more than this long before the call was handed over.
     */
    public static final long STALE_AFTER_MILLIS = 5_000;
    /** From this age a call still goes with the copy, and the registry is read again in the background. */
    public static final long REFRESH_AFTER_MILLIS = STALE_AFTER_MILLIS / 2;
    /**
     * The longest a read of the registry is waited for; no longer than the staleness bound, so that a read a call joins
     * started less than that bound before the call.
     */
    public static final long READ_TIMEOUT_MILLIS = STALE_AFTER_MILLIS;

    private static final Logger LOG = LoggerFactory.getLogger(Portals.class);

    private static final long STALE_NANOS = TimeUnit.MILLISECONDS.toNanos(STALE_AFTER_MILLIS);
    private static final long REFRESH_NANOS = TimeUnit.MILLISECONDS.toNanos(REFRESH_AFTER_MILLIS);

    private final Bitrix24PortalRegistry registry;
    private final Function<Bitrix24Installation, PortalWay> wayOf;
    private final Executor reads;
    private final Map<String, HeldPortal> held = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** What a call found held: its runner, a refusal, or nothing usable yet (the registry must be read). */
    private record Found(CallRunner runner, Failure failure) {
    }

    /**
     * {@code wayOf}: the calls' way to an installation, given a token store that is the registry's; {@code reads}: the
     * threads that read the registry, never a caller's.
     */
    public Portals(Bitrix24PortalRegistry registry, Function<Bitrix24Installation, PortalWay> wayOf, Executor reads) {
        this.registry = registry;
        this.wayOf = wayOf;
        this.reads = reads;
    }

    /** Where the installations live. */
    public Bitrix24PortalRegistry registry() {
        return registry;
    }

    /**
     * The runner of the installation {@code header} names, once known: at once when a fresh enough copy is held, else
     * when the registry has been read, off the caller's thread. A missing or malformed header throws at once; a portal
     * not installed, refused, or whose registry could not be read fails the future; nothing is sent in those cases.
     */
    public CompletableFuture<CallRunner> runnerFor(String header, String method) {
        String portal = PortalHeader.memberIdOf(header, method);
        long now = System.nanoTime();
        HeldPortal copy = held.get(portal);
        if (copy != null && copy.installation() != null && copy.age(now) < STALE_NANOS) {
            if (copy.age(now) >= REFRESH_NANOS && copy.read() == null) {
                read(portal);
            }
            Found found = found(portal, method, now);
            if (found != null) {
                return found.failure() != null ? CompletableFuture.failedFuture(found.failure())
                        : CompletableFuture.completedFuture(found.runner());
            }
        }
        return read(portal).handle((ok, error) -> {
            if (error != null) {
                throw PortalRefusals.registryUnread(portal, method, Futures.unwrap(error));
            }
            Found found = found(portal, method, Long.MIN_VALUE);
            if (found == null) {
                // let go of meanwhile (the endpoint stopped): as good as unknown
                throw PortalRefusals.notInstalled(portal, method);
            }
            if (found.failure() != null) {
                throw found.failure();
            }
            return found.runner();
        });
    }

    /**
     * The runner, or the refusal, that what is held of {@code portal} gives; null when nothing usable is held. With
     * {@code now} {@link Long#MIN_VALUE}, just after a read: whatever is held, however old. The way is made here if
     * there is none yet, and counted as used, under the map's lock: a sweep running meanwhile keeps it.
     */
    private Found found(String portal, String method, long now) {
        AtomicReference<Found> found = new AtomicReference<>();
        held.computeIfPresent(portal, (id, copy) -> {
            if (now != Long.MIN_VALUE && (copy.installation() == null || copy.age(now) >= STALE_NANOS)) {
                return copy;
            }
            Bitrix24Installation installation = copy.installation();
            if (installation == null) {
                found.set(new Found(null, PortalRefusals.notInstalled(portal, method)));
                return copy;
            }
            if (installation.getRefusal() != null) {
                found.set(new Found(null, PortalRefusals.refused(portal, method, installation.getRefusal())));
                return copy;
            }
            if (stopped) {
                found.set(new Found(null, PortalRefusals.stopping(portal, method)));
                return copy;
            }
            HeldPortal.WayMade made = copy.made();
            if (made == null) {
                // throws for an address that may not be called: nothing is kept then
                made = new HeldPortal.WayMade(installation.getApplicationToken(), wayOf.apply(installation));
            }
            made.way().runner().touch();
            found.set(new Found(made.way().runner(), null));
            return made == copy.made() ? copy : copy.withMade(made);
        });
        return found.get();
    }

    /**
     * Reads {@code portal}'s installation from the registry on the registry threads, unless a read is under way: then
     * that one, which started less than {@link #READ_TIMEOUT_MILLIS} ago. Ends when what was read is held (or, with
     * the registry's exception, when it could not be read).
     */
    private CompletableFuture<Void> read(String portal) {
        AtomicReference<HeldPortal.Read> started = new AtomicReference<>();
        HeldPortal copy = held.compute(portal, (id, existing) -> {
            if (existing != null && existing.read() != null) {
                return existing;
            }
            HeldPortal.Read read = new HeldPortal.Read(System.nanoTime(), new CompletableFuture<>());
            started.set(read);
            return existing == null ? new HeldPortal(null, read.startedNanos(), null, read) : existing.withRead(read);
        });
        HeldPortal.Read read = started.get();
        if (read != null) {
            CompletableFuture<Bitrix24Installation> found;
            try {
                found = CompletableFuture.supplyAsync(() -> registry.find(portal), reads);
            } catch (RejectedExecutionException e) {
                found = CompletableFuture.failedFuture(e);
            }
            found.orTimeout(READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .whenComplete((installation, error) -> landed(portal, read, installation, error));
        }
        return copy.read().done();
    }

    /** A read ended: what it found is held unless something newer is, and the calls waiting for it go on. */
    private void landed(String portal, HeldPortal.Read read, Bitrix24Installation installation, Throwable error) {
        List<HeldPortal.WayMade> gone = new ArrayList<>();
        List<HeldPortal.WayMade> revoked = new ArrayList<>();
        try {
            held.compute(portal, (id, copy) -> {
                HeldPortal without = copy == null ? null : copy.read() == read ? copy.withRead(null) : copy;
                if (error != null) {
                    return without;
                }
                if (without == null) {
                    // let go of while it was read: held anew
                    return new HeldPortal(installation, read.startedNanos(), null, null);
                }
                if (read.startedNanos() - without.asOfNanos() < 0) {
                    // an event this JVM handled after the read started says more
                    return without;
                }
                return without.replacedBy(installation, read.startedNanos(), gone, revoked);
            });
        } finally {
            HeldPortal.letGo(gone, revoked, installation, true);
        }
        if (error != null) {
            Throwable cause = Futures.unwrap(error);
            LOG.debug("The portal registry could not be read for portal {} ({})", portal, cause.getClass().getName());
            read.done().completeExceptionally(cause);
        } else {
            read.done().complete(null);
        }
    }

    /**
     * This JVM learned the installation of {@code memberId} as it is now ({@code installation}; null: uninstalled),
     * from an event it handled or a refusal it met: what is held of the portal says so from now, without a read.
     */
    public void learned(String memberId, Bitrix24Installation installation) {
        List<HeldPortal.WayMade> gone = new ArrayList<>();
        List<HeldPortal.WayMade> revoked = new ArrayList<>();
        try {
            held.computeIfPresent(memberId,
                    (id, copy) -> copy.replacedBy(installation, System.nanoTime(), gone, revoked));
        } finally {
            HeldPortal.letGo(gone, revoked, installation, false);
        }
    }

    /**
     * Reads again, in the background, the installations of the portals with calls in flight whose copy is older than
     * {@link #REFRESH_AFTER_MILLIS}: calls waiting for their turn are refused once their installation is found gone,
     * though no new call comes to have it read.
     */
    public void refreshBusy() {
        long now = System.nanoTime();
        for (Map.Entry<String, HeldPortal> entry : held.entrySet()) {
            HeldPortal copy = entry.getValue();
            if (copy.made() != null && copy.read() == null && copy.age(now) >= REFRESH_NANOS
                && !copy.made().way().runner().idleFor(0)) {
                read(entry.getKey());
            }
        }
    }

    /**
     * Releases the ways of portals idle for {@code idleNanos} or longer whose shared state is quiet, and forgets what
     * is held of them. A call that comes after reads the registry and makes the way anew, with a bucket that starts
     * where the portal's is: drained.
     */
    public void releaseIdle(long idleNanos) {
        long now = System.nanoTime();
        for (String portal : held.keySet()) {
            held.computeIfPresent(portal, (id, copy) -> {
                HeldPortal.WayMade made = copy.made();
                if (made != null) {
                    if (!made.way().runner().idleFor(idleNanos) || !made.way().quiet().getAsBoolean()) {
                        return copy;
                    }
                    made.way().release().run();
                    return copy.read() == null ? null : copy.withMade(null);
                }
                // no way: a copy no call went with, or a portal not installed
                return copy.read() == null && (copy.installation() == null || copy.age(now) >= STALE_NANOS) ? null
                        : copy;
            });
        }
    }

    /** Releases every way (the endpoint stops); a read still under way ends its calls as stopping. */
    public void releaseAll() {
        stopped = true;
        for (String portal : held.keySet()) {
            held.computeIfPresent(portal, (id, copy) -> {
                if (copy.made() != null) {
                    copy.made().way().release().run();
                }
                return copy.read() == null ? null : copy.withMade(null);
            });
        }
    }

    /** Portals with a way kept now. */
    public List<PortalWay> waysKept() {
        List<PortalWay> kept = new ArrayList<>();
        for (HeldPortal copy : held.values()) {
            if (copy.made() != null) {
                kept.add(copy.made().way());
            }
        }
        return kept;
    }
}
