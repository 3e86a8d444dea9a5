package io.camelbitrix24.examples;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSContext;
import jakarta.jms.Queue;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.emulator.RecordedRequest;
import io.camelbitrix24.testing.ChildJvm;
import io.camelbitrix24.testing.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The queue example must not lose ids on a crash: it runs in a JVM of its own against a broker in this JVM, is killed
 * ({@code destroyForcibly}) while its deletes are on their way (alone and in batch calls), and is started again. Every
 * id ends deleted or in the dead letter queue; an id deleted twice (a delete cut short and sent again) is absorbed as
 * already gone.
 */
class QueueCrashTest {

    private static final String QUEUE = "bitrix24.crash-deletes";
    private static final int LEADS = 300;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aJvmKilledWhileItsDeletesAreOnTheirWayLosesNoId(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        int tcpPort = Ports.unused();
        try (EmbeddedBroker broker = new EmbeddedBroker(900 + tcpPort % 90, tcpPort);
             Bitrix24Emulator portal = Bitrix24Emulator.builder().seedLeads(LEADS).start()) {
            // each delete takes 10 ms on the portal: a batch of 50 half a second, long enough to be caught in the act
            portal.limits().setLatency(Duration.ofMillis(10));
            try (JMSContext jms = broker.connectionFactory().createContext()) {
                Queue queue = jms.createQueue(QUEUE);
                for (int id = 1; id <= LEADS; id++) {
                    jms.createProducer().send(queue, String.valueOf(id));
                }
                jms.createProducer().send(queue, "lead-42");
            }

            try (ChildJvm first = start(dir, tcpPort, portal, 0)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (portal.requests().count("batch") < 2 && first.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                first.kill();
            }
            long taken = LEADS + 1 - broker.messageCount(QUEUE);
            long deletedAtCrash = LEADS - portal.data().leadCount();
            System.out.printf("queue crash: killed after %d batch calls; %d messages taken from the queue, %d leads"
                              + " deleted%n", portal.requests().count("batch"), taken, deletedAtCrash);
            assertTrue(deletedAtCrash > 0 && deletedAtCrash < LEADS, "killed half way: " + deletedAtCrash + " deleted");

            try (ChildJvm second = start(dir, tcpPort, portal, 4)) {
                assertTrue(second.awaitEnd(Duration.ofSeconds(150)), "the restarted example stops when idle");
                assertEquals(0, second.exitValue());
            }

            List<EmbeddedBroker.DeadLetter> dead = broker.drain(QUEUE + ".DLQ");
            Map<Integer, Integer> deletes = deletesPerLead(portal.requests().recent());
            long twice = deletes.values().stream().filter(n -> n > 1).count();
            System.out.printf("queue crash: after the restart %d leads left, %d dead letters %s, %d leads deleted twice"
                              + " (a second delete finds the lead gone: notFoundIsSuccess), %d messages left%n",
                    portal.data().leadCount(), dead.size(), dead.stream().map(EmbeddedBroker.DeadLetter::body).toList(),
                    twice, broker.messageCount(QUEUE));

            assertEquals(List.of(), portal.data().leadIds(), "every lead deleted: none lost; the example's log: "
                                                            + dir.resolve("queue-app.log"));
            assertEquals(List.of("lead-42"), dead.stream().map(EmbeddedBroker.DeadLetter::body).toList(),
                    "only the message that is no id is a dead letter: no lead deleted twice came out as not found");
            assertEquals(0, broker.messageCount(QUEUE));
            assertEquals(List.of(), broker.drain(EmbeddedBroker.UNDELIVERABLE), "no message the broker gave up on");
            for (int id = 1; id <= LEADS; id++) {
                assertTrue(deletes.getOrDefault(id, 0) >= 1, "lead " + id + " was sent to the portal");
            }
            // the kill caught a batch call on the portal (it takes half a second there, and the kill follows its
            // arrival): its leads were deleted but their messages not taken, so they came again and were deleted twice;
            // each of those was absorbed, ending as a success, not a dead letter (checked above), and no lead was
            // deleted a third time
            assertTrue(twice > 0, "the crash left deletes to be sent again: none was deleted twice");
            deletes.forEach((id, n) -> assertTrue(n <= 2, "lead " + id + " deleted " + n + " times"));
        }
    }

    private static ChildJvm start(Path dir, int tcpPort, Bitrix24Emulator portal, int idleSeconds) throws Exception {
        return ChildJvm.running(QueueApp.class.getName())
                .jvmArgs("-Dexample.brokerUrl=tcp://127.0.0.1:" + tcpPort, "-Dexample.queue=" + QUEUE,
                        "-Dexample.dir=" + dir, "-Dexample.idleSeconds=" + idleSeconds,
                        "-Dcamel.component.bitrix24-crm.webhookUrl=" + portal.webhookUrl(),
                        "-Dcamel.component.bitrix24-crm.allowInsecureHttp=true")
                .appendLog().start(dir.resolve("queue-app.log"));
    }

    /** How many deletes the portal received for each lead, alone or as commands of the batch calls it recorded. */
    private static Map<Integer, Integer> deletesPerLead(List<RecordedRequest> requests) {
        Map<Integer, Integer> deletes = new HashMap<>();
        for (RecordedRequest request : requests) {
            if (request.method().equals("crm.lead.delete")) {
                deletes.merge(Integer.parseInt(String.valueOf(request.params().get("id"))), 1, Integer::sum);
            } else if (request.method().equals("batch") && request.params().get("cmd") instanceof Map<?, ?> commands) {
                for (Object command : commands.values()) {
                    String text = String.valueOf(command);
                    int at = text.indexOf("id=");
                    if (text.startsWith("crm.lead.delete?") && at >= 0) {
                        deletes.merge(Integer.parseInt(text.substring(at + 3).split("&")[0]), 1, Integer::sum);
                    }
                }
            }
        }
        return deletes;
    }
}
