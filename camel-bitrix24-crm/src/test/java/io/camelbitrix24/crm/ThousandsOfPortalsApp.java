package io.camelbitrix24.crm;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelbitrix24.crm.internal.portal.InMemoryPortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import org.apache.camel.ProducerTemplate;

/**
 * The JVM of the thousands-of-portals test: one route serving many portals (installations read from a file, as an
 * install handler would have saved them), one delete on each portal, then idle until the component lets go of them.
 * Measures its own heap (after a full GC) with the registry empty, filled, every portal in use, and every portal
 * released; prints them and what is kept, as {@code key=value} lines (the connections open at once are counted by the
 * test, on the portals' side).
 * Arguments: installations file (member_id, client_endpoint, access, refresh, application_token per line), OAuth server
 * URL, client id, client secret, maxTotalConnections, portalIdleTimeout (ms).
 */
public final class ThousandsOfPortalsApp {

    private ThousandsOfPortalsApp() {
    }

    public static void main(String[] args) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(args[0]));
        InMemoryPortalRegistry registry = new InMemoryPortalRegistry();
        Bitrix24CrmComponent component = new Bitrix24CrmComponent();
        component.getConfiguration().setOauthServerUrl(args[1]);
        component.getConfiguration().setClientId(args[2]);
        component.getConfiguration().setClientSecret(args[3]);
        component.getConfiguration().setPortalRegistry(registry);
        component.getConfiguration().setAllowInsecureHttp(true);
        component.getConfiguration().setMaxTotalConnections(Integer.parseInt(args[4]));
        component.getConfiguration().setPortalIdleTimeout(Long.parseLong(args[5]));
        try (EmulatorContext context = EmulatorContext.start(component,
                Map.of("direct:delete", "bitrix24-crm:lead/delete"))) {
            Bitrix24CrmEndpoint endpoint = context.camel().getEndpoint("bitrix24-crm:lead/delete",
                    Bitrix24CrmEndpoint.class);
            ProducerTemplate template = context.camel().createProducerTemplate();
            // the call path loaded and the heap settled before the first figure
            template.request("direct:delete", e -> e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, "warmup"));
            long empty = heapAfterGc();
            String[] memberIds = new String[lines.size()];
            for (int i = 0; i < lines.size(); i++) {
                String[] f = lines.get(i).split(" ");
                memberIds[i] = f[0];
                registry.save(new Bitrix24Installation(f[0], f[1], new Bitrix24Tokens(f[2], f[3]), f[4], null));
            }
            lines = null;
            long installed = heapAfterGc();

            long start = System.nanoTime();
            // as a queue consumer with 100 threads would send them
            Semaphore inFlight = new Semaphore(100);
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            CompletableFuture<?>[] calls = new CompletableFuture<?>[memberIds.length];
            for (int i = 0; i < memberIds.length; i++) {
                String portal = memberIds[i];
                inFlight.acquire();
                calls[i] = template.asyncSend("direct:delete", e -> {
                    e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal);
                    e.getMessage().setBody(1);
                }).whenComplete((exchange, error) -> {
                    inFlight.release();
                    Exception failure = error != null ? new RuntimeException(error) : exchange.getException();
                    if (failure == null) {
                        ok.incrementAndGet();
                    } else if (failed.incrementAndGet() <= 5) {
                        System.out.println("failed: " + failure);
                    }
                });
            }
            CompletableFuture.allOf(calls).get(300, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            // the answered exchanges are the route's, not the component's: not counted
            calls = null;
            int keptActive = endpoint.portalsKept();
            long active = heapAfterGc();
            System.out.printf("run seconds=%.2f ok=%d failed=%d keptActive=%d%n", seconds, ok.get(), failed.get(),
                    keptActive);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Bitrix24SharedResources shared = component.sharedResources();
            while ((endpoint.portalsKept() + shared.installations().held() + endpoint.getTransport().openConnections() > 0)
                   && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long released = heapAfterGc();
            System.out.printf("released kept=%d held=%d open=%d%n", endpoint.portalsKept(), shared.installations().held(),
                    endpoint.getTransport().openConnections());
            System.out.printf("heap empty=%d installed=%d active=%d released=%d portals=%d%n", empty, installed, active,
                    released, memberIds.length);
        }
        System.exit(0);
    }

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        // the least of a few full collections: what is reachable, not what a collection left behind
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
