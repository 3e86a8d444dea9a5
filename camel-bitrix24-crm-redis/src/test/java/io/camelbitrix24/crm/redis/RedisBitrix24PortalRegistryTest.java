package io.camelbitrix24.crm.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.ChildJvm;
import io.camelbitrix24.testing.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The portal registry in a real redis-server: installations kept and shared, and one refresh per installation across
 * instances: two registries in this JVM, then two separate JVMs (Camel Main apps configured by properties) whose calls
 * find the same access token expired at once.
 */
class RedisBitrix24PortalRegistryTest {

    private static final Pattern RESULT = Pattern.compile("result ok=(\\d+) failed=(\\d+)");
    private static int redisPort;
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redisPort = Ports.unused();
        redis = TestRedis.server(redisPort, null);
        redis.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.stop();
    }

    private static RedisBitrix24PortalRegistry registry() {
        RedisBitrix24PortalRegistry registry = new RedisBitrix24PortalRegistry();
        registry.setRedisUri("redis://127.0.0.1:" + redisPort);
        return registry;
    }

    @Test
    void installationsAreKeptAndSharedByEveryInstanceOnTheRedis() {
        try (RedisBitrix24PortalRegistry one = registry(); RedisBitrix24PortalRegistry other = registry()) {
            Bitrix24Installation installed = new Bitrix24Installation("a1b2c3", "https://a.bitrix24.test/rest/",
                    new Bitrix24Tokens("access-1", "refresh-1"), "app-token-1", null, 250, 5.0);
            one.save(installed);
            assertEquals(installed, other.find("a1b2c3"));
            other.save(installed.refused("invalid_grant"));
            assertEquals("invalid_grant", one.find("a1b2c3").getRefusal());
            one.remove("a1b2c3");
            assertNull(other.find("a1b2c3"));
            assertNull(other.find("never-installed"));
        }
        RedisBitrix24PortalRegistry withPassword = new RedisBitrix24PortalRegistry();
        withPassword.setRedisUri("redis://:s3cretPassw0rd@127.0.0.1:" + redisPort);
        assertFalse(withPassword.toString().contains("s3cretPassw0rd"), withPassword.toString());
    }

    @Test
    void twoInstancesRefreshingOneInstallationAtOnceRefreshOnce() throws Exception {
        try (RedisBitrix24PortalRegistry one = registry(); RedisBitrix24PortalRegistry other = registry()) {
            one.save(new Bitrix24Installation("d4e5f6", "https://d.bitrix24.test/rest/",
                    new Bitrix24Tokens("access-1", "refresh-1"), null, null));
            AtomicInteger refreshes = new AtomicInteger();
            List<CompletableFuture<Bitrix24Tokens>> answers = new ArrayList<>();
            for (RedisBitrix24PortalRegistry registry : List.of(one, other, one, other)) {
                answers.add(registry.refreshOnce("d4e5f6", "refresh-1", () -> CompletableFuture.supplyAsync(() -> {
                    refreshes.incrementAndGet();
                    sleep(300);
                    Bitrix24Tokens fresh = new Bitrix24Tokens("access-2", "refresh-2");
                    registry.save(registry.find("d4e5f6").withTokens(fresh));
                    return fresh;
                })));
            }
            for (CompletableFuture<Bitrix24Tokens> answer : answers) {
                assertEquals(new Bitrix24Tokens("access-2", "refresh-2"), answer.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, refreshes.get(), "one refresh for the four");
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void twoJvmsFindingOnePortalsTokenExpiredAtOnceRefreshItOnceWithNoLockout(@TempDir Path dir) throws Exception {
        int perPod = 20;
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(1).start();
             RedisBitrix24PortalRegistry registry = registry()) {
            Bitrix24Emulator portal = cloud.portal(0);
            for (int i = 0; i < 2 * perPod; i++) {
                portal.data().addLead("Lead " + i, "NEW");
            }
            Bitrix24Cloud.Installation installed = Bitrix24Cloud.installation(cloud.installEvent(0));
            registry.save(new Bitrix24Installation(installed.memberId(), portal.restUrl(),
                    new Bitrix24Tokens(installed.accessToken(), installed.refreshToken()), installed.applicationToken(),
                    null));
            // a refresh that takes a while, so the other pod's calls meet it under way
            cloud.setOAuthDelay(Duration.ofMillis(300));
            Path go = dir.resolve("go");
            List<ChildJvm> pods = new ArrayList<>();
            try {
                for (int pod = 0; pod < 2; pod++) {
                    pods.add(ChildJvm.running(ManyPortalsApp.class.getName())
                            .args("redis://127.0.0.1:" + redisPort, cloud.oauthServerUrl(), cloud.clientId(),
                                    cloud.clientSecret(), installed.memberId(), String.valueOf(1 + pod * perPod),
                                    String.valueOf(perPod), go.toString())
                            .start(dir.resolve("pod" + pod + ".log")));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < deadline && !pods.stream().allMatch(p -> p.output().contains("ready"))) {
                    Thread.sleep(20);
                }
                assertTrue(pods.stream().allMatch(p -> p.output().contains("ready")), "the pods started");
                // both pods hold the same pair; it expires for both at once
                portal.access().expireAllAccessTokens();
                Files.createFile(go);
                int ok = 0;
                int failed = 0;
                for (ChildJvm pod : pods) {
                    assertTrue(pod.awaitEnd(Duration.ofSeconds(90)), "a pod ended");
                    Matcher m = RESULT.matcher(pod.output());
                    assertTrue(m.find(), "a pod's result: " + pod.output());
                    ok += Integer.parseInt(m.group(1));
                    failed += Integer.parseInt(m.group(2));
                }
                System.out.printf("two JVMs, one portal's token expired: ok %d, failed %d, refreshes granted %d,"
                                  + " refused %d%n", ok, failed, portal.access().refreshesGranted(),
                        portal.access().refreshesRefused());
                assertEquals(2 * perPod, ok, "no call failed: " + pods.get(0).output() + pods.get(1).output());
                assertEquals(0, portal.data().leadCount());
                assertEquals(1, portal.access().refreshesGranted(), "one refresh for both pods");
                assertEquals(0, portal.access().refreshesRefused(), "no refresh token used twice");
                assertNull(registry.find(installed.memberId()).getRefusal(), "the installation is not marked refused");
            } finally {
                for (ChildJvm pod : pods) {
                    pod.close();
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
