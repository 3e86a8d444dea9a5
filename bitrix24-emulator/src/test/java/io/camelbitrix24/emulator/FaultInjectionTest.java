package io.camelbitrix24.emulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each injected fault, over real HTTP: what the client sees, and whether the delete was applied behind it. */
class FaultInjectionTest {

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Bitrix24Emulator portal;

    @BeforeEach
    void start() {
        portal = Bitrix24Emulator.builder().start();
        portal.faults().setSlowAnswerDelay(Duration.ofMillis(800));
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    private HttpResponse<String> deleteLead(int id, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(portal.webhookUrl() + "crm.lead.delete"))
                .timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":" + id + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void everyFaultIsSeenByTheClientAndAppliesTheDeleteOnlyWhenItSaysSo(Fault fault) throws Exception {
        int lead = portal.data().addLead("L", "NEW");
        portal.faults().setRate(fault, 1.0);
        Duration timeout = Duration.ofMillis(400);
        switch (fault) {
            case RESET_BEFORE_ANSWER, RESET_AFTER_APPLY -> assertThrows(IOException.class, () -> deleteLead(lead, timeout));
            case SLOW_ANSWER -> assertThrows(HttpTimeoutException.class, () -> deleteLead(lead, timeout));
            default -> {
                HttpResponse<String> response = deleteLead(lead, Duration.ofSeconds(10));
                switch (fault) {
                    case SERVER_ERROR -> {
                        assertEquals(500, response.statusCode());
                        assertTrue(response.body().contains("INTERNAL_SERVER_ERROR"));
                    }
                    case SERVICE_UNAVAILABLE -> {
                        assertEquals(503, response.statusCode());
                        assertEquals("", response.body());
                    }
                    case QUERY_LIMIT_EXCEEDED -> {
                        assertEquals(503, response.statusCode());
                        assertTrue(response.body().contains("QUERY_LIMIT_EXCEEDED"));
                    }
                    case HTML_502 -> {
                        assertEquals(502, response.statusCode());
                        assertTrue(response.body().startsWith("<html>"));
                    }
                    case TRUNCATED_JSON -> {
                        assertEquals(200, response.statusCode());
                        assertTrue(response.body().startsWith("{\"result\":true"), response.body());
                        assertThrows(IOException.class, () -> new ObjectMapper().readTree(response.body()));
                    }
                    case NON_JSON_200 -> {
                        assertEquals(200, response.statusCode());
                        assertTrue(response.body().startsWith("<br />"));
                        assertThrows(IOException.class, () -> new ObjectMapper().readTree(response.body()));
                    }
                    case OVERSIZED_ANSWER -> {
                        assertEquals(200, response.statusCode());
                        assertTrue(response.body().length() >= FaultInjection.OVERSIZED_BYTES);
                    }
                    default -> throw new AssertionError(fault);
                }
            }
        }
        if (fault == Fault.SLOW_ANSWER) {
            // the method ran before the pause
            Thread.sleep(100);
        }
        assertEquals(!fault.applied(), portal.data().hasLead(lead), fault + " applied the delete: " + fault.applied());
        assertEquals(1L, portal.faults().injected().get(fault));
        assertEquals(1L, portal.faults().injectedTotal());
    }

    @Test
    void ratesSpreadOverTheKindsAndASeedRepeatsTheDraw() throws Exception {
        portal.faults().setRates(0.5, Fault.SERVER_ERROR, Fault.QUERY_LIMIT_EXCEEDED);
        portal.faults().setSeed(42);
        int[] statuses = new int[400];
        for (int i = 0; i < statuses.length; i++) {
            statuses[i] = deleteLead(1_000_000 + i, Duration.ofSeconds(10)).statusCode();
        }
        Map<Fault, Long> injected = portal.faults().injected();
        long errors = injected.get(Fault.SERVER_ERROR);
        long limited = injected.get(Fault.QUERY_LIMIT_EXCEEDED);
        // binomial(400, 0.25): mean 100, sd 8.7
        assertTrue(errors > 60 && errors < 140, "500s: " + errors);
        assertTrue(limited > 60 && limited < 140, "QLEs: " + limited);
        assertEquals(0L, injected.get(Fault.HTML_502));

        portal.faults().setSeed(42);
        for (int i = 0; i < statuses.length; i++) {
            assertEquals(statuses[i], deleteLead(1_000_000 + i, Duration.ofSeconds(10)).statusCode(), "request " + i);
        }
        portal.faults().clear();
        assertEquals(400, deleteLead(1, Duration.ofSeconds(10)).statusCode(), "no faults after clear(): not found");
    }

    @Test
    void ratesMustBeProbabilities() {
        assertThrows(IllegalArgumentException.class, () -> portal.faults().setRates(1.5, Fault.SERVER_ERROR));
        assertThrows(IllegalArgumentException.class, () -> portal.faults().setRate(Fault.SERVER_ERROR, -0.1));
        portal.faults().setRate(Fault.SERVER_ERROR, 0.6);
        assertThrows(IllegalArgumentException.class, () -> portal.faults().setRate(Fault.HTML_502, 0.6));
    }
}
