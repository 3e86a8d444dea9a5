package io.camelbitrix24.benchmarks;

import java.io.File;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.camelbitrix24.crm.Bitrix24CrmComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * 100,000 deletes through a route from eight sending threads, heap after GC at 10,000 and at 100,000. The emulator
 * runs in its own JVM (the standalone jar), so this JVM's heap holds only Camel and the component.
 */
final class MemoryBenchmark {

    static final int TOTAL = 100_000;
    static final int FIRST_MARK = 10_000;
    static final int SENDERS = 8;

    record Result(long heapAtFirstMark, long heapAtEnd, long failed, double seconds) {
        double growthRatio() {
            return (double) heapAtEnd / heapAtFirstMark;
        }
    }

    Result run(File emulatorJar) throws Exception {
        int port = 18_000 + (int) (ProcessHandle.current().pid() % 1000);
        Process emulator = new ProcessBuilder("java", "-Xmx1g", "-jar", emulatorJar.getPath(), "--port", String.valueOf(port),
                "--leads", String.valueOf(TOTAL)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (CamelContext camel = new DefaultCamelContext()) {
            Portals.waitForPort(port);
            Bitrix24CrmComponent component = new Bitrix24CrmComponent();
            // the standalone emulator's documented default webhook
            component.getConfiguration().setWebhookUrl("http://127.0.0.1:" + port + "/rest/1/local-emulator/");
            component.getConfiguration().setAllowInsecureHttp(true);
            component.getConfiguration().setRateLimitPerSecond(0);
            camel.addComponent("bitrix24-crm", component);
            AtomicLong failed = new AtomicLong();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:memory").to("bitrix24-crm:lead/delete");
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            long start = System.nanoTime();
            deleteRange(template, 1, FIRST_MARK, failed);
            long heapAtFirstMark = Portals.heapAfterGc();
            deleteRange(template, FIRST_MARK + 1, TOTAL, failed);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(heapAtFirstMark, Portals.heapAfterGc(), failed.get(), seconds);
        } finally {
            emulator.destroy();
            emulator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Deletes ids {@code from..to} from a few threads, each waiting for its own delete: a steady flow, no backlog. */
    private static void deleteRange(ProducerTemplate template, int from, int to, AtomicLong failed) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        AtomicInteger next = new AtomicInteger(from);
        for (int t = 0; t < SENDERS; t++) {
            senders.execute(() -> {
                for (int id = next.getAndIncrement(); id <= to; id = next.getAndIncrement()) {
                    try {
                        if (!Boolean.TRUE.equals(template.requestBody("direct:memory", id))) {
                            failed.incrementAndGet();
                        }
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                    }
                }
            });
        }
        senders.shutdown();
        if (!senders.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("deletes did not finish");
        }
    }
}
