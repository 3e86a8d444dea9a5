package io.camelbitrix24.crm.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.spi.Bitrix24BucketState;
import io.camelbitrix24.crm.spi.Bitrix24LimiterKey;
import io.camelbitrix24.testing.Ports;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared limiter against a real redis-server (the binary the embedded-redis artifact ships, started here, with a
 * password): two limiters stand for two pods. They share the portal's bucket and the operating-time holds; while Redis
 * is away calls go on through each JVM's own bucket with one warning, and come back to Redis when it returns.
 */
class RedisBitrix24LimiterTest {

    private static final String PASSWORD = "r3disPassw0rd";
    private static int port;
    private static RedisServer server;
    private final List<RedisBitrix24Limiter> limiters = new ArrayList<>();
    private final Bitrix24LimiterKey key = new Bitrix24LimiterKey("https://acme.bitrix24.com", "webhook:1");

    @BeforeAll
    static void startRedis() throws Exception {
        port = Ports.unused();
        server = redis();
        server.start();
    }

    private static RedisServer redis() throws Exception {
        return TestRedis.server(port, PASSWORD);
    }

    @AfterAll
    static void stopRedis() throws Exception {
        server.stop();
    }

    @AfterEach
    void closeLimiters() {
        limiters.forEach(RedisBitrix24Limiter::close);
    }

    /**
     * A pod's limiter: a 10-call burst refilled 10 a second (of which it keeps a quarter second, 3 calls, free),
     * connected before the test uses it.
     */
    private RedisBitrix24Limiter pod(String prefix) throws Exception {
        RedisBitrix24Limiter limiter = new RedisBitrix24Limiter();
        limiter.setRedisUri("redis://:" + PASSWORD + "@127.0.0.1:" + port);
        limiter.setKeyPrefix(prefix);
        limiter.setBurst(10);
        limiter.setPerSecond(10);
        limiters.add(limiter);
        Bitrix24LimiterKey warmUp = new Bitrix24LimiterKey("https://warm-up", "webhook:1");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!limiter.isShared() && System.nanoTime() < deadline) {
            limiter.acquire(warmUp, "scope").get(5, TimeUnit.SECONDS);
            Thread.sleep(20);
        }
        assertTrue(limiter.isShared(), "connected to Redis");
        return limiter;
    }

    /** Milliseconds until the last of {@code perPod} acquisitions on each limiter completes. */
    private long lastOf(int perPod, RedisBitrix24Limiter... pods) throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<Void>> calls = new ArrayList<>();
        for (int i = 0; i < perPod; i++) {
            for (RedisBitrix24Limiter pod : pods) {
                calls.add(pod.acquire(key, "crm.lead.delete"));
            }
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        return (System.nanoTime() - start) / 1_000_000;
    }

    @Test
    void twoPodsShareOnePortalBucket() throws Exception {
        String prefix = "t" + UUID.randomUUID() + ":";
        long shared = lastOf(10, pod(prefix), pod(prefix));
        // 20 calls, 7 at once and 10 a second: the last one 1.3 s after the first
        assertTrue(shared >= 1_000, "twenty calls through one shared bucket took " + shared + " ms");

        long separate = lastOf(10, pod("a" + UUID.randomUUID() + ":"), pod("b" + UUID.randomUUID() + ":"));
        // two buckets: 7 at once each, the last of each pod's ten 0.3 s later; one bucket for both could not let the
        // twenty go in less than 1.3 s (7 at once, 13 more at 10 a second), so anything well under that is two buckets
        assertTrue(separate < 1_200, "two buckets let the twenty calls go faster than one bucket can: " + separate
                                     + " ms (one shared bucket: " + shared + " ms)");
    }

    @Test
    void eachPodTellsTheSharedBucketsLevelAsRedisLastAnswered() throws Exception {
        String prefix = "l" + UUID.randomUUID() + ":";
        RedisBitrix24Limiter first = pod(prefix);
        RedisBitrix24Limiter second = pod(prefix);
        lastOf(5, first);
        // a pod reads only the buckets it uses: the second has called the portal once
        lastOf(1, second);
        // the first ask starts a read; the next ones answer it, without waiting on Redis
        first.bucket(key);
        Bitrix24BucketState seen = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (seen == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
            seen = second.bucket(key);
        }
        assertNotNull(seen, "the level read from Redis");
        // 10 burst, a quarter second of 10/s kept free: a capacity of 7; the pods' 6 calls are in it, less what drained
        // since
        assertEquals(7, seen.size());
        assertEquals(10.0, seen.perSecond());
        assertTrue(seen.level() >= 0 && seen.level() <= 7, "level " + seen.level());
        Bitrix24BucketState drained = null;
        Thread.sleep(1_000);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while ((drained == null || drained.level() > 0) && System.nanoTime() < deadline) {
            second.bucket(key);
            Thread.sleep(50);
            drained = second.bucket(key);
        }
        assertEquals(0.0, drained.level(), "a second later the bucket has drained");
        assertNull(second.bucket(new Bitrix24LimiterKey("https://never-called", "webhook:1")),
                "a portal this pod has not called is not read");
    }

    @Test
    void aMethodHeldInOnePodIsHeldInAll() throws Exception {
        String prefix = "h" + UUID.randomUUID() + ":";
        RedisBitrix24Limiter first = pod(prefix);
        RedisBitrix24Limiter second = pod(prefix);
        // long enough for a new Redis client to connect on a slow machine and still find the hold on
        long holdEnd = System.currentTimeMillis() + 2_000;
        first.holdMethod(key, "crm.lead.delete", holdEnd);
        // the hold reaches Redis asynchronously, within one round trip: the other pod sees it from then on
        RedisClient client = RedisClient.create("redis://:" + PASSWORD + "@127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (connection.sync().keys(prefix + "hold:*").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        } finally {
            client.shutdown();
        }
        long asked = System.currentTimeMillis();
        assertTrue(asked < holdEnd - 200, "the hold still had a while to run when the other pod asked: "
                                          + (holdEnd - asked) + " ms");
        // another method is not held: it goes while the hold is on
        second.acquire(key, "crm.contact.delete").get(5, TimeUnit.SECONDS);
        assertTrue(System.currentTimeMillis() < holdEnd, "another method went during the hold");
        second.acquire(key, "crm.lead.delete").get(10, TimeUnit.SECONDS);
        long early = holdEnd - System.currentTimeMillis();
        // Redis keeps the hold to the millisecond (PTTL rounds down): the held method goes once it ended, not before
        assertTrue(early <= 5, "the other pod waited for the hold to end (" + (holdEnd - asked)
                               + " ms after it asked); it went " + early + " ms early");
    }

    @Test
    void whileRedisIsAwayCallsGoOnWithOneWarningAndComeBackToItsBucket() throws Exception {
        String prefix = "o" + UUID.randomUUID() + ":";
        RedisBitrix24Limiter pod = pod(prefix);
        server.stop();
        try {
            long took = lastOf(20, pod);
            // this JVM's bucket: the full burst of 10 at once, then 10 a second
            assertTrue(took < 10_000, "20 calls went through this JVM's bucket in " + took + " ms");
            assertFalse(pod.isShared());
            assertEquals(1, pod.warnings(), "one warning for the outage");
        } finally {
            server = redis();
            server.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!pod.isShared() && System.nanoTime() < deadline) {
            pod.acquire(key, "crm.lead.delete").get(10, TimeUnit.SECONDS);
            Thread.sleep(100);
        }
        assertTrue(pod.isShared(), "back on Redis");
        RedisClient client = RedisClient.create("redis://:" + PASSWORD + "@127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertFalse(connection.sync().keys(prefix + "bucket:*").isEmpty(), "the bucket is in Redis again");
        } finally {
            client.shutdown();
        }
    }

    @Test
    void whileRedisIsAwayEachOfTheJvmsLastSeenKeepsToItsShareOfTheRate() throws Exception {
        String prefix = "n" + UUID.randomUUID() + ":";
        RedisBitrix24Limiter a = pod(prefix);
        RedisBitrix24Limiter b = pod(prefix);
        lastOf(1, a, b);
        // each notes itself at most once a second: a second round, once both are in Redis, tells each there are two
        Thread.sleep(1_100);
        lastOf(1, a, b);
        Thread.sleep(200);
        server.stop();
        try {
            long took = lastOf(10, a);
            // half the bucket: 5 at once, then 5 a second, so the tenth 1 s after the first (the whole bucket: 20 ms)
            assertTrue(took >= 800, "ten calls at half the rate took " + took + " ms");
            assertTrue(took < 5_000, "ten calls took " + took + " ms");
        } finally {
            server = redis();
            server.start();
        }
    }

    @Test
    void aBucketRedisLostStartsWithoutTokensWhenThisJvmWasBeingPaced() throws Exception {
        String prefix = "f" + UUID.randomUUID() + ":";
        RedisBitrix24Limiter pod = pod(prefix);
        // 7 at once, then the bucket makes the calls wait: the portal's own bucket is full
        lastOf(12, pod);
        RedisClient client = RedisClient.create("redis://:" + PASSWORD + "@127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().flushall();
        } finally {
            client.shutdown();
        }
        long took = lastOf(3, pod);
        // made anew without tokens: 10 a second from the first (with the tokens of a new bucket: at once)
        assertTrue(took >= 250, "three calls on the bucket Redis made anew took " + took + " ms");
    }

    @Test
    void portalsGoneIdleAreForgottenInThisJvmWhileTheirBucketsStayInRedis() throws Exception {
        String prefix = "i" + UUID.randomUUID() + ":";
        RedisBitrix24Limiter pod = pod(prefix);
        pod.setIdleMillis(200);
        for (int i = 0; i < 50; i++) {
            pod.acquire(new Bitrix24LimiterKey("member:portal" + i, "app:local.app"), "crm.lead.delete")
                    .get(5, TimeUnit.SECONDS);
        }
        assertTrue(pod.portalsKept() >= 50, "kept while in use: " + pod.portalsKept());
        Thread.sleep(300);
        pod.releaseIdle();
        assertEquals(0, pod.portalsKept(), "nothing kept for portals idle past the idle time");
        // a portal called again is kept again, its bucket still the one in Redis
        Bitrix24LimiterKey again = new Bitrix24LimiterKey("member:portal0", "app:local.app");
        pod.acquire(again, "crm.lead.delete").get(5, TimeUnit.SECONDS);
        assertEquals(1, pod.portalsKept());
    }

    @Test
    void thePasswordIsNeverShown() throws Exception {
        RedisBitrix24Limiter pod = pod("s" + UUID.randomUUID() + ":");
        assertFalse(pod.toString().contains(PASSWORD), pod.toString());
        assertTrue(pod.toString().contains("127.0.0.1:" + port), pod.toString());
    }
}
