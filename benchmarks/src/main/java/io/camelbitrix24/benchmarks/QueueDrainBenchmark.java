package io.camelbitrix24.benchmarks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelbitrix24.crm.Bitrix24ItemResult;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;

/**
 * Draining a queue of single-id delete messages, the route Camel users write, against an HTTPS emulator enforcing the
 * bucket: coalesced (the default), coalescing off, the aggregator-plus-batch route of docs/rate-limits.md, and the JS
 * SDK's explicit batches over the same ids. Then how many exchanges must be in flight before coalescing pays: deletes
 * per second with exactly N in flight, once the burst is spent.
 */
final class QueueDrainBenchmark {

    static final int MESSAGES = Integer.getInteger("bench.drain.messages", 10_000);
    static final int CONSUMERS = Integer.getInteger("bench.drain.consumers", 100);
    /** Coalescing off at the cloud bucket takes (10,000 - 50) / 2 s, 83 minutes: a sample, extrapolated. */
    static final int OFF_SAMPLE_AT_CLOUD = 130;
    static final int[] IN_FLIGHT = { 1, 2, 4, 8, 16, 50 };
    static final int SWEEP_SECONDS = 6;

    record Row(String bucket, String route, int messages, double seconds, double floorSeconds, long requests,
               long rateLimitedByPortal, long failed, int peakInFlight, String note) {
        double ratio() {
            return seconds / floorSeconds;
        }
    }

    record SweepRow(int inFlight, double coalescedPerSecond, double offPerSecond) {
    }

    record Result(List<Row> rows, List<SweepRow> sweep) {
    }


    Result run(File nodeDir) throws Exception {
        Path pem = Portals.emulatorCertificate();
        List<Row> rows = new ArrayList<>();
        try {
            bucket(rows, "cloud 50 + 2/s", 50, 2, nodeDir, pem);
            bucket(rows, "scaled 50 + 200/s", 50, 200, nodeDir, pem);
        } finally {
            Files.deleteIfExists(pem);
        }
        List<SweepRow> sweep = new ArrayList<>();
        for (int inFlight : IN_FLIGHT) {
            sweep.add(new SweepRow(inFlight, perSecondWith(inFlight, true), perSecondWith(inFlight, false)));
        }
        return new Result(rows, sweep);
    }

    private void bucket(List<Row> rows, String bucket, int burst, double rate, File nodeDir, Path pem) throws Exception {
        double batchFloor = (Math.ceil(MESSAGES / 50.0) - burst) / rate;
        double singleFloor = (MESSAGES - burst) / rate;
        rows.add(drain(bucket, burst, rate, "seda, coalesced (default)", MESSAGES, true, false, batchFloor, ""));
        if (rate < 10) {
            int sample = OFF_SAMPLE_AT_CLOUD;
            double sampleFloor = (sample - burst) / rate;
            Row measured = drain(bucket, burst, rate, "seda, coalesce=false", sample, false, false, sampleFloor, "");
            rows.add(new Row(bucket, measured.route(), MESSAGES, measured.ratio() * singleFloor, singleFloor,
                    Math.round(measured.requests() * (double) MESSAGES / sample), measured.rateLimitedByPortal(),
                    measured.failed(), measured.peakInFlight(),
                    String.format(java.util.Locale.ROOT, "extrapolated from %d messages (%.1f s, ratio %.3f)", sample,
                            measured.seconds(), measured.ratio())));
        } else {
            rows.add(drain(bucket, burst, rate, "seda, coalesce=false", MESSAGES, false, false, singleFloor, ""));
        }
        rows.add(drain(bucket, burst, rate, "seda, aggregator + batch (README)", MESSAGES, true, true, batchFloor, ""));
        rows.add(sdkBatches(bucket, burst, rate, batchFloor, nodeDir, pem));
    }

    /** {@code messages} single-id messages on a seda queue, drained by {@value #CONSUMERS} consumers. */
    private Row drain(String bucket, int burst, double rate, String route, int messages, boolean coalesce,
                      boolean aggregate, double floor, String note) throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().https(true).rateLimit(burst, rate).start();
             CamelContext camel = Portals.camelOverTls(portal, burst, rate)) {
            int[] ids = Portals.seedLeads(portal, messages);
            CountDownLatch done = new CountDownLatch(messages);
            AtomicLong failed = new AtomicLong();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(Exception.class).handled(true).process(e -> {
                        failed.incrementAndGet();
                        done.countDown();
                    });
                    String queue = "seda:drain?concurrentConsumers=" + CONSUMERS + "&size=" + messages;
                    if (aggregate) {
                        from(queue)
                                .aggregate(constant(true), new GroupedBodyAggregationStrategy()).completionSize(50)
                                    .completionTimeout(1000)
                                .to("bitrix24-crm:lead/delete")
                                .process(e -> {
                                    for (Object result : e.getMessage().getBody(List.class)) {
                                        if (!((Bitrix24ItemResult) result).isSuccess()) {
                                            failed.incrementAndGet();
                                        }
                                        done.countDown();
                                    }
                                });
                    } else {
                        from(queue).to("bitrix24-crm:lead/delete?coalesce=" + coalesce).process(e -> done.countDown());
                    }
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            AtomicInteger peak = new AtomicInteger();
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(camel.getInflightRepository().size(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            sampler.setDaemon(true);
            sampler.start();
            long start = System.nanoTime();
            for (int id : ids) {
                template.sendBody("seda:drain", id);
            }
            if (!done.await(30, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the drain did not finish");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            sampler.interrupt();
            return new Row(bucket, route, messages, seconds, floor, portal.requests().total(),
                    portal.limits().rateLimitedCount(), failed.get() + portal.data().leadCount(), peak.get(), note);
        }
    }

    private Row sdkBatches(String bucket, int burst, double rate, double floor, File nodeDir, Path pem) throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().https(true).rateLimit(burst, rate).start()) {
            Portals.seedLeads(portal, MESSAGES);
            JsonNode result = Portals.runNodeScript(nodeDir, pem, "peer-batch.mjs", portal, MESSAGES, burst, rate, 30);
            return new Row(bucket, "b24jssdk " + result.path("sdkVersion").asText() + " batch.make x"
                                   + result.path("batchCalls").asInt() + " (ids gathered first)", MESSAGES,
                    result.path("seconds").asDouble(), floor, portal.requests().total(), portal.limits().rateLimitedCount(),
                    result.path("failedCalls").asLong() + portal.data().leadCount(), 0, "");
        }
    }

    /**
     * Deletes per second with exactly {@code inFlight} exchanges in flight (a new one sent as each ends), once the
     * burst is spent: a bucket of 1 draining 2/s, the cloud bucket's steady state.
     */
    private double perSecondWith(int inFlight, boolean coalesce) throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().https(true).rateLimit(1, 2).start();
             CamelContext camel = Portals.camelOverTls(portal, 1, 2)) {
            int[] ids = Portals.seedLeads(portal, 2_000);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:delete").to("bitrix24-crm:lead/delete?coalesce=" + coalesce);
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            Semaphore slots = new Semaphore(inFlight);
            AtomicLong completed = new AtomicLong();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SWEEP_SECONDS);
            int next = 0;
            while (System.nanoTime() < end && next < ids.length) {
                if (!slots.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                int id = ids[next++];
                template.asyncSend("direct:delete", e -> e.getMessage().setBody(id)).whenComplete((exchange, error) -> {
                    if (System.nanoTime() < end) {
                        completed.incrementAndGet();
                    }
                    slots.release();
                });
            }
            return completed.get() / (double) SWEEP_SECONDS;
        }
    }
}
