package io.camelbitrix24.crm.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.spi.Bitrix24LimiterKey;
import io.camelbitrix24.testing.DeletingMainApp;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

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
        Map<String, String> properties = new LinkedHashMap<>();
        // the shared limiter as docs/rate-limits.md configures it, properties only
        properties.put("camel.beans.sharedLimiter", "#class:" + RedisBitrix24Limiter.class.getName());
        properties.put("camel.beans.sharedLimiter.redisUri", args[1]);
        properties.put("camel.beans.sharedLimiter.burst", "50");
        properties.put("camel.beans.sharedLimiter.perSecond", "20");
        if (shared) {
            properties.put("camel.component.bitrix24-crm.rateLimiter", "#sharedLimiter");
        }
        properties.put("camel.component.bitrix24-crm.webhookUrl", args[2]);
        properties.put("camel.component.bitrix24-crm.allowInsecureHttp", "true");
        properties.put("camel.component.bitrix24-crm.rateLimitBurst", "50");
        properties.put("camel.component.bitrix24-crm.rateLimitPerSecond", "20");
        // a request per delete: coalescing would put the ten in flight into one batch call, and the portal's bucket,
        // which counts requests, would meet a tenth of the calls (the run ends in a fifth of the floor, refusing none)
        properties.put("camel.component.bitrix24-crm.coalesce", "false");
        properties.put("camel.component.bitrix24-crm.maxRetries", "8");
        properties.put("camel.component.bitrix24-crm.retryDelay", "200");
        DeletingMainApp app = DeletingMainApp.start(properties);
        RedisBitrix24Limiter limiter = app.context().getRegistry().lookupByNameAndType("sharedLimiter",
                RedisBitrix24Limiter.class);
        if (shared) {
            // connected before the start signal
            limiter.acquire(new io.camelbitrix24.crm.spi.Bitrix24LimiterKey("warm-up", "-"), "-").get(10, TimeUnit.SECONDS);
            System.out.println("shared: " + limiter.isShared());
        }
        System.out.println("ready");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(go) && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        ProducerTemplate template = app.context().createProducerTemplate();
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
        app.close();
        limiter.close();
        System.exit(0);
    }
}
