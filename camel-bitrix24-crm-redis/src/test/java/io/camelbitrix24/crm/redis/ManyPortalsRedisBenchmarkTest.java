package io.camelbitrix24.crm.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.camelbitrix24.crm.Bitrix24CrmComponent;
import io.camelbitrix24.crm.Bitrix24CrmConstants;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.testing.Ports;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import redis.embedded.RedisServer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A benchmark, not a test: run only with {@code -Dbench=true}, it prints figures and asserts none of them. Many-portal
 * deletes per second with the installations in a real redis-server: {@value #MESSAGES} single-id messages spread over
 * {@value #PORTALS} portals of the emulated cloud (plain HTTP on loopback, limits off on both sides), on a seda queue
 * drained by {@value #CONSUMERS} concurrent consumers into {@code bitrix24-crm:lead/delete}; coalesced (the default) and
 * {@code coalesce=false}, {@value #ROUNDS} rounds each, interleaved, after a warm-up of each; with the registry's reads
 * counted. The same file runs against an earlier version of the component, for a before-and-after figure: it uses only
 * the component's public options.
 * <pre>
 * mvn -o -B -ntp test -pl camel-bitrix24-crm,camel-bitrix24-crm-redis -Dtest=ManyPortalsRedisBenchmarkTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dbench=true
 * </pre>
 * The figures are in {@code target/surefire-reports/*ManyPortalsRedisBenchmarkTest-output.txt}.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class ManyPortalsRedisBenchmarkTest {

    static final int PORTALS = 4;
    static final int MESSAGES = Integer.getInteger("bench.messages", 40_000);
    static final int WARM_UP = 4_000;
    static final int CONSUMERS = 100;
    static final int ROUNDS = 3;

    /** The Redis registry, its reads counted. */
    public static final class CountingRegistry extends RedisBitrix24PortalRegistry {
        final LongAdder finds = new LongAdder();

        @Override
        public Bitrix24Installation find(String memberId) {
            finds.increment();
            return super.find(memberId);
        }
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void manyPortalDeletesPerSecondOnARedisRegistry() throws Exception {
        int redisPort = Ports.unused();
        RedisServer redis = TestRedis.server(redisPort, null);
        redis.start();
        int perPortal = (2 * WARM_UP + 2 * ROUNDS * MESSAGES) / PORTALS + 10;
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(PORTALS).seedLeads(perPortal).start();
             CountingRegistry registry = new CountingRegistry()) {
            registry.setRedisUri("redis://127.0.0.1:" + redisPort);
            String[] memberIds = new String[PORTALS];
            for (int i = 0; i < PORTALS; i++) {
                Bitrix24Cloud.Installation installed = Bitrix24Cloud.installation(cloud.installEvent(i));
                memberIds[i] = installed.memberId();
                registry.save(new Bitrix24Installation(installed.memberId(), cloud.portal(i).restUrl(),
                        new Bitrix24Tokens(installed.accessToken(), installed.refreshToken()),
                        installed.applicationToken(), null));
            }
            Bitrix24CrmComponent component = new Bitrix24CrmComponent();
            component.getConfiguration().setClientId(cloud.clientId());
            component.getConfiguration().setClientSecret(cloud.clientSecret());
            component.getConfiguration().setOauthServerUrl(cloud.oauthServerUrl());
            component.getConfiguration().setPortalRegistry(registry);
            component.getConfiguration().setAllowInsecureHttp(true);
            component.getConfiguration().setRateLimitPerSecond(0);
            AtomicLong failed = new AtomicLong();
            CountDownLatch[] done = new CountDownLatch[1];
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.addComponent("bitrix24-crm", component);
                camel.addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        onException(Exception.class).handled(true).process(e -> {
                            if (failed.incrementAndGet() <= 3) {
                                System.out.println("many portals on Redis: failed: "
                                                   + e.getProperty("CamelExceptionCaught"));
                            }
                            done[0].countDown();
                        });
                        for (String mode : new String[] {"true", "false"}) {
                            from("seda:coalesce-" + mode + "?concurrentConsumers=" + CONSUMERS + "&size="
                                 + (MESSAGES + WARM_UP))
                                    .to("bitrix24-crm:lead/delete?coalesce=" + mode)
                                    .process(e -> done[0].countDown());
                        }
                    }
                });
                camel.start();
                ProducerTemplate template = camel.createProducerTemplate();
                int[] next = new int[PORTALS];
                java.util.Arrays.fill(next, 1);
                drain(template, "true", WARM_UP, memberIds, next, done);
                drain(template, "false", WARM_UP, memberIds, next, done);
                List<String> rows = new ArrayList<>();
                double[][] perSecond = new double[2][ROUNDS];
                for (int round = 0; round < ROUNDS; round++) {
                    for (int m = 0; m < 2; m++) {
                        String mode = m == 0 ? "true" : "false";
                        long findsBefore = registry.finds.sum();
                        long failedBefore = failed.get();
                        double seconds = drain(template, mode, MESSAGES, memberIds, next, done);
                        perSecond[m][round] = MESSAGES / seconds;
                        rows.add(String.format(Locale.ROOT, "round %d  coalesce=%-5s  %8.0f deletes/s  %6.2f s"
                                                            + "  registry reads %6d  failed %d", round + 1, mode,
                                MESSAGES / seconds, seconds, registry.finds.sum() - findsBefore,
                                failed.get() - failedBefore));
                    }
                }
                System.out.printf(Locale.ROOT, "many portals on Redis: %d cores, Java %s; %d messages per round over %d"
                                               + " portals, seda %d consumers, limits off, registry in redis-server%n",
                        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), MESSAGES,
                        PORTALS, CONSUMERS);
                rows.forEach(row -> System.out.println("many portals on Redis: " + row));
                System.out.printf(Locale.ROOT, "many portals on Redis: median coalesced %.0f deletes/s,"
                                               + " coalesce=false %.0f deletes/s%n", median(perSecond[0]),
                        median(perSecond[1]));
                assertEquals(0, failed.get(), "every delete went through");
            }
        } finally {
            redis.stop();
        }
    }

    /** {@code count} messages on the mode's queue, round-robin over the portals; the seconds until the last ended. */
    private static double drain(ProducerTemplate template, String mode, int count, String[] memberIds, int[] next,
                                CountDownLatch[] done) throws InterruptedException {
        done[0] = new CountDownLatch(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            int portal = i % memberIds.length;
            int lead = next[portal]++;
            template.sendBodyAndHeader("seda:coalesce-" + mode, lead, Bitrix24CrmConstants.PORTAL, memberIds[portal]);
        }
        if (!done[0].await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the queue did not drain: " + done[0].getCount() + " left");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
