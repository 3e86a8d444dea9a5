package io.camelbitrix24.crm.redis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.camelbitrix24.crm.Bitrix24CrmConstants;
import io.camelbitrix24.testing.DeletingMainApp;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * One pod of the registry-change test: a Camel Main app serving many portals with its installations in the Redis
 * registry, configured by properties only, its limiter off. Deletes one lead on each portal every 10 ms (at most 100
 * in flight) until a stop file appears, and prints per portal how its calls ended: {@code portal <member_id> ok=..
 * notInstalled=.. refused=.. uninstalledWhileWaiting=.. other=..}, and the first few other failures.
 * Arguments: Redis URI, OAuth server URL, client id, client secret, stop file, member_id...
 */
public final class SteadyDeletingApp {

    private static final String[] KINDS = {"ok", "notInstalled", "refused", "uninstalledWhileWaiting", "other"};

    private SteadyDeletingApp() {
    }

    public static void main(String[] args) throws Exception {
        Path stop = Path.of(args[4]);
        List<String> portals = List.of(args).subList(5, args.length);
        Map<String, String> properties = ManyPortalsApp.manyPortalProperties(args);
        // limits off: every call leaves at once, so the portal's request log shows when this pod stopped calling
        properties.put("camel.component.bitrix24-crm.rateLimitPerSecond", "0");
        DeletingMainApp app = DeletingMainApp.start(properties);
        ProducerTemplate template = app.context().createProducerTemplate();
        Map<String, Map<String, LongAdder>> outcomes = new ConcurrentHashMap<>();
        for (String portal : portals) {
            Map<String, LongAdder> kinds = new LinkedHashMap<>();
            for (String kind : KINDS) {
                kinds.put(kind, new LongAdder());
            }
            outcomes.put(portal, kinds);
            Exchange warm = template.request("direct:delete", e -> {
                e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal);
                e.getMessage().setBody(1);
            });
            if (warm.getException() != null) {
                System.out.println("warm-up failed: " + warm.getException());
                app.close();
                System.exit(1);
            }
        }
        System.out.println("ready");
        Semaphore inFlight = new Semaphore(100);
        AtomicInteger othersShown = new AtomicInteger();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        for (int lead = 2; !Files.exists(stop) && System.nanoTime() < deadline; lead++) {
            for (String portal : portals) {
                if (!inFlight.tryAcquire(10, TimeUnit.SECONDS)) {
                    System.out.println("a call took over 10 s");
                    continue;
                }
                int id = lead;
                template.asyncSend("direct:delete", e -> {
                    e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal);
                    e.getMessage().setBody(id);
                }).whenComplete((exchange, error) -> {
                    inFlight.release();
                    Throwable failure = error != null ? error : exchange.getException();
                    String kind = kindOf(failure);
                    outcomes.get(portal).get(kind).increment();
                    if (kind.equals("other") && othersShown.incrementAndGet() <= 5) {
                        System.out.println("failed: " + failure);
                    }
                });
            }
            Thread.sleep(10);
        }
        inFlight.tryAcquire(100, 30, TimeUnit.SECONDS);
        for (String portal : portals) {
            StringBuilder line = new StringBuilder("portal ").append(portal);
            outcomes.get(portal).forEach((kind, count) -> line.append(' ').append(kind).append('=').append(count.sum()));
            System.out.println(line);
        }
        app.close();
        System.exit(0);
    }

    /** How a call ended: its failure told apart by what it says; each of the expected ones sent nothing. */
    private static String kindOf(Throwable failure) {
        if (failure == null) {
            return "ok";
        }
        String message = String.valueOf(failure.getMessage());
        if (!message.contains("nothing was sent")) {
            return "other";
        }
        if (message.contains("not installed")) {
            return "notInstalled";
        }
        if (message.contains("refused the application") || message.contains("refused by Bitrix24")) {
            // refused before it was sent, or while it waited for its turn
            return "refused";
        }
        return message.contains("uninstalled") ? "uninstalledWhileWaiting" : "other";
    }
}
