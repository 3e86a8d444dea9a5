package io.camelbitrix24.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.camelbitrix24.crm.Bitrix24CrmComponent;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

/**
 * What the Micrometer meters cost: the same route, {@code direct -> bitrix24-crm:lead/delete}, in three Camel contexts
 * against one emulator with limits off, in this JVM: meters on (a {@link SimpleMeterRegistry} bound in Camel's
 * registry), meters off by {@code metersEnabled=false} (the registry bound all the same), and no
 * {@code MeterRegistry} at all. Latency of one call at a time, the three alternating in blocks after a common warm-up,
 * as {@link OverheadBenchmark} does; then throughput, a seda queue of single-id messages drained by
 * {@value #CONSUMERS} consumers (coalesced, the default), the three alternating in rounds. The meters on must have
 * counted every call, and the registry of the context with {@code metersEnabled=false} none.
 */
final class MetersBenchmark {

    static final String[] MODES = { "on", "off", "none" };
    static final int WARMUP = Integer.getInteger("bench.meters.warmup", 5_000);
    static final int ROUNDS = Integer.getInteger("bench.meters.rounds", 100);
    static final int BLOCK = 200;
    static final int MESSAGES = Integer.getInteger("bench.meters.messages", 10_000);
    static final int THROUGHPUT_ROUNDS = Integer.getInteger("bench.meters.throughputRounds", 11);
    static final int CONSUMERS = 100;

    /**
     * Per mode (on, off, none): latency of one call, the median of each round's block, deletes per second of each timed
     * throughput round, and what the meters counted ({@code bitrix24.crm.calls} in the mode's registry; -1 when it has
     * none).
     */
    record Result(Stats[] latency, double[][] blockMedians, double[][] perSecond, long[] callsCounted,
                  long requestsCounted) {
        Stats on() {
            return latency[0];
        }

        Stats off() {
            return latency[1];
        }

        Stats none() {
            return latency[2];
        }

        double medianPerSecond(int mode) {
            return median(perSecond[mode]);
        }

        /** Paired: the median over rounds of mode {@code a}'s block median over mode {@code b}'s in the same round. */
        double pairedLatencyRatio(int a, int b) {
            double[] ratios = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                ratios[r] = blockMedians[a][r] / blockMedians[b][r];
            }
            return median(ratios);
        }

        /** Paired: the median over rounds of mode {@code b}'s deletes per second over mode {@code a}'s. */
        double pairedThroughputRatio(int a, int b) {
            double[] ratios = new double[THROUGHPUT_ROUNDS];
            for (int r = 0; r < THROUGHPUT_ROUNDS; r++) {
                ratios[r] = perSecond[b][r] / perSecond[a][r];
            }
            return median(ratios);
        }

        private static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    Result run() throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().start()) {
            SimpleMeterRegistry onRegistry = new SimpleMeterRegistry();
            SimpleMeterRegistry offRegistry = new SimpleMeterRegistry();
            Lane[] lanes = new Lane[MODES.length];
            try {
                lanes[0] = lane(portal, onRegistry, true);
                lanes[1] = lane(portal, offRegistry, false);
                lanes[2] = lane(portal, null, true);
                double[][] blockMedians = new double[MODES.length][ROUNDS];
                Stats[] latency = latency(portal, lanes, blockMedians);
                double[][] perSecond = throughput(portal, lanes);
                if (portal.data().leadCount() != 0) {
                    throw new IllegalStateException("leads left: " + portal.data().leadCount());
                }
                long on = count(onRegistry, "bitrix24.crm.calls");
                long off = count(offRegistry, "bitrix24.crm.calls");
                if (on != expectedCalls() || !offRegistry.getMeters().isEmpty()) {
                    throw new IllegalStateException("the meters on counted " + on + " calls of " + expectedCalls()
                                                    + "; the registry of metersEnabled=false holds "
                                                    + offRegistry.getMeters().size() + " meters");
                }
                return new Result(latency, blockMedians, perSecond, new long[] { on, off, -1 },
                        count(onRegistry, "bitrix24.crm.requests"));
            } finally {
                for (Lane lane : lanes) {
                    if (lane != null) {
                        lane.camel().close();
                    }
                }
            }
        }
    }

    /** One mode's context, its template, and the latch and failures of its current drain. */
    private record Lane(CamelContext camel, ProducerTemplate template, AtomicReference<CountDownLatch> done,
                        AtomicLong failed) {
    }

    /** A context on the portal, limits off on the client's side, its registry holding {@code registry} if any. */
    private static Lane lane(Bitrix24Emulator portal, MeterRegistry registry, boolean metersEnabled) throws Exception {
        CamelContext camel = Portals.camel(portal, 50, 0);
        camel.getComponent("bitrix24-crm", Bitrix24CrmComponent.class).setMetersEnabled(metersEnabled);
        if (registry != null) {
            camel.getRegistry().bind("meterRegistry", registry);
        }
        AtomicReference<CountDownLatch> done = new AtomicReference<>(new CountDownLatch(0));
        AtomicLong failed = new AtomicLong();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true).process(e -> {
                    failed.incrementAndGet();
                    done.get().countDown();
                });
                from("direct:delete").to("bitrix24-crm:lead/delete");
                from("seda:drain?concurrentConsumers=" + CONSUMERS + "&size=" + MESSAGES)
                        .to("bitrix24-crm:lead/delete").process(e -> done.get().countDown());
            }
        });
        camel.start();
        return new Lane(camel, camel.createProducerTemplate(), done, failed);
    }

    private static long count(SimpleMeterRegistry registry, String counter) {
        return (long) registry.find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    /**
     * One call at a time: a common warm-up, then blocks of {@value #BLOCK} per mode, the order turning each round; each
     * block's median into {@code blockMedians}.
     */
    private static Stats[] latency(Bitrix24Emulator portal, Lane[] lanes, double[][] blockMedians) {
        int modes = lanes.length;
        int[] ids = Portals.seedLeads(portal, modes * (WARMUP + ROUNDS * BLOCK));
        int next = 0;
        for (int i = 0; i < WARMUP; i++) {
            for (Lane lane : lanes) {
                delete(lane.template(), ids[next++]);
            }
        }
        long[][] nanos = new long[modes][ROUNDS * BLOCK];
        int[] counts = new int[modes];
        for (int round = 0; round < ROUNDS; round++) {
            for (int k = 0; k < modes; k++) {
                int m = (round + k) % modes;
                for (int i = 0; i < BLOCK; i++) {
                    long start = System.nanoTime();
                    delete(lanes[m].template(), ids[next++]);
                    nanos[m][counts[m]++] = System.nanoTime() - start;
                }
                blockMedians[m][round] = Stats.of(Arrays.copyOfRange(nanos[m], counts[m] - BLOCK, counts[m]), BLOCK)
                        .medianMicros();
            }
        }
        Stats[] stats = new Stats[modes];
        for (int m = 0; m < modes; m++) {
            stats[m] = Stats.of(nanos[m], counts[m]);
        }
        return stats;
    }

    private static void delete(ProducerTemplate template, int id) {
        if (!Boolean.TRUE.equals(template.requestBody("direct:delete", id))) {
            throw new IllegalStateException("delete of " + id + " failed");
        }
    }

    /**
     * {@value #MESSAGES} single-id messages per round on each context's seda queue, {@value #CONSUMERS} consumers: one
     * untimed round per mode, then {@value #THROUGHPUT_ROUNDS} timed ones, the order turning each round. Answers deletes
     * per second per mode and round.
     */
    private static double[][] throughput(Bitrix24Emulator portal, Lane[] lanes) throws Exception {
        int modes = lanes.length;
        double[][] perSecond = new double[modes][THROUGHPUT_ROUNDS];
        for (int round = -1; round < THROUGHPUT_ROUNDS; round++) {
            for (int k = 0; k < modes; k++) {
                int m = (Math.max(round, 0) + k) % modes;
                double rate = drain(portal, lanes[m]);
                if (round >= 0) {
                    perSecond[m][round] = rate;
                }
            }
        }
        return perSecond;
    }

    private static double drain(Bitrix24Emulator portal, Lane lane) throws Exception {
        int[] ids = Portals.seedLeads(portal, MESSAGES);
        CountDownLatch done = new CountDownLatch(MESSAGES);
        lane.done().set(done);
        long start = System.nanoTime();
        for (int id : ids) {
            lane.template().sendBody("seda:drain", id);
        }
        if (!done.await(5, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the drain did not finish: " + done.getCount() + " left");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (portal.data().leadCount() != 0 || lane.failed().get() != 0) {
            throw new IllegalStateException("a drain failed: " + lane.failed().get() + " failed, "
                                            + portal.data().leadCount() + " leads left");
        }
        return MESSAGES / seconds;
    }

    /** The exchanges the meters on must have counted: warm-up, timed calls and every drain, its untimed one too. */
    static long expectedCalls() {
        return WARMUP + (long) ROUNDS * BLOCK + (THROUGHPUT_ROUNDS + 1L) * MESSAGES;
    }

    /** The figures of each timed throughput round, for the report. */
    static List<String> rounds(Result result) {
        List<String> lines = new ArrayList<>();
        for (int m = 0; m < MODES.length; m++) {
            StringBuilder line = new StringBuilder(MODES[m]).append(':');
            for (double rate : result.perSecond()[m]) {
                line.append(' ').append(Math.round(rate));
            }
            lines.add(line.toString());
        }
        return lines;
    }
}
