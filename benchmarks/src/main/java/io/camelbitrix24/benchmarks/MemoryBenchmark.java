package io.camelbitrix24.benchmarks;

import java.io.File;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.camelbitrix24.crm.Bitrix24CrmComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * 100,000 deletes through a route, heap after GC at 10,000 and at 100,000. The emulator runs in its own JVM (the
 * standalone jar), so this JVM's heap holds only Camel and the component.
 */
final class MemoryBenchmark {

    static final int TOTAL = 100_000;
    static final int FIRST_MARK = 10_000;

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
            waitForPort(port);
            Bitrix24CrmComponent component = new Bitrix24CrmComponent();
            // the standalone emulator's documented default webhook
            component.getConfiguration().setWebhookUrl("http://127.0.0.1:" + port + "/rest/1/local-emulator/");
            component.getConfiguration().setAllowInsecureHttp(true);
            component.getConfiguration().setRateLimitPerSecond(0);
            camel.addComponent("bitrix24-crm", component);
            AtomicLong completed = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            CountDownLatch firstMark = new CountDownLatch(FIRST_MARK);
            CountDownLatch end = new CountDownLatch(TOTAL);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(Exception.class).handled(true).process(e -> {
                        failed.incrementAndGet();
                        firstMark.countDown();
                        end.countDown();
                    });
                    from("seda:memory?concurrentConsumers=16&size=1000&blockWhenFull=true")
                            .to("bitrix24-crm:lead/delete")
                            .process(e -> {
                                completed.incrementAndGet();
                                firstMark.countDown();
                                end.countDown();
                            });
                }
            });
            camel.start();
            org.apache.camel.ProducerTemplate template = camel.createProducerTemplate();
            long start = System.nanoTime();
            long heapAtFirstMark = 0;
            for (int id = 1; id <= TOTAL; id++) {
                template.sendBody("seda:memory", id);
                if (id == FIRST_MARK) {
                    firstMark.await(5, TimeUnit.MINUTES);
                    heapAtFirstMark = Portals.heapAfterGc();
                }
            }
            if (!end.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("memory run did not finish");
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(heapAtFirstMark, Portals.heapAfterGc(), failed.get(), seconds);
        } finally {
            emulator.destroy();
            emulator.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void waitForPort(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (Exception e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the standalone emulator did not start on port " + port);
    }
}
