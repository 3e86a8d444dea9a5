package io.camelbitrix24.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.camelbitrix24.crm.Bitrix24Exception;
import io.camelbitrix24.crm.Bitrix24ItemResult;
import io.camelbitrix24.crm.Bitrix24RateLimitException;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * Deleting 10,000 leads while the emulator enforces a scaled Bitrix24 bucket (burst 50, 200/s): one call per lead from
 * a seda queue with concurrent consumers, and batch mode (one list body, 200 batch calls). Wall time is set against the
 * floor the bucket allows, (calls - burst) / rate.
 */
final class BulkBenchmark {

    static final int LEADS = Integer.getInteger("bench.leads", 10_000);
    static final int BURST = 50;
    static final int CONSUMERS = Integer.getInteger("bench.consumers", 16);
    static final double RATE = 200;

    record Result(String mode, int leads, int calls, double seconds, double floorSeconds, long rateLimitedByPortal,
                  long rateLimitedAtRoute, long failed, long leadsLeft) {
        double ratio() {
            return seconds / floorSeconds;
        }
    }

    Result single() throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().rateLimit(BURST, RATE).start();
             CamelContext camel = Portals.camel(portal, BURST, RATE)) {
            int[] ids = Portals.seedLeads(portal, LEADS);
            CountDownLatch done = new CountDownLatch(LEADS);
            AtomicLong failed = new AtomicLong();
            AtomicLong rateLimited = new AtomicLong();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(Exception.class).handled(true).process(e -> {
                        failed.incrementAndGet();
                        if (e.getProperty("CamelExceptionCaught") instanceof Bitrix24RateLimitException) {
                            rateLimited.incrementAndGet();
                        }
                        done.countDown();
                    });
                    from("seda:bulk?concurrentConsumers=" + CONSUMERS + "&size=" + LEADS)
                            .to("bitrix24-crm:lead/delete")
                            .process(e -> done.countDown());
                }
            });
            camel.start();
            org.apache.camel.ProducerTemplate template = camel.createProducerTemplate();
            long start = System.nanoTime();
            for (int id : ids) {
                template.sendBody("seda:bulk", id);
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("bulk delete did not finish");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result("single calls (seda, " + CONSUMERS + " consumers)", LEADS, LEADS, seconds, (LEADS - BURST) / RATE,
                    portal.limits().rateLimitedCount(), rateLimited.get(), failed.get(), portal.data().leadCount());
        }
    }

    /** Loads and compiles the code paths on a portal without limits, so the timed runs measure a warm JVM. */
    static void warmUp() throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().start();
             CamelContext camel = Portals.camel(portal, BURST, 0)) {
            int[] ids = Portals.seedLeads(portal, 4_000);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:warm").to("bitrix24-crm:lead/delete");
                }
            });
            camel.start();
            org.apache.camel.ProducerTemplate template = camel.createProducerTemplate();
            List<Integer> batch = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                if (i < 1_000) {
                    template.requestBody("direct:warm", ids[i]);
                } else {
                    batch.add(ids[i]);
                }
            }
            template.requestBody("direct:warm", batch);
        }
    }

    Result batch() throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().rateLimit(BURST, RATE).start();
             CamelContext camel = Portals.camel(portal, BURST, RATE)) {
            int[] ids = Portals.seedLeads(portal, LEADS);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:batch").to("bitrix24-crm:lead/delete");
                }
            });
            camel.start();
            List<Integer> body = new ArrayList<>(LEADS);
            for (int id : ids) {
                body.add(id);
            }
            long start = System.nanoTime();
            List<?> results = camel.createProducerTemplate().requestBody("direct:batch", body, List.class);
            double seconds = (System.nanoTime() - start) / 1e9;
            long failed = results.stream().filter(r -> !((Bitrix24ItemResult) r).isSuccess()).count();
            long rateLimited = results.stream()
                    .filter(r -> ((Bitrix24ItemResult) r).getException() instanceof Bitrix24RateLimitException).count();
            int calls = LEADS / 50;
            return new Result("batch mode (50 per call)", LEADS, calls, seconds, (calls - BURST) / RATE,
                    portal.limits().rateLimitedCount(), rateLimited, failed, portal.data().leadCount());
        }
    }
}
