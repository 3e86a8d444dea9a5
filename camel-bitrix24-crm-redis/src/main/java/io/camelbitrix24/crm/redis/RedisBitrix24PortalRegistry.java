package io.camelbitrix24.crm.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Bitrix24PortalRegistry} in Redis, shared by every instance (pod, JVM) that names the same Redis: each
 * installation one key, {@code {keyPrefix}installation:{member_id}}, holding it as JSON. A token refresh runs in one
 * instance at a time per installation: the instance that takes the installation's refresh lock (a key set only if
 * absent, expiring after {@code refreshWait}) refreshes and saves the new pair; the others wait for that pair to be
 * saved and use it, so Bitrix24 never sees a refresh token twice. An instance that died holding the lock holds it no
 * longer than {@code refreshWait}.
 * <p>
 * The tokens are kept as they are: protect the Redis as the secret store it is (a password, TLS with
 * {@code rediss://}, no access from outside). Configure it as a bean, e.g. in Camel Main:
 * {@code camel.beans.portals=#class:...RedisBitrix24PortalRegistry}, {@code camel.beans.portals.redisUri=...}, then the
 * component's {@code portalRegistry=#portals}.
 */
public class RedisBitrix24PortalRegistry implements Bitrix24PortalRegistry, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBitrix24PortalRegistry.class);
    private static final String UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then"
                                         + " return redis.call('del', KEYS[1]) else return 0 end";
    private static final long POLL_MILLIS = 50;

    private String redisUri = "redis://127.0.0.1:6379";
    private String keyPrefix = "bitrix24-crm:";
    private long redisTimeout = 1000;
    private long refreshWait = 30000;

    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicBoolean warnedUnlocked = new AtomicBoolean();
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private ScheduledExecutorService scheduler;

    /** {@code redis://[:password@]host:port[/db]}, or {@code rediss://} for TLS. Holds the password: a secret. */
    public void setRedisUri(String redisUri) {
        this.redisUri = redisUri == null ? null : redisUri.strip();
    }

    /** Prefix of every key this registry writes (default {@code bitrix24-crm:}). */
    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    /** The longest a read or write waits for Redis to answer, ms (default 1000). */
    public void setRedisTimeout(long redisTimeout) {
        this.redisTimeout = redisTimeout;
    }

    /**
     * The longest an instance waits for another's refresh of the same installation, ms, and how long a refresh lock
     * lives (default 30000: past the refresh's own connect and response timeouts).
     */
    public void setRefreshWait(long refreshWait) {
        this.refreshWait = refreshWait;
    }

    @Override
    public Bitrix24Installation find(String memberId) {
        String json = connection().sync().get(installationKey(memberId));
        return json == null ? null : read(json);
    }

    @Override
    public void save(Bitrix24Installation installation) {
        connection().sync().set(installationKey(installation.getMemberId()), write(installation));
    }

    @Override
    public void remove(String memberId) {
        connection().sync().del(installationKey(memberId));
    }

    /**
     * Refreshes here when this instance takes the installation's refresh lock; else waits for the pair the holder
     * saves (polling every 50 ms, {@code refreshWait} at most), or takes the lock if the holder let it go unsaved.
     */
    @Override
    public CompletableFuture<Bitrix24Tokens> refreshOnce(String memberId, String spentRefreshToken,
                                                         Supplier<CompletableFuture<Bitrix24Tokens>> refresh) {
        CompletableFuture<Bitrix24Tokens> result = new CompletableFuture<>();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(refreshWait);
        refreshOrWait(memberId, spentRefreshToken, refresh, deadline, result);
        return result;
    }

    private void refreshOrWait(String memberId, String spent, Supplier<CompletableFuture<Bitrix24Tokens>> refresh,
                               long deadline, CompletableFuture<Bitrix24Tokens> result) {
        String lock = keyPrefix + "refresh-lock:" + memberId;
        String owner = UUID.randomUUID().toString();
        boolean locked;
        try {
            locked = "OK".equals(connection().sync().set(lock, owner, SetArgs.Builder.nx().px(refreshWait)));
        } catch (RuntimeException e) {
            // Redis away: refresh here; another instance refreshing too is refused and rereads the registry
            if (warnedUnlocked.compareAndSet(false, true)) {
                LOG.warn("Redis {} does not answer ({}): refreshing portal {} without its lock", this,
                        e.getClass().getSimpleName(), memberId);
            }
            forward(start(refresh), result);
            return;
        }
        if (locked) {
            Bitrix24Tokens renewed = renewedSince(memberId, spent);
            // refreshed elsewhere between this instance's last read and its lock: that pair is the one to use
            CompletableFuture<Bitrix24Tokens> done = renewed != null ? CompletableFuture.completedFuture(renewed)
                    : start(refresh);
            done.whenComplete((tokens, error) -> unlock(lock, owner));
            forward(done, result);
            return;
        }
        scheduler().schedule(() -> awaitOther(memberId, spent, refresh, deadline, result), POLL_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /** Another instance holds the lock: its new pair once saved, or the lock once it lets go unsaved. */
    private void awaitOther(String memberId, String spent, Supplier<CompletableFuture<Bitrix24Tokens>> refresh,
                            long deadline, CompletableFuture<Bitrix24Tokens> result) {
        try {
            Bitrix24Tokens renewed = renewedSince(memberId, spent);
            if (renewed != null) {
                LOG.debug("Portal {}: another instance refreshed its tokens; using the pair it saved", memberId);
                result.complete(renewed);
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                result.completeExceptionally(new TimeoutException("another instance's refresh of portal " + memberId
                                                                  + " did not finish within " + refreshWait + " ms"));
                return;
            }
            if (connection().sync().exists(keyPrefix + "refresh-lock:" + memberId) == 0) {
                // the holder let go without a new pair (its refresh failed): try it here
                refreshOrWait(memberId, spent, refresh, deadline, result);
                return;
            }
            scheduler().schedule(() -> awaitOther(memberId, spent, refresh, deadline, result), POLL_MILLIS,
                    TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** The pair saved for {@code memberId} if its refresh token is no longer {@code spent}; else null. */
    private Bitrix24Tokens renewedSince(String memberId, String spent) {
        Bitrix24Installation installation = find(memberId);
        return installation != null && !Objects.equals(installation.getTokens().getRefreshToken(), spent)
                ? installation.getTokens() : null;
    }

    private static CompletableFuture<Bitrix24Tokens> start(Supplier<CompletableFuture<Bitrix24Tokens>> refresh) {
        try {
            return refresh.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void unlock(String lock, String owner) {
        try {
            connection().async().eval(UNLOCK, ScriptOutputType.INTEGER, new String[] {lock}, owner);
        } catch (RuntimeException e) {
            // the lock expires after refreshWait
            LOG.debug("Could not release the refresh lock ({}); it expires by itself", e.getClass().getSimpleName());
        }
    }

    private String installationKey(String memberId) {
        return keyPrefix + "installation:" + memberId;
    }

    private String write(Bitrix24Installation installation) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("memberId", installation.getMemberId());
        fields.put("clientEndpoint", installation.getClientEndpoint());
        fields.put("accessToken", installation.getTokens().getAccessToken());
        fields.put("refreshToken", installation.getTokens().getRefreshToken());
        fields.put("applicationToken", installation.getApplicationToken());
        fields.put("refusal", installation.getRefusal());
        fields.put("rateLimitBurst", installation.getRateLimitBurst() == null ? null
                : installation.getRateLimitBurst().toString());
        fields.put("rateLimitPerSecond", installation.getRateLimitPerSecond() == null ? null
                : installation.getRateLimitPerSecond().toString());
        try {
            return mapper.writeValueAsString(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Bitrix24Installation read(String json) {
        try {
            Map<String, String> fields = mapper.readValue(json, new TypeReference<Map<String, String>>() {
            });
            return new Bitrix24Installation(fields.get("memberId"), fields.get("clientEndpoint"),
                    new Bitrix24Tokens(fields.get("accessToken"), fields.get("refreshToken")),
                    fields.get("applicationToken"), fields.get("refusal"),
                    fields.get("rateLimitBurst") == null ? null : Integer.valueOf(fields.get("rateLimitBurst")),
                    fields.get("rateLimitPerSecond") == null ? null : Double.valueOf(fields.get("rateLimitPerSecond")));
        } catch (IOException | NumberFormatException e) {
            // not echoed: the text holds tokens
            throw new IllegalStateException("An installation in Redis is not readable JSON");
        }
    }

    private synchronized StatefulRedisConnection<String, String> connection() {
        if (connection == null) {
            if (client == null) {
                client = RedisConnections.client(redisTimeout);
            }
            try {
                connection = client.connect(RedisURI.create(redisUri));
            } catch (RuntimeException e) {
                // the class name only: Redis client messages can quote the URI, which holds the password
                throw new IllegalStateException("Redis " + this + " does not answer (" + e.getClass().getSimpleName()
                                                + ")");
            }
        }
        return connection;
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread thread = new Thread(r, "Bitrix24RedisPortalRegistry");
                thread.setDaemon(true);
                return thread;
            });
        }
        return scheduler;
    }

    /** The Redis address without its password. */
    @Override
    public String toString() {
        return RedisConnections.withoutPassword(redisUri);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (client != null) {
            client.shutdown();
            client = null;
        }
    }

    private static <T> void forward(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((value, error) -> {
            if (error == null) {
                to.complete(value);
            } else {
                to.completeExceptionally(error);
            }
        });
    }
}
