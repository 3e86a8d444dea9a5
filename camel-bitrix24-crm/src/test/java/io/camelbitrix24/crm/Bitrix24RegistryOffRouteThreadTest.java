package io.camelbitrix24.crm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.camelbitrix24.crm.internal.portal.InMemoryPortalRegistry;
import io.camelbitrix24.crm.internal.portal.Portals;
import io.camelbitrix24.crm.spi.Bitrix24Installation;
import io.camelbitrix24.crm.spi.Bitrix24PortalRegistry;
import io.camelbitrix24.crm.spi.Bitrix24Tokens;
import io.camelbitrix24.emulator.Bitrix24Cloud;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many-portal mode never reads or writes the portal registry on a route's thread: a registry that records the thread of
 * each of its calls sees the first call's read on the component's registry threads, none at all for the calls that go
 * with the copy held, the background re-read once that copy is half as old as the staleness bound on a registry thread
 * again, a refreshed pair saved off the route's thread, and the install and uninstall events' writes on a registry
 * thread too. And the registry's failures as calls meet them: one that throws fails the call retryably, naming its
 * exception's class and nothing of its message; one that hangs, once its read times out; a copy held serves while the
 * registry is away for no longer than the staleness bound.
 */
class Bitrix24RegistryOffRouteThreadTest {

    private static final String SECRET = "s3cretRedisPassw0rd";

    /** One call to the registry: what, for which portal, on which thread. */
    private record Use(String what, String memberId, Thread thread) {

        @Override
        public String toString() {
            return what + "(" + memberId + ") on " + thread.getName();
        }
    }

    /** How the registry's reads go: answered, thrown (as a client whose message quotes its password), or hung. */
    private enum Reads { ANSWER, THROW, HANG }

    /** A registry that records the thread of each of its calls; its reads as {@link #reads} says. */
    private static final class RecordingRegistry implements Bitrix24PortalRegistry {
        private final Bitrix24PortalRegistry delegate = new InMemoryPortalRegistry();
        private final Queue<Use> uses = new ConcurrentLinkedQueue<>();
        private final CountDownLatch hung = new CountDownLatch(1);
        private volatile Reads reads = Reads.ANSWER;

        @Override
        public Bitrix24Installation find(String memberId) {
            uses.add(new Use("find", memberId, Thread.currentThread()));
            if (reads == Reads.THROW) {
                throw new IllegalStateException("cannot reach redis://:" + SECRET + "@10.0.0.1:6379");
            }
            if (reads == Reads.HANG) {
                try {
                    hung.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return delegate.find(memberId);
        }

        @Override
        public void save(Bitrix24Installation installation) {
            uses.add(new Use("save", installation.getMemberId(), Thread.currentThread()));
            delegate.save(installation);
        }

        @Override
        public void remove(String memberId) {
            uses.add(new Use("remove", memberId, Thread.currentThread()));
            delegate.remove(memberId);
        }

        @Override
        public CompletableFuture<Bitrix24Tokens> refreshOnce(String memberId, String spentRefreshToken,
                                                             Supplier<CompletableFuture<Bitrix24Tokens>> refresh) {
            uses.add(new Use("refreshOnce", memberId, Thread.currentThread()));
            return delegate.refreshOnce(memberId, spentRefreshToken, refresh);
        }

        List<Use> since(int mark) {
            return uses.stream().skip(mark).toList();
        }
    }

    private static boolean onRegistryThread(Use use) {
        return use.thread().getName().contains("Bitrix24CrmRegistry");
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                                   + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void theRouteThreadNeverCallsTheRegistry() throws Exception {
        RecordingRegistry registry = new RecordingRegistry();
        Set<Thread> routeThreads = ConcurrentHashMap.newKeySet();
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(2).start()) {
            Bitrix24Emulator portal = cloud.portal(0);
            Bitrix24Cloud.Installation installed = Bitrix24Cloud.installation(cloud.installEvent(0));
            registry.delegate.save(new Bitrix24Installation(installed.memberId(), portal.restUrl(),
                    new Bitrix24Tokens(installed.accessToken(), installed.refreshToken()), installed.applicationToken(),
                    null));
            for (int i = 0; i < 40; i++) {
                portal.data().addLead("Lead " + i, "NEW");
            }
            CamelContext camel = new DefaultCamelContext();
            camel.addComponent("bitrix24-crm", CloudInstallations.component(cloud, registry));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:delete").process(e -> routeThreads.add(Thread.currentThread()))
                            .to("bitrix24-crm:lead/delete");
                    from("direct:install").process(e -> routeThreads.add(Thread.currentThread()))
                            .to("bitrix24-crm:app/install");
                    from("direct:uninstall").process(e -> routeThreads.add(Thread.currentThread()))
                            .to("bitrix24-crm:app/uninstall");
                }
            });
            camel.start();
            try {
                ProducerTemplate template = camel.createProducerTemplate();
                // the first call: no copy held, the installation read off the route's thread, the call goes on after
                Exchange first = delete(template, portal.memberId(), 1);
                assertNull(first.getException(), () -> String.valueOf(first.getException()));
                List<Use> firstUses = registry.since(0);
                assertEquals(1, firstUses.size(), "one read, the way made from it reads nothing more: " + firstUses);
                assertEquals("find", firstUses.get(0).what());
                assertTrue(onRegistryThread(firstUses.get(0)), "read on a registry thread: " + firstUses);

                // the way exists: calls from the caller's thread and from the template's pool read nothing
                int mark = registry.uses.size();
                for (int lead = 2; lead <= 11; lead++) {
                    assertNull(delete(template, portal.memberId(), lead).getException());
                }
                List<CompletableFuture<Exchange>> calls = new ArrayList<>();
                for (int lead = 12; lead <= 21; lead++) {
                    int id = lead;
                    calls.add(template.asyncSend("direct:delete", e -> {
                        e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal.memberId());
                        e.getMessage().setBody(id);
                    }));
                }
                for (CompletableFuture<Exchange> call : calls) {
                    assertNull(call.get(30, TimeUnit.SECONDS).getException());
                }
                assertEquals(List.of(), registry.since(mark), "20 calls with the copy held read nothing");

                // the copy ages past half the bound: the next call goes with it at once, and it is read again in
                // the background, on a registry thread
                Thread.sleep(Portals.REFRESH_AFTER_MILLIS + 200);
                mark = registry.uses.size();
                assertNull(delete(template, portal.memberId(), 22).getException());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (registry.since(mark).isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                List<Use> reread = registry.since(mark);
                assertEquals(1, reread.size(), "one background read: " + reread);
                assertTrue(onRegistryThread(reread.get(0)), "re-read on a registry thread: " + reread);

                // an expired token: refreshed, and the new pair saved, off the route's thread
                portal.access().expireAllAccessTokens();
                assertNull(delete(template, portal.memberId(), 23).getException());
                assertTrue(registry.since(mark).stream().anyMatch(use -> use.what().equals("save")),
                        "the refreshed pair saved: " + registry.since(mark));

                // the events: the install's write and the uninstall's read and removal on a registry thread
                Bitrix24Emulator other = cloud.portal(1);
                mark = registry.uses.size();
                Exchange install = template.request("direct:install", e -> e.getMessage().setBody(form(
                        cloud.installEvent(1))));
                assertNull(install.getException(), () -> String.valueOf(install.getException()));
                other.data().addLead("Other", "NEW");
                assertNull(delete(template, other.memberId(), 1).getException());
                Exchange uninstall = template.request("direct:uninstall", e -> e.getMessage().setBody(form(
                        cloud.uninstallEvent(1))));
                assertNull(uninstall.getException(), () -> String.valueOf(uninstall.getException()));
                List<Use> events = registry.since(mark);
                assertTrue(events.stream().allMatch(Bitrix24RegistryOffRouteThreadTest::onRegistryThread),
                        "the events' registry calls on registry threads: " + events);
                assertTrue(events.stream().anyMatch(use -> use.what().equals("remove")), "removed: " + events);
                Bitrix24AuthenticationException gone = assertInstanceOf(Bitrix24AuthenticationException.class,
                        delete(template, other.memberId(), 2).getException());
                assertTrue(gone.getMessage().contains("not installed"), gone.getMessage());
            } finally {
                camel.close();
            }
            List<Use> all = new ArrayList<>(registry.uses);
            assertFalse(routeThreads.isEmpty());
            List<Use> onRoute = all.stream().filter(use -> routeThreads.contains(use.thread())).toList();
            System.out.printf("registry off the route's thread: %d registry calls, none of them on the %d route"
                              + " threads%n", all.size(), routeThreads.size());
            assertEquals(List.of(), onRoute, "no registry call on a route's thread");
        }
    }

    /** A component serving the cloud's portals from {@code registry}, portal 0 installed, with one delete route. */
    private static CamelContext started(Bitrix24Cloud cloud, RecordingRegistry registry) throws Exception {
        Bitrix24Cloud.Installation installed = Bitrix24Cloud.installation(cloud.installEvent(0));
        registry.delegate.save(new Bitrix24Installation(installed.memberId(), cloud.portal(0).restUrl(),
                new Bitrix24Tokens(installed.accessToken(), installed.refreshToken()), installed.applicationToken(),
                null));
        for (int i = 0; i < 10; i++) {
            cloud.portal(0).data().addLead("Lead " + i, "NEW");
        }
        CamelContext camel = new DefaultCamelContext();
        camel.addComponent("bitrix24-crm", CloudInstallations.component(cloud, registry));
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:delete").to("bitrix24-crm:lead/delete");
            }
        });
        camel.start();
        return camel;
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aRegistryThatThrowsFailsTheCallRetryablyNamingOnlyTheExceptionsClassWithNothingSent() throws Exception {
        RecordingRegistry registry = new RecordingRegistry();
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(1).start()) {
            CamelContext camel = started(cloud, registry);
            try {
                registry.reads = Reads.THROW;
                Exchange failed = delete(camel.createProducerTemplate(), cloud.portal(0).memberId(), 1);
                Bitrix24AuthenticationException e = assertInstanceOf(Bitrix24AuthenticationException.class,
                        failed.getException());
                assertTrue(e.isRetryable(), "the registry may answer later");
                assertTrue(e.getMessage().contains("java.lang.IllegalStateException"), e.getMessage());
                assertTrue(e.getMessage().contains("nothing was sent"), e.getMessage());
                assertFalse(e.getMessage().contains(SECRET), "the registry's own message is not repeated");
                assertEquals(0, cloud.portal(0).requests().total(), "nothing sent");
            } finally {
                camel.close();
            }
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aRegistryThatHangsFailsTheCallOnceItsReadTimesOut() throws Exception {
        RecordingRegistry registry = new RecordingRegistry();
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(1).start()) {
            CamelContext camel = started(cloud, registry);
            try {
                registry.reads = Reads.HANG;
                long start = System.nanoTime();
                Exchange failed = delete(camel.createProducerTemplate(), cloud.portal(0).memberId(), 1);
                System.out.printf("registry hung: the call failed after %d ms (read timeout %d ms)%n",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), Portals.READ_TIMEOUT_MILLIS);
                Bitrix24AuthenticationException e = assertInstanceOf(Bitrix24AuthenticationException.class,
                        failed.getException());
                assertTrue(e.isRetryable());
                assertTrue(e.getMessage().contains("java.util.concurrent.TimeoutException"), e.getMessage());
                assertEquals(0, cloud.portal(0).requests().total(), "nothing sent");
            } finally {
                registry.hung.countDown();
                camel.close();
            }
        }
    }

    @Test
    @Timeout(value = 1, unit = TimeUnit.MINUTES)
    void aHeldCopyServesWhileTheRegistryIsAwayNoLongerThanTheStalenessBound() throws Exception {
        RecordingRegistry registry = new RecordingRegistry();
        try (Bitrix24Cloud cloud = Bitrix24Cloud.builder().portals(1).start()) {
            CamelContext camel = started(cloud, registry);
            try {
                ProducerTemplate template = camel.createProducerTemplate();
                String portal = cloud.portal(0).memberId();
                assertNull(delete(template, portal, 1).getException());
                long readAt = System.nanoTime();
                registry.reads = Reads.THROW;
                // younger than the bound: the calls go with the copy held, the failed background read changes nothing
                assertNull(delete(template, portal, 2).getException());
                Thread.sleep(Portals.REFRESH_AFTER_MILLIS + 100);
                assertNull(delete(template, portal, 3).getException(), "the copy is younger than the bound");
                long sleep = TimeUnit.NANOSECONDS.toMillis(
                        readAt + TimeUnit.MILLISECONDS.toNanos(Portals.STALE_AFTER_MILLIS) - System.nanoTime());
                Thread.sleep(Math.max(0, sleep) + 100);
                long sent = cloud.portal(0).requests().total();
                Bitrix24AuthenticationException e = assertInstanceOf(Bitrix24AuthenticationException.class,
                        delete(template, portal, 4).getException(), "the copy is older than the bound");
                assertTrue(e.isRetryable());
                assertEquals(sent, cloud.portal(0).requests().total(), "nothing sent on a stale copy");
            } finally {
                camel.close();
            }
        }
    }

    private static Exchange delete(ProducerTemplate template, String portal, int lead) {
        return template.request("direct:delete", e -> {
            e.getMessage().setHeader(Bitrix24CrmConstants.PORTAL, portal);
            e.getMessage().setBody(lead);
        });
    }
}
