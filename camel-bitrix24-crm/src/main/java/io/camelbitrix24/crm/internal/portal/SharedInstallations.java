package io.camelbitrix24.crm.internal.portal;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import io.camelbitrix24.crm.internal.auth.OAuthSession;
import io.camelbitrix24.crm.internal.http.HttpTransport;
import io.camelbitrix24.crm.internal.send.UseCounted;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24LocalLimiter;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;

/**
 * What the endpoints of one component share of the installations they call: each installation's OAuth session and
 * bucket, use-counted, and the endpoints' copies of the installations, told of the events this JVM handles.
 */
public final class SharedInstallations {

    private final UseCounted<SessionKey, InstallationSession> installationSessions = new UseCounted<>();
    private final UseCounted<String, Bitrix24LocalLimiter> installationLimiters = new UseCounted<>();
    private final Set<Portals> manyPortals = ConcurrentHashMap.newKeySet();

    /** A many-portal endpoint started: the events this JVM handles reach what it holds. */
    public void addPortals(Portals portals) {
        manyPortals.add(portals);
    }

    public void removePortals(Portals portals) {
        manyPortals.remove(portals);
    }

    /**
     * This JVM handled an event that says what the installation of {@code memberId} in {@code registry} is now (null:
     * uninstalled): every endpoint that holds a copy of it holds this one from now.
     */
    public void learned(Bitrix24PortalRegistry registry, String memberId, Bitrix24Installation installation) {
        for (Portals portals : manyPortals) {
            if (portals.registry() == registry) {
                portals.learned(memberId, installation);
            }
        }
    }

    /**
     * The OAuth session of one installation, shared by every endpoint of the component that calls it over
     * {@code transport}: one refresh at a time per installation, as Bitrix24 spends a refresh token when it is used.
     * Each runner that acquires it releases it with {@link #release}.
     */
    public OAuthSession acquireSession(HttpTransport transport, Bitrix24PortalRegistry registry, String clientId,
                                       String memberId, String applicationToken, Supplier<OAuthSession> make) {
        // an installation made anew (a new application_token) starts from its new tokens: its old session goes
        // and a session revoked (the installation found gone) is never lent again
        return installationSessions.acquire(new SessionKey(transport, registry, clientId, memberId),
                existing -> Objects.equals(existing.applicationToken(), applicationToken)
                            && !existing.session().isUninstalled(),
                () -> new InstallationSession(applicationToken, make.get())).session();
    }

    /**
     * The bucket of one installation ({@code key}: its member_id and the application), shared by every endpoint of the
     * component; each runner that acquires it releases it with {@link #release}.
     */
    public Bitrix24LocalLimiter acquireLimiter(String key, int burst, double perSecond,
                                               ScheduledExecutorService scheduler) {
        return installationLimiters.acquire(key, () -> new Bitrix24LocalLimiter(burst, perSecond, scheduler));
    }

    /**
     * A runner is done with an installation's session and bucket (null: the user's own limiter); the last runner's
     * release drops them. Runners release only once the bucket has drained, so one made later starts as the portal's.
     */
    public void release(HttpTransport transport, Bitrix24PortalRegistry registry, String clientId, String memberId,
                             OAuthSession session, String limiterKey, Bitrix24LocalLimiter limiter) {
        installationSessions.release(new SessionKey(transport, registry, clientId, memberId),
                held -> held.session() == session);
        if (limiter != null) {
            installationLimiters.release(limiterKey, held -> held == limiter);
        }
    }

    /**
     * The installation of {@code memberId} in {@code registry} was uninstalled: its sessions refuse the calls still
     * waiting to leave, which fail at once with nothing sent, and the endpoints' copies of it are dropped, so later
     * calls find it not installed.
     */
    public void revoke(Bitrix24PortalRegistry registry, String memberId) {
        installationSessions.forEach(key -> key.registry() == registry && key.memberId().equals(memberId),
                held -> held.session().revoke(OAuthSession.UNINSTALLED));
        learned(registry, memberId, null);
    }

    /** Installations whose session or bucket some runner holds: what many-portal mode keeps now. */
    public int held() {
        return Math.max(installationSessions.size(), installationLimiters.size());
    }

    /** Whose session: an installation's, with one registry and application, over one transport. */
    private record SessionKey(HttpTransport transport, Bitrix24PortalRegistry registry, String clientId,
                              String memberId) {
    }

    private record InstallationSession(String applicationToken, OAuthSession session) {
    }

    /** The component stops: nothing is held any more. */
    public void clear() {
        installationSessions.clear();
        installationLimiters.clear();
        manyPortals.clear();
    }
}
