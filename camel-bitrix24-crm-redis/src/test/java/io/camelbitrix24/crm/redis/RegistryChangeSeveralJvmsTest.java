package io.camelbitrix24.crm.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.camelbitrix24.crm.internal.portal.Portals;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.ChildJvm;
import io.camelbitrix24.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two pods on one redis-server: pod A ({@link SteadyDeletingApp}, a JVM of its own) deletes steadily on two portals in
 * many-portal mode with the Redis registry, and holds their installations as read; this JVM, a second pod with its own
 * {@link RedisBitrix24PortalRegistry}, removes one installation (as its uninstall handler would) and marks the other
 * refused (as its refused refresh would). Pod A learns of neither change but by reading Redis, off its routes' threads:
 * within the staleness bound its calls to both portals stop, failing as not installed and as refused with nothing
 * sent, and no request of its reaches either portal after that.
 */
class RegistryChangeSeveralJvmsTest {

    /** The bound is the component's; this much more covers a call handed over just before it, and polling. */
    private static final long SLACK_MILLIS = 1_000;
    /** After the bound and its slack, how long the portals are watched for a late request. */
    private static final long QUIET_WATCH_MILLIS = 2_000;
    private static final Pattern OUTCOME = Pattern.compile(
            "portal (\\w+) ok=(\\d+) notInstalled=(\\d+) refused=(\\d+) uninstalledWhileWaiting=(\\d+) other=(\\d+)");

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void anInstallationRemovedOrRefusedByAnotherPodStopsThisPodsCallsWithinTheBound(@TempDir Path dir)
            throws Exception {
        int redisPort = Ports.unused();
        RedisServer redis = TestRedis.server(redisPort, null);
        redis.start();
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(2).seedLeads(20_000).start();
             RedisBitrix24PortalRegistry otherPod = new RedisBitrix24PortalRegistry()) {
            otherPod.setRedisUri("redis://127.0.0.1:" + redisPort);
            Bitrix24Emulator removed = cloud.portal(0);
            Bitrix24Emulator refused = cloud.portal(1);
            for (int i = 0; i < 2; i++) {
                Bitrix24Cloud.Installation installed = Bitrix24Cloud.installation(cloud.installEvent(i));
                otherPod.save(new Bitrix24Installation(installed.memberId(), cloud.portal(i).restUrl(),
                        new Bitrix24Tokens(installed.accessToken(), installed.refreshToken()),
                        installed.applicationToken(), null));
            }
            Path stop = dir.resolve("stop");
            try (ChildJvm podA = ChildJvm.running(SteadyDeletingApp.class.getName())
                    .args("redis://127.0.0.1:" + redisPort, cloud.oauthServerUrl(), cloud.clientId(),
                            cloud.clientSecret(), stop.toString(), removed.memberId(), refused.memberId())
                    .start(dir.resolve("podA.log"))) {
                long ready = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!podA.output().contains("ready") && podA.isAlive() && System.nanoTime() < ready) {
                    Thread.sleep(20);
                }
                assertTrue(podA.output().contains("ready"), "pod A started: " + podA.output());
                // pod A deletes steadily on both portals for a while
                Thread.sleep(1_500);
                long before = removed.requests().total();
                Thread.sleep(300);
                assertTrue(removed.requests().total() > before, "pod A calls the portal steadily");

                // the other pod changes both installations in Redis
                Bitrix24Installation stored = otherPod.find(refused.memberId());
                otherPod.remove(removed.memberId());
                otherPod.save(stored.refused("invalid_grant"));
                long changedAt = System.nanoTime();

                // watch the portals' request logs until the bound, its slack and the quiet watch have passed
                long end = changedAt + TimeUnit.MILLISECONDS.toNanos(Portals.STALE_AFTER_MILLIS + SLACK_MILLIS
                                                                      + QUIET_WATCH_MILLIS);
                long[] seen = {removed.requests().total(), refused.requests().total()};
                long[] lastArrival = {changedAt, changedAt};
                while (System.nanoTime() < end) {
                    Bitrix24Emulator[] portals = {removed, refused};
                    for (int i = 0; i < 2; i++) {
                        long total = portals[i].requests().total();
                        if (total != seen[i]) {
                            seen[i] = total;
                            lastArrival[i] = System.nanoTime();
                        }
                    }
                    Thread.sleep(2);
                }
                Files.createFile(stop);
                assertTrue(podA.awaitEnd(Duration.ofSeconds(60)), "pod A ended: " + podA.output());
                long removedLast = TimeUnit.NANOSECONDS.toMillis(lastArrival[0] - changedAt);
                long refusedLast = TimeUnit.NANOSECONDS.toMillis(lastArrival[1] - changedAt);
                String output = podA.output();
                System.out.printf("registry change, two pods: pod A's last request reached the removed portal %d ms"
                                  + " and the refused one %d ms after the change in Redis (bound %d ms)%n",
                        removedLast, refusedLast, Portals.STALE_AFTER_MILLIS);
                output.lines().filter(line -> line.startsWith("portal ") || line.startsWith("failed: "))
                        .forEach(line -> System.out.println("registry change, pod A: " + line));

                assertTrue(removedLast <= Portals.STALE_AFTER_MILLIS + SLACK_MILLIS,
                        "the removed portal's last request " + removedLast + " ms after the change");
                assertTrue(refusedLast <= Portals.STALE_AFTER_MILLIS + SLACK_MILLIS,
                        "the refused portal's last request " + refusedLast + " ms after the change");
                assertEquals(seen[0], removed.requests().total(), "nothing reached the removed portal since");
                assertEquals(seen[1], refused.requests().total(), "nothing reached the refused portal since");

                Matcher m = OUTCOME.matcher(output);
                assertTrue(m.find(), "pod A's outcomes: " + output);
                assertEquals(removed.memberId(), m.group(1));
                assertTrue(Long.parseLong(m.group(2)) > 0, "calls to the removed portal went before: " + m.group());
                assertTrue(Long.parseLong(m.group(3)) > 0, "then failed as not installed: " + m.group());
                assertEquals("0", m.group(4), m.group());
                assertEquals("0", m.group(6), "no other failure: " + output);
                assertTrue(m.find(), "pod A's outcomes: " + output);
                assertEquals(refused.memberId(), m.group(1));
                assertTrue(Long.parseLong(m.group(2)) > 0, "calls to the refused portal went before: " + m.group());
                assertTrue(Long.parseLong(m.group(4)) > 0, "then failed as refused: " + m.group());
                assertEquals("0", m.group(3), m.group());
                assertEquals("0", m.group(6), "no other failure: " + output);
            }
        } finally {
            redis.stop();
        }
    }
}
