package io.camelbitrix24.emulator;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Who may call the emulated portal: inbound webhooks ({@code /rest/{userId}/{code}/}), one OAuth application with its
 * access and refresh tokens, and the state of each user. Answers the Bitrix24 auth errors for whatever fails.
 */
public final class AccessControl {

    private final AtomicLong refreshesGranted = new AtomicLong();
    private final AtomicLong refreshesRefused = new AtomicLong();

    /** An inbound webhook: the user it acts as, its secret code and the scopes it was given. */
    public record Webhook(int userId, String code, Set<String> scopes) {
    }

    /** A token pair as the OAuth server hands it out. */
    public record TokenPair(String accessToken, String refreshToken, long expiresInSeconds) {
    }

    private record AccessToken(int userId, long expiresAtMillis) {
    }

    private final Map<String, Webhook> webhooks = new ConcurrentHashMap<>();
    private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
    private final Map<String, Integer> refreshTokens = new ConcurrentHashMap<>();
    private final Set<Integer> deactivatedUsers = ConcurrentHashMap.newKeySet();
    /** The CRM permissions a user can be denied, each checked by the methods that need it. */
    public enum Permission {
        READ,
        UPDATE,
        DELETE
    }

    private final Map<Permission, Set<Integer>> denied = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private volatile String clientId;
    private volatile String clientSecret;
    private volatile Set<String> appScopes = Set.of("crm");

    Set<String> appScopes() {
        return appScopes;
    }

    /** Whose operating time a caller spends: the webhook (its user and code) or the OAuth application. */
    String operatingKeyOfWebhook(String userId, String code) {
        return "webhook:" + userId + "/" + code;
    }

    String operatingKeyOfApplication() {
        return "app:" + clientId;
    }
    private volatile Duration accessTokenLifetime = Duration.ofHours(1);

    AccessControl(Clock clock) {
        this.clock = clock;
    }

    public void addWebhook(int userId, String code, String... scopes) {
        webhooks.put(userId + "/" + code, new Webhook(userId, code, Set.of(scopes)));
    }

    public void setOAuthApplication(String clientId, String clientSecret, String... scopes) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.appScopes = Set.of(scopes);
    }

    public void setAccessTokenLifetime(Duration lifetime) {
        this.accessTokenLifetime = lifetime;
    }

    /** Issues a fresh token pair for a user, as the application install or the OAuth code flow would. */
    public TokenPair issueTokens(int userId) {
        String access = randomToken();
        String refresh = randomToken();
        long lifetimeMillis = accessTokenLifetime.toMillis();
        accessTokens.put(access, new AccessToken(userId, clock.millis() + lifetimeMillis));
        refreshTokens.put(refresh, userId);
        return new TokenPair(access, refresh, Math.max(1, lifetimeMillis / 1000));
    }

    boolean holdsRefreshToken(String refreshToken) {
        return refreshToken != null && refreshTokens.containsKey(refreshToken);
    }

    /** The user of a valid (issued here, not expired) access token, or null. */
    Integer userOfValidAccessToken(String accessToken) {
        AccessToken access = accessToken == null ? null : accessTokens.get(accessToken);
        return access == null || access.expiresAtMillis() <= clock.millis() ? null : access.userId();
    }

    /** The application's access ends, as on its uninstall: every token it was given is void. */
    public void revokeApplicationTokens() {
        accessTokens.clear();
        refreshTokens.clear();
    }

    String clientId() {
        return clientId;
    }

    /** Makes every access token handed out so far expired, as an hour passing would. */
    public void expireAllAccessTokens() {
        accessTokens.replaceAll((token, at) -> new AccessToken(at.userId(), 0));
    }

    public void deactivateUser(int userId) {
        deactivatedUsers.add(userId);
    }

    /** The user may no longer delete leads or contacts. */
    public void denyDelete(int userId) {
        deny(userId, Permission.DELETE);
    }

    /** The user loses a CRM permission on leads and contacts. */
    public void deny(int userId, Permission permission) {
        denied.computeIfAbsent(permission, k -> ConcurrentHashMap.newKeySet()).add(userId);
    }

    boolean may(int userId, Permission permission) {
        Set<Integer> users = denied.get(permission);
        return users == null || !users.contains(userId);
    }

    /** Checks a webhook path; answers the caller or throws the auth error a portal answers. */
    /** Who called: the user, the scopes of the webhook or application, and the error a missing scope answers. */
    record Caller(int userId, Set<String> scopes, Bitrix24Error insufficientScope) {

        /** rest/lib/apauth/auth.php l.197-203, rest/lib/oauth/auth.php l.133-142: each method needs its scope. */
        void requireScopeOf(String method) {
            if (!hasScopeOf(method)) {
                throw new MethodException(insufficientScope);
            }
        }

        boolean hasScopeOf(String method) {
            String scope = scopeOf(method);
            return scope == null || scopes.contains(scope);
        }

        /** The scope a method needs: crm.* needs crm; scope and batch need none (batch commands need theirs). */
        static String scopeOf(String method) {
            return method.startsWith("crm.") ? "crm" : null;
        }
    }

    Caller authenticateWebhook(String userId, String code) {
        // rest/lib/apauth/auth.php: an unknown user id and code, then the user; the scope per method
        Webhook webhook = webhooks.get(userId + "/" + code);
        if (webhook == null) {
            throw new MethodException(Bitrix24Error.INVALID_CREDENTIALS);
        }
        checkUser(webhook.userId());
        return new Caller(webhook.userId(), webhook.scopes(), Bitrix24Error.INSUFFICIENT_SCOPE_WEBHOOK);
    }

    /** Checks an OAuth access token sent as {@code auth}; answers the caller or throws the auth error. */
    Caller authenticateToken(Object auth) {
        if (!(auth instanceof String token) || token.isEmpty()) {
            throw new MethodException(Bitrix24Error.NO_AUTH_FOUND);
        }
        AccessToken access = accessTokens.get(token);
        if (access == null) {
            throw new MethodException(Bitrix24Error.INVALID_TOKEN);
        }
        if (access.expiresAtMillis() <= clock.millis()) {
            throw new MethodException(Bitrix24Error.EXPIRED_TOKEN);
        }
        checkUser(access.userId());
        return new Caller(access.userId(), appScopes, Bitrix24Error.INSUFFICIENT_SCOPE);
    }

    private void checkUser(int userId) {
        if (deactivatedUsers.contains(userId)) {
            throw new MethodException(Bitrix24Error.AUTHORIZATION_ERROR);
        }
    }

    /**
     * The refresh grant: spends the refresh token and answers a new pair, or the OAuth error
     * ({@code invalid_client}, {@code invalid_grant}) the Bitrix24 OAuth server answers.
     */
    TokenPair refresh(String requestClientId, String requestClientSecret, String refreshToken) {
        if (clientId == null || !clientId.equals(requestClientId) || !clientSecret.equals(requestClientSecret)) {
            // the OAuth server's refusals: 400 without a description (the old on-premise oauth module)
            throw new MethodException(new Bitrix24Error(400, "invalid_client", null));
        }
        Integer userId = refreshToken == null ? null : refreshTokens.remove(refreshToken);
        if (userId == null) {
            // a spent refresh token is refused: the new pair went to whoever used it first
            refreshesRefused.incrementAndGet();
            throw new MethodException(new Bitrix24Error(400, "invalid_grant", null));
        }
        refreshesGranted.incrementAndGet();
        return issueTokens(userId);
    }

    /** Refreshes this portal's tokens went through: each spent one refresh token and answered a new pair. */
    public long refreshesGranted() {
        return refreshesGranted.get();
    }

    /** Refreshes refused {@code invalid_grant}: a refresh token unknown or spent already. */
    public long refreshesRefused() {
        return refreshesRefused.get();
    }

    private String randomToken() {
        byte[] bytes = new byte[20];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
