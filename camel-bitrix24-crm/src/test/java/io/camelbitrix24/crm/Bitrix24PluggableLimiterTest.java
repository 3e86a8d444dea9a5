package io.camelbitrix24.crm;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.spi.Bitrix24Limiter;
import io.camelbitrix24.crm.spi.Bitrix24LimiterKey;
import io.camelbitrix24.emulator.Answer;
import io.camelbitrix24.emulator.Bitrix24Error;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A limiter of the user's, chosen with {@code rateLimiter=#bean}, paces the calls: the component waits for its
 * futures, tells it of rate and operating-time refusals, and names the portal and caller in its keys, never a secret.
 */
class Bitrix24PluggableLimiterTest extends Bitrix24TestSupport {

    /** Lets calls go after a pause, and records what it was told. */
    static final class RecordingLimiter implements Bitrix24Limiter {
        final List<String> acquired = new CopyOnWriteArrayList<>();
        final List<Bitrix24LimiterKey> rateLimited = new CopyOnWriteArrayList<>();
        final List<String> holds = new CopyOnWriteArrayList<>();
        final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        volatile long pauseMillis;

        @Override
        public CompletableFuture<Void> acquire(Bitrix24LimiterKey key, String method) {
            acquired.add(key + " " + method);
            CompletableFuture<Void> ready = new CompletableFuture<>();
            timer.schedule(() -> ready.complete(null), pauseMillis, TimeUnit.MILLISECONDS);
            return ready;
        }

        @Override
        public void rateLimited(Bitrix24LimiterKey key) {
            rateLimited.add(key);
        }

        @Override
        public void holdMethod(Bitrix24LimiterKey key, String method, long untilEpochMillis) {
            holds.add(key + " " + method + " " + (untilEpochMillis > System.currentTimeMillis()));
        }

        @Override
        public long heldForMillis(Bitrix24LimiterKey key, String method) {
            return 0;
        }

        @Override
        public boolean isPacing() {
            return true;
        }
    }

    private final RecordingLimiter limiter = new RecordingLimiter();

    @AfterEach
    void stopTimer() {
        limiter.timer.shutdownNow();
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        context.getRegistry().bind("myLimiter", limiter);
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:delete").to("bitrix24-crm:lead/delete?rateLimiter=#myLimiter&retryDelay=10");
                from("direct:batch").to("bitrix24-crm:lead/delete?rateLimiter=#myLimiter&retryDelay=10&maxRetries=0");
            }
        };
    }

    @Test
    void theUsersLimiterPacesTheCallsAndItsKeyNamesPortalAndCallerOnly() {
        limiter.pauseMillis = 300;
        int lead = portal.data().addLead("L", "NEW");
        long start = System.nanoTime();
        Exchange out = template.request("direct:delete", e -> e.getMessage().setBody(lead));
        long waited = (System.nanoTime() - start) / 1_000_000;

        assertNull(out.getException());
        assertFalse(portal.data().hasLead(lead));
        assertTrue(waited >= 300, "the call waited for the limiter's future: " + waited + " ms");
        assertEquals(List.of(portal.baseUrl() + " webhook:1 crm.lead.delete"), limiter.acquired);
        limiter.acquired.forEach(key -> assertFalse(key.contains(WEBHOOK_CODE), key));
    }

    @Test
    void aBatchCommandsOperatingTimeRefusalHoldsItsMethodAsASingleCallsDoes() {
        // four commands of 120 ms spend a 250 ms budget (the portal counts a batch's time when it ends), so the next
        // batch's commands are refused inside it; the first batch's answers told when the budget resets
        portal.limits().setOperatingLimit(Duration.ofMillis(250), Duration.ofMinutes(10));
        portal.limits().setLatency(Duration.ofMillis(120));
        List<Integer> spending = List.of(portal.data().addLead("A", "NEW"), portal.data().addLead("B", "NEW"),
                portal.data().addLead("C", "NEW"), portal.data().addLead("D", "NEW"));
        assertNull(template.request("direct:batch", e -> e.getMessage().setBody(spending)).getException());
        assertEquals(List.of(), limiter.holds, "nothing refused yet");

        List<Integer> refused = List.of(portal.data().addLead("E", "NEW"), portal.data().addLead("F", "NEW"));
        Exchange out = template.request("direct:batch", e -> e.getMessage().setBody(refused));

        assertNull(out.getException(), "refused items fail one by one, in the body's results");
        assertEquals(2, portal.limits().timeLimitedCount(), "the portal refused both commands");
        assertFalse(limiter.holds.isEmpty(), "the limiter was told");
        limiter.holds.forEach(hold -> assertEquals(portal.baseUrl() + " webhook:1 crm.lead.delete true", hold,
                "held until the reset the first batch's commands reported"));
    }

    @Test
    void rateAndOperatingTimeRefusalsAreToldToIt() {
        portal.limits().setOperatingLimit(Duration.ofDays(1), Duration.ofMinutes(10));
        // one answer to learn the method's reset time, then the two refusals, then the delete goes through
        int first = portal.data().addLead("A", "NEW");
        assertNull(template.request("direct:delete", e -> e.getMessage().setBody(first)).getException());
        portal.script(Answer.error(Bitrix24Error.QUERY_LIMIT_EXCEEDED), Answer.error(Bitrix24Error.OPERATION_TIME_LIMIT));
        int lead = portal.data().addLead("L", "NEW");
        Exchange out = template.request("direct:delete", e -> e.getMessage().setBody(lead));

        assertNull(out.getException(), "retried after each refusal");
        assertEquals(List.of(new Bitrix24LimiterKey(portal.baseUrl(), "webhook:1")), limiter.rateLimited);
        assertEquals(List.of(portal.baseUrl() + " webhook:1 crm.lead.delete true"), limiter.holds,
                "held until the reset the portal reported");
        assertEquals(4, limiter.acquired.size(), "every attempt waited for its turn");
    }

    @Test
    void oauthCallersAreNamedByTheirClientId() {
        Bitrix24CrmConfiguration config = new Bitrix24CrmConfiguration();
        config.setPortalUrl(" https://Acme.bitrix24.com/ ");
        config.setClientId("local.app.1");
        config.setAccessToken("t0ken");
        assertEquals(new Bitrix24LimiterKey("https://acme.bitrix24.com", "app:local.app.1"),
                Bitrix24Credentials.limiterKey(config, Bitrix24AuthMode.of(config)));
        Bitrix24CrmConfiguration webhook = new Bitrix24CrmConfiguration();
        webhook.setWebhookUrl("https://acme.bitrix24.com/rest/7/" + WEBHOOK_CODE + "/");
        Bitrix24LimiterKey key = Bitrix24Credentials.limiterKey(webhook, Bitrix24AuthMode.of(webhook));
        assertEquals(new Bitrix24LimiterKey("https://acme.bitrix24.com", "webhook:7"), key);
        assertFalse(key.toString().contains(WEBHOOK_CODE));
    }
}
