package io.camelbitrix24.crm.redis;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelbitrix24.crm.spi.Bitrix24BucketState;
import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24LimiterKey;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Bitrix24Limiter} whose state lives in Redis, shared by every JVM that names the same Redis: one Bucket4j
 * bucket per portal ({@code burst} calls, refilled at {@code perSecond}), and the methods held for their operating time
 * per caller (a hold reaches the other JVMs within one Redis round trip). Waits are futures on a scheduler, never a
 * blocked thread. When Redis cannot be reached, calls go on
 * through a bucket of this JVM (one warning), and back to Redis once it answers again: nothing waits on Redis for
 * longer than {@code redisTimeout}. Each JVM notes itself in Redis once a second per portal, so that while Redis is
 * away each of the N JVMs last seen keeps to 1/N of the portal's rate (with no burst if the shared bucket was pacing
 * calls); and a bucket that Redis lost meanwhile starts empty of tokens when this JVM was pacing calls, since the
 * portal's own bucket is then full.
 * <p>
 * Bitrix24 counts the request bucket per portal and per source address: pods that leave through different addresses
 * each have a bucket of their own at the portal, and sharing one here only slows them. The operating-time budget is
 * per webhook or application whatever the address, so holds are worth sharing always.
 * <p>
 * Configure it as a bean, e.g. in Camel Main: {@code camel.beans.sharedLimiter=#class:...RedisBitrix24Limiter},
 * {@code camel.beans.sharedLimiter.redisUri={{env:REDIS_URI}}}, then {@code rateLimiter=#sharedLimiter}.
 */
public class RedisBitrix24Limiter implements Bitrix24Limiter, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisBitrix24Limiter.class);
    private static final double HEADROOM_SECONDS = 0.25;
    /** How long a JVM that noted itself counts as calling a portal. */
    private static final long SEEN_FOR_MILLIS = 10_000;

    private String redisUri = "redis://127.0.0.1:6379";
    private String keyPrefix = "bitrix24-crm:";
    private int burst = 50;
    private double perSecond = 2;
    private long redisTimeout = 1000;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "Bitrix24RedisLimiter");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, AsyncBucketProxy> buckets = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<?>> reservations = new ConcurrentHashMap<>();
    private final Map<String, Bitrix24Limiter> fallbacks = new ConcurrentHashMap<>();
    private final Map<String, PortalUse> uses = new ConcurrentHashMap<>();
    private final String jvmId = java.util.UUID.randomUUID().toString();
    private final Map<String, Long> localHolds = new ConcurrentHashMap<>();
    // each portal's bucket level as Redis last answered it, for the dev console: read without waiting
    private final Map<String, Double> lastLevels = new ConcurrentHashMap<>();
    private final Map<String, Boolean> levelReads = new ConcurrentHashMap<>();
    private final AtomicBoolean degraded = new AtomicBoolean();
    private volatile Redis redis;
    private volatile long nextConnectAt;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private RedisClient client;
    private volatile boolean connectedOnce;
    private final CompletableFuture<Void> firstConnect = new CompletableFuture<>();
    private final AtomicInteger warnings = new AtomicInteger();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    // how long a portal goes uncalled before what this JVM keeps for it goes (its bucket stays in Redis)
    private volatile long idleMillis = 60_000;

    /** No connection yet: the calls go through this JVM's limiter meanwhile. */
    private static final class NotConnected extends IllegalStateException {
        NotConnected() {
            super("not connected to Redis", null);
        }
    }

    /** True while Redis answers (for tests and diagnostics). */
    boolean isShared() {
        return redis != null && !degraded.get();
    }

    /** How many outages were warned about. */
    int warnings() {
        return warnings.get();
    }

    /** The connection and what is built on it, made on first use. */
    private record Redis(StatefulRedisConnection<String, byte[]> connection,
                         AsyncProxyManager<String> buckets) {
    }

    /** {@code redis://[:password@]host:port[/db]}, or {@code rediss://} for TLS. Holds the password: a secret. */
    public void setRedisUri(String redisUri) {
        this.redisUri = redisUri == null ? null : redisUri.strip();
    }

    /** Prefix of every key this limiter writes (default {@code bitrix24-crm:}). */
    public void setKeyPrefix(String keyPrefix) {
        this.keyPrefix = keyPrefix;
    }

    /** The portal's request burst (cloud 50, Enterprise 250). */
    public void setBurst(int burst) {
        this.burst = burst;
    }

    /** The portal's drain rate, calls a second (cloud 2, Enterprise 5). */
    public void setPerSecond(double perSecond) {
        this.perSecond = perSecond;
    }

    /** The longest a call waits for Redis to answer, ms, before it goes through this JVM's bucket instead. */
    public void setRedisTimeout(long redisTimeout) {
        this.redisTimeout = redisTimeout;
    }

    @Override
    public CompletableFuture<Void> acquire(Bitrix24LimiterKey key, String method) {
        startSweeping();
        use(key.portal()).lastUsedMillis = System.currentTimeMillis();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        // before the first connection, wait for it (redisTimeout at most) rather than let a cold start burst past it
        firstConnection().handle((connected, error) -> sharedHold(key, method)).thenCompose(hold -> hold)
                .whenComplete((heldMillis, holdError) -> {
            long held = Math.max(heldMillis == null ? 0 : heldMillis, localHeldMillis(key, method));
            if (held > 0) {
                scheduler.schedule(() -> forward(acquire(key, method), ready), held, TimeUnit.MILLISECONDS);
                return;
            }
            forward(consume(key), ready);
                });
        return ready;
    }

    /** Completes once connected for the first time, or at once after that; fails after {@code redisTimeout}. */
    private CompletableFuture<Void> firstConnection() {
        if (connectedOnce) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            redis();
            return CompletableFuture.completedFuture(null);
        } catch (NotConnected e) {
            return firstConnect.copy().orTimeout(redisTimeout, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A slot of the portal's shared bucket: one reservation in Redis (a token taken, in debt if need be, which answers
     * how long until it is due), then a local wait for it. A JVM sends its reservations for a portal one at a time, so
     * pods contend for the bucket's key no more than one each. This JVM's bucket when Redis does not answer in time.
     */
    private CompletableFuture<Void> consume(Bitrix24LimiterKey key) {
        CompletableFuture<Long> penalty = new CompletableFuture<>();
        reservations.compute(key.portal(), (portal, tail) -> {
            CompletableFuture<?> previous = tail == null ? CompletableFuture.completedFuture(null) : tail;
            CompletableFuture<Long> next = previous.handle((done, error) -> null).thenCompose(done -> reserve(portal));
            forward(next, penalty);
            return next;
        });
        return penalty.handle((nanos, error) -> {
            PortalUse use = use(key.portal());
            if (error == null) {
                if (recovered() && use.localPending.get() > 0) {
                    // slots the local bucket gave while Redis was away are still to be used: charge them to the
                    // shared bucket, so that the next ones come after them
                    chargeSlots(key.portal(), use.localPending.get());
                }
                use.paced = nanos > 0;
                use.lastDueNanos = System.nanoTime() + nanos;
                noteThisJvm(key.portal());
                return after(nanos);
            }
            unreachable(error);
            // the slots Redis gave before it went away are still being used: the local bucket starts after them
            use.localPending.incrementAndGet();
            CompletableFuture<Void> local = after(use.lastDueNanos - System.nanoTime())
                    .thenCompose(due -> fallback(key).acquire(key, ""));
            local.whenComplete((done, localError) -> use.localPending.decrementAndGet());
            return local;
        }).thenCompose(next -> next);
    }

    private CompletableFuture<Long> reserve(String portal) {
        try {
            return bucket(portal).consumeIgnoringRateLimits(1).orTimeout(redisTimeout, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> after(long nanos) {
        if (nanos <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> due = new CompletableFuture<>();
        scheduler.schedule(() -> due.complete(null), nanos, TimeUnit.NANOSECONDS);
        return due;
    }

    @Override
    public void rateLimited(Bitrix24LimiterKey key) {
        // the refused call spent a slot (another client's, or arrival jitter): count one more, in Redis and here
        chargeSlots(key.portal(), 1);
        fallback(key).rateLimited(key);
    }

    @Override
    public void holdMethod(Bitrix24LimiterKey key, String method, long untilEpochMillis) {
        localHolds.merge(holdKey(key, method), untilEpochMillis, Math::max);
        long ttl = untilEpochMillis - System.currentTimeMillis();
        if (ttl <= 0) {
            return;
        }
        try {
            redis().connection().async().set(holdKey(key, method), new byte[] { 1 }, SetArgs.Builder.px(ttl))
                    .exceptionally(e -> {
                        unreachable(e);
                        return null;
                    });
        } catch (RuntimeException e) {
            unreachable(e);
        }
    }

    @Override
    public long heldForMillis(Bitrix24LimiterKey key, String method) {
        return localHeldMillis(key, method);
    }

    @Override
    public boolean isPacing() {
        return perSecond > 0;
    }

    /** How long another JVM's hold on the method has left, as Redis keeps it; 0 when none or Redis is away. */
    private CompletableFuture<Long> sharedHold(Bitrix24LimiterKey key, String method) {
        try {
            return redis().connection().async().pttl(holdKey(key, method)).toCompletableFuture()
                    .orTimeout(redisTimeout, TimeUnit.MILLISECONDS)
                    .handle((ttl, error) -> {
                        if (error != null) {
                            unreachable(error);
                            return 0L;
                        }
                        return ttl == null || ttl < 0 ? 0L : ttl;
                    });
        } catch (RuntimeException e) {
            unreachable(e);
            return CompletableFuture.completedFuture(0L);
        }
    }

    private long localHeldMillis(Bitrix24LimiterKey key, String method) {
        Long until = localHolds.get(holdKey(key, method));
        return until == null ? 0 : Math.max(0, until - System.currentTimeMillis());
    }

    private String holdKey(Bitrix24LimiterKey key, String method) {
        return keyPrefix + "hold:" + key.portal() + ":" + key.caller() + ":" + method;
    }

    /**
     * The shared bucket as Redis last answered, and a new read of it under way: the first ask of a portal answers null
     * (not read yet), later ones the level of the read before; null for a portal this JVM has not called (or no longer
     * keeps anything for). The level is the calls in the bucket (its capacity less
     * the tokens left; more than the capacity while calls are in debt), the size its capacity (the burst less the
     * headroom kept free).
     */
    @Override
    public Bitrix24BucketState bucket(Bitrix24LimiterKey key) {
        String portal = key.portal();
        int capacity = capacity();
        if (perSecond <= 0) {
            return new Bitrix24BucketState(0, capacity, perSecond);
        }
        // only a bucket this JVM uses is read: a read never makes one, which the idle sweep would not know to drop
        AsyncBucketProxy used = buckets.get(portal);
        if (used != null && levelReads.putIfAbsent(portal, Boolean.TRUE) == null) {
            try {
                used.getAvailableTokens().orTimeout(redisTimeout, TimeUnit.MILLISECONDS)
                        .whenComplete((available, error) -> {
                            if (error == null) {
                                lastLevels.put(portal, (double) Math.max(0, capacity - available));
                            }
                            levelReads.remove(portal);
                        });
            } catch (RuntimeException e) {
                // Redis is away: the last level read stands
                levelReads.remove(portal);
            }
        }
        Double level = lastLevels.get(portal);
        return level == null ? null : new Bitrix24BucketState(level, capacity, perSecond);
    }

    private int capacity() {
        int headroom = (int) Math.max(1, Math.ceil(perSecond * HEADROOM_SECONDS));
        return Math.max(1, burst - headroom);
    }

    private AsyncBucketProxy bucket(String portal) {
        return buckets.computeIfAbsent(portal, p -> redis().buckets().builder().build(keyPrefix + "bucket:" + p,
                () -> CompletableFuture.completedFuture(configuration(p))));
    }

    /**
     * The bucket as Redis makes it when it has none for the portal: at the first call, or when Redis lost it (a
     * restart). Then, if this JVM was being paced, the portal's own bucket is full: the new one starts without tokens.
     */
    private BucketConfiguration configuration(String portal) {
        // the portal's leaky bucket as a token bucket: one back every 1/perSecond s, and a quarter second of the burst
        // kept free (one slot at least), as calls reach the portal closer together than they leave here
        long refillNanos = (long) (1_000_000_000L / perSecond);
        int capacity = capacity();
        boolean portalFull = use(portal).paced;
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(1, Duration.ofNanos(refillNanos))
                        .initialTokens(portalFull ? 0 : capacity))
                .build();
    }

    /**
     * This JVM's bucket for a portal while Redis is away, made at the outage's first call: 1/N of the portal's rate
     * for the N JVMs last seen calling it, with no burst if the shared bucket was pacing calls.
     */
    private Bitrix24Limiter fallback(Bitrix24LimiterKey key) {
        return fallbacks.computeIfAbsent(key.portal(), portal -> {
            PortalUse use = use(portal);
            int jvms = Math.max(1, use.jvmsSeen);
            int ownBurst = use.paced ? 1 : Math.max(1, burst / jvms);
            if (jvms > 1) {
                LOG.info("Portal {}: this JVM keeps to 1/{} of its rate while Redis is away", portal, jvms);
            }
            return Bitrix24Limiter.inThisJvm(ownBurst, perSecond / jvms, scheduler);
        });
    }

    /** What this JVM knows of its calls to one portal. */
    private static final class PortalUse {
        /** The shared bucket made this JVM's last call wait: the portal's rate was all in use. */
        volatile boolean paced;
        /** JVMs that noted themselves for the portal in the last {@link #SEEN_FOR_MILLIS}, as Redis last said. */
        volatile int jvmsSeen = 1;
        volatile long notedAtMillis;
        /** When the last slot Redis gave this JVM is due ({@link System#nanoTime()}). */
        volatile long lastDueNanos = System.nanoTime();
        /** Calls waiting for a slot of the local bucket. */
        final AtomicInteger localPending = new AtomicInteger();
        /** When a call last asked for a slot. */
        volatile long lastUsedMillis = System.currentTimeMillis();
    }

    /** Every tenth of the idle time (a second at least), what this JVM keeps for portals gone idle goes. */
    private void startSweeping() {
        if (sweeping.compareAndSet(false, true)) {
            long every = Math.max(1000, idleMillis / 10);
            scheduler.scheduleWithFixedDelay(this::releaseIdle, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Forgets, in this JVM, the portals no call asked for within the idle time, whose last slot is past and whose
     * reservations are done: thousands of portals called once leave nothing here. The buckets stay in Redis.
     */
    void releaseIdle() {
        long now = System.currentTimeMillis();
        long nanoNow = System.nanoTime();
        for (Map.Entry<String, PortalUse> entry : uses.entrySet()) {
            PortalUse use = entry.getValue();
            String portal = entry.getKey();
            CompletableFuture<?> tail = reservations.get(portal);
            if (now - use.lastUsedMillis >= idleMillis && use.lastDueNanos - nanoNow <= 0 && use.localPending.get() == 0
                && (tail == null || tail.isDone()) && uses.remove(portal, use)) {
                if (tail != null) {
                    reservations.remove(portal, tail);
                }
                buckets.remove(portal);
                fallbacks.remove(portal);
                lastLevels.remove(portal);
            }
        }
        localHolds.values().removeIf(until -> until <= now);
    }

    /** Portals this JVM keeps something for now. */
    int portalsKept() {
        return uses.size();
    }

    /** How long a portal goes uncalled before this JVM forgets it, ms (60000 by default). */
    void setIdleMillis(long idleMillis) {
        this.idleMillis = idleMillis;
    }

    private PortalUse use(String portal) {
        return uses.computeIfAbsent(portal, p -> new PortalUse());
    }

    /** At most once a second: this JVM calls the portal now; and how many JVMs did of late. */
    private void noteThisJvm(String portal) {
        PortalUse use = use(portal);
        long now = System.currentTimeMillis();
        if (now - use.notedAtMillis < 1000) {
            return;
        }
        use.notedAtMillis = now;
        String key = keyPrefix + "jvms:" + portal;
        try {
            var commands = redis().connection().async();
            commands.zadd(key, (double) now, jvmId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            commands.zremrangebyscore(key, io.lettuce.core.Range.create(0, (double) (now - SEEN_FOR_MILLIS)));
            commands.pexpire(key, SEEN_FOR_MILLIS);
            commands.zcard(key).thenAccept(count -> use.jvmsSeen = (int) Math.max(1, count));
        } catch (RuntimeException e) {
            unreachable(e);
        }
    }

    /**
     * The connection, or a failure at once while there is none: connecting is asynchronous, tried again at most every
     * second, so a call never waits on Redis to accept a connection. Once connected, Lettuce reconnects by itself, and
     * rejects commands while disconnected rather than queueing them.
     */
    private Redis redis() {
        Redis current = redis;
        if (current != null) {
            return current;
        }
        long now = System.currentTimeMillis();
        if (now >= nextConnectAt && connecting.compareAndSet(false, true)) {
            nextConnectAt = now + 1000;
            RedisClient client = client();
            client.connectAsync(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), RedisURI.create(redisUri))
                    .whenComplete((connection, error) -> {
                        if (error == null) {
                            AsyncProxyManager<String> proxies = Bucket4jLettuce.casBasedBuilder(connection)
                                    .expirationAfterWrite(ExpirationAfterWriteStrategy
                                            .basedOnTimeForRefillingBucketUpToMax(Duration.ofMinutes(1)))
                                    .build().asAsync();
                            redis = new Redis(connection, proxies);
                            connectedOnce = true;
                            firstConnect.complete(null);
                        } else {
                            unreachable(error);
                        }
                        connecting.set(false);
                    });
        }
        throw new NotConnected();
    }

    private synchronized RedisClient client() {
        if (client == null) {
            client = RedisConnections.client(redisTimeout);
        }
        return client;
    }

    /** Redis did not answer: one warning for the outage, not one per call (none while the first connect runs). */
    private void unreachable(Throwable error) {
        if (rootCause(error) instanceof NotConnected && connecting.get() && !connectedOnce) {
            return;
        }
        if (degraded.compareAndSet(false, true)) {
            warnings.incrementAndGet();
            // the class name only: Redis client messages can quote the URI, which holds the password
            LOG.warn("Redis {} does not answer ({}); calls are paced by this JVM's limiter until it does",
                    this, rootCause(error).getClass().getSimpleName());
        }
    }

    /** Redis answered: true when it had been away. */
    private boolean recovered() {
        if (degraded.compareAndSet(true, false)) {
            // the next outage starts from what is known then
            fallbacks.clear();
            LOG.info("Redis {} answers again; calls are paced by the shared limiter", this);
            return true;
        }
        return false;
    }

    /** Takes {@code slots} from the shared bucket, in debt if need be, without waiting for them. */
    private void chargeSlots(String portal, int slots) {
        try {
            bucket(portal).consumeIgnoringRateLimits(slots).exceptionally(e -> null);
        } catch (RuntimeException e) {
            unreachable(e);
        }
    }

    private static Throwable rootCause(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    /** The Redis address without its password. */
    @Override
    public String toString() {
        return RedisConnections.withoutPassword(redisUri);
    }

    @Override
    public synchronized void close() {
        scheduler.shutdownNow();
        if (redis != null) {
            redis.connection().close();
            redis = null;
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
