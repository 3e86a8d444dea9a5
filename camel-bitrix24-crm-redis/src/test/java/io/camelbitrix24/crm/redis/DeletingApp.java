package io.camelbitrix24.crm.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * One pod of the several-JVM test: a Camel Main app that deletes its share of the leads, ten at a time, through the
 * shared limiter on Redis ({@code shared}) or its own in-JVM one ({@code local}). Waits for a go file so that the pods
 * start together; prints one result line.
 * Arguments: mode, Redis URI, webhook URL, first lead id, count, go file.
 */
public final class DeletingApp {

    private DeletingApp() {
    }

    public static void main(String[] args) throws Exception {
        boolean shared = args[0].equals("shared");
        int first = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        Path go = Path.of(args[5]);
        Main main = new Main();
        // the shared limiter as the README configures it, properties only
        main.addInitialProperty("camel.beans.sharedLimiter", "#class:" + RedisBitrix24Limiter.class.getName());
        main.addInitialProperty("camel.beans.sharedLimiter.redisUri", args[1]);
        main.addInitialProperty("camel.beans.sharedLimiter.burst", "50");
        main.addInitialProperty("camel.beans.sharedLimiter.perSecond", "20");
        if (shared) {
            main.addInitialProperty("camel.component.bitrix24-crm.rateLimiter", "#sharedLimiter");
        }
        main.addInitialProperty("camel.component.bitrix24-crm.webhookUrl", args[2]);
        main.addInitialProperty("camel.component.bitrix24-crm.allowInsecureHttp", "true");
        main.addInitialProperty("camel.component.bitrix24-crm.rateLimitBurst", "50");
        main.addInitialProperty("camel.component.bitrix24-crm.rateLimitPerSecond", "20");
        main.addInitialProperty("camel.component.bitrix24-crm.maxRetries", "8");
        main.addInitialProperty("camel.component.bitrix24-crm.retryDelay", "200");
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:delete").to("bitrix24-crm:lead/delete");
            }
        });
        main.start();
        RedisBitrix24Limiter limiter = main.getCamelContext().getRegistry().lookupByNameAndType("sharedLimiter",
                RedisBitrix24Limiter.class);
        if (shared) {
            // connected before the start signal
            limiter.acquire(new io.camelbitrix24.crm.Bitrix24LimiterKey("warm-up", "-"), "-").get(10, TimeUnit.SECONDS);
            System.out.println("shared: " + limiter.isShared());
        }
        System.out.println("ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(go) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        ProducerTemplate template = main.getCamelContext().createProducerTemplate();
        List<CompletableFuture<Exchange>> calls = new ArrayList<>();
        // ten in flight, as a queue consumer with ten threads would have: the pod asks for turns all along the run,
        // not all at its start, so a Redis outage meets calls that need the limiter
        Semaphore inFlight = new Semaphore(10);
        for (int id = first; id < first + count; id++) {
            int lead = id;
            inFlight.acquire();
            CompletableFuture<Exchange> call = template.asyncSend("direct:delete", e -> e.getMessage().setBody(lead));
            call.whenComplete((exchange, error) -> inFlight.release());
            calls.add(call);
        }
        int ok = 0;
        int failed = 0;
        for (CompletableFuture<Exchange> call : calls) {
            Exception failure = call.get(120, TimeUnit.SECONDS).getException();
            if (failure == null) {
                ok++;
            } else if (failed++ < 5) {
                System.out.println("failed: " + failure);
            }
        }
        System.out.println("result ok=" + ok + " failed=" + failed);
        main.stop();
        limiter.close();
        System.exit(0);
    }
}
