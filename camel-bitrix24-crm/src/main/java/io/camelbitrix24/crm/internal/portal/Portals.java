package io.camelbitrix24.crm.internal.portal;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.camelbitrix24.crm.internal.auth.InstallationTokenStore;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.input.Headers;
import io.camelbitrix24.crm.internal.send.CallRunner;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many-portal mode: the way to each installation of the application, made when a call first names it (header
 * {@code CamelBitrix24CrmPortal}, the installation's {@code member_id}): its own OAuth session, its own bucket keyed by
 * its {@code member_id}, its own coalescing; its tokens read from and saved to the portal registry. A portal the
 * registry does not know, or knows as refused, fails the call before anything is sent. A portal's way is released once
 * it has been idle for the idle timeout and is quiet (its bucket drained, no refresh under way), so the ways kept are
 * those of the portals in use.
 */
public final class Portals {

    private static final Logger LOG = LoggerFactory.getLogger(Portals.class);

    /** A member_id: Bitrix24's are 32 lower-case hexadecimal characters; letters and digits, so never a URL or a path. */
    private static final Pattern MEMBER_ID = Pattern.compile("[0-9a-z]{1,64}");

    private final Bitrix24PortalRegistry registry;
    private final Function<Bitrix24Installation, Way> wayOf;
    private final Map<String, Made> ways = new ConcurrentHashMap<>();

    /**
     * The calls' way to one installation: its runner; whether what it shares with other endpoints is quiet (the
     * bucket drained, no refresh under way); and how to let go of that.
     */
    public record Way(CallRunner runner, BooleanSupplier quiet, Runnable release) {
    }

    /** A way, and the installation (by its application_token) it was made for. */
    private record Made(String applicationToken, Way way) {
    }

    /** {@code wayOf}: the calls' way to an installation, given a token store that is the registry's. */
    public Portals(Bitrix24PortalRegistry registry, Function<Bitrix24Installation, Way> wayOf) {
        this.registry = registry;
        this.wayOf = wayOf;
    }

    /** Where the installations live. */
    public Bitrix24PortalRegistry registry() {
        return registry;
    }

    /** The runner of the installation {@code portal} names; a typed exception, with nothing sent, when there is none. */
    public CallRunner runnerFor(String header, String method) {
        if (header == null || header.isBlank()) {
            throw Failure.invalidInput(method, "header " + Headers.PORTAL,
                    "This endpoint serves many portals: header " + Headers.PORTAL
                    + " must name the portal (its installation's member_id); nothing was sent");
        }
        String portal = memberId(header, "header " + Headers.PORTAL, method, "nothing was sent");
        Bitrix24Installation installation;
        try {
            installation = registry.find(portal);
        } catch (RuntimeException e) {
            // the class alone: a registry's message may quote its address and password
            throw Failure.authentication("The portal registry could not be read for portal " + portal + " ("
                                         + e.getClass().getName() + "); nothing was sent", method, null, true);
        }
        if (installation == null) {
            release(portal);
            throw Failure.authentication("The application is not installed on portal " + portal
                                         + " (no installation in the portal registry); nothing was sent", method, null,
                    false);
        }
        if (installation.getRefusal() != null) {
            throw Failure.authentication("Bitrix24 refused the application on portal " + portal + " ("
                                         + installation.getRefusal() + "); nothing was sent", method,
                    installation.getRefusal(), false);
        }
        // installed anew (an uninstall, then an install: new tokens, a new application_token): start from its new tokens
        Made made = ways.compute(portal, (id, existing) -> {
            if (existing != null && Objects.equals(existing.applicationToken(), installation.getApplicationToken())) {
                return existing;
            }
            if (existing != null) {
                existing.way().release().run();
            }
            return new Made(installation.getApplicationToken(), wayOf.apply(installation));
        });
        // used from now, under the map's lock: a sweep running meanwhile keeps it
        made.way().runner().touch();
        return made.way().runner();
    }

    /**
     * Releases the ways of portals idle for {@code idleNanos} or longer whose shared state is quiet. A call that comes
     * after makes the way anew from the registry, with a bucket that starts where the portal's is: drained.
     */
    public void releaseIdle(long idleNanos) {
        for (String portal : ways.keySet()) {
            ways.computeIfPresent(portal, (id, made) -> {
                if (made.way().runner().idleFor(idleNanos) && made.way().quiet().getAsBoolean()) {
                    made.way().release().run();
                    return null;
                }
                return made;
            });
        }
    }

    /** Releases every way (the endpoint stops). */
    public void releaseAll() {
        for (String portal : ways.keySet()) {
            release(portal);
        }
    }

    private void release(String portal) {
        ways.computeIfPresent(portal, (id, made) -> {
            made.way().release().run();
            return null;
        });
    }

    /** Portals with a way kept now. */
    public int portalsKept() {
        return ways.size();
    }

    /** An installation's tokens, as the OAuth session reads and saves them: in the registry. */
    public static InstallationTokenStore tokenStoreOf(Bitrix24PortalRegistry registry, String memberId,
                                               Predicate<String> accepts) {
        return new InstallationTokenStore() {
            @Override
            public Bitrix24Tokens load() {
                Bitrix24Installation installation = installation();
                return installation == null ? null : installation.getTokens();
            }

            @Override
            public void save(Bitrix24Tokens tokens) {
                Bitrix24Installation installation = installation();
                if (installation != null) {
                    registry.save(installation.withTokens(tokens));
                }
            }

            @Override
            public String memberId() {
                return memberId;
            }

            @Override
            public Bitrix24Installation installation() {
                return registry.find(memberId);
            }

            @Override
            public boolean accepts(String clientEndpoint) {
                return clientEndpoint != null && accepts.test(clientEndpoint);
            }

            @Override
            public void save(Bitrix24Tokens tokens, String clientEndpoint) {
                Bitrix24Installation installation = installation();
                if (installation != null) {
                    registry.save(installation.movedTo(clientEndpoint, tokens));
                }
            }

            @Override
            public CompletableFuture<Bitrix24Tokens> refreshOnce(String spentRefreshToken,
                                                                 Supplier<CompletableFuture<Bitrix24Tokens>> refresh) {
                return registry.refreshOnce(memberId, spentRefreshToken, refresh);
            }
        };
    }

    /**
     * The OAuth server refused the installation's refresh token for good ({@code invalid_grant}, {@code invalid_client},
     * {@code PAYMENT_REQUIRED}): later calls fail at once. Unless the registry holds another pair by now (renewed
     * elsewhere): then the refusal was of a spent token, not of the installation.
     */
    public static void markRefused(Bitrix24PortalRegistry registry, String memberId, String refusedRefreshToken,
                            Failure refusal) {
        Bitrix24Installation installation = registry.find(memberId);
        if (installation != null && Objects.equals(installation.getTokens().getRefreshToken(), refusedRefreshToken)) {
            String reason = refusal.getErrorCode() != null ? refusal.getErrorCode() : "refresh refused";
            LOG.warn("Bitrix24 refused the application on portal {} ({}): its calls fail until it is installed again",
                    memberId, reason);
            registry.save(installation.refused(reason));
        }
    }

    /**
     * A member_id as the registry keys it: trimmed and in lower case, as Bitrix24 writes them, so {@code " A1B2 "} is
     * {@code a1b2}; anything but letters and digits is refused, naming {@code field}.
     */
    public static String memberId(String raw, String field, String method, String nothingDone) {
        String memberId = raw.strip().toLowerCase(Locale.ROOT);
        if (!MEMBER_ID.matcher(memberId).matches()) {
            throw Failure.invalidInput(method, field, "Invalid member_id in " + field + ": '" + echo(raw)
                                                                 + "' (a member_id is 1 to 64 letters and digits, as"
                                                                 + " Bitrix24's 32 hexadecimal characters); "
                                                                 + nothingDone);
        }
        return memberId;
    }

    private static String echo(String value) {
        return value.length() > 64 ? value.substring(0, 64) + "..." : value;
    }
}
