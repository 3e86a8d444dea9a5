package io.camelbitrix24.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.camelbitrix24.emulator.PortalData;
import io.camelbitrix24.emulator.RequestLog;
import org.apache.camel.main.Main;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import static io.camelbitrix24.examples.ErasureExample.FILE;
import static io.camelbitrix24.examples.ErasureExample.SMART_PROCESS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The erasure example in Camel Main, in both DSLs, against the embedded emulator over HTTP: a request file dropped
 * into the running application's inbox erases what it names, each line ends in the outcomes or the dead letters, and
 * the portal keeps what was not named.
 */
class ErasureExampleTest {

    private static final Duration PROCESSED_WITHIN = Duration.ofSeconds(30);

    @ParameterizedTest(name = "erasure in the {0} DSL")
    @ValueSource(strings = { "java", "yaml" })
    void requestFileErasesRecordsAndBindingsWritesOutcomesAndDeadLetters(String dsl, @TempDir Path dir)
            throws Exception {
        try (ExamplePortal portal = new ExamplePortal(0)) {
            PortalData data = portal.emulator().data();
            ErasureExample.seed(data);
            Path inbox = Files.createDirectories(dir.resolve("inbox"));

            Main main = Examples.newMain(portal, dir);
            ErasureExample.addRoutes(main, dsl.equals("yaml"));
            main.start();
            try {
                // written aside and moved in whole: the consumer never reads half a file
                Path written = Files.writeString(dir.resolve(FILE + ".part"), ErasureExample.REQUESTS);
                Files.move(written, inbox.resolve(FILE), StandardCopyOption.ATOMIC_MOVE);
                awaitFile(inbox.resolve("done").resolve(FILE));
            } finally {
                main.stop();
            }

            List<String> outcomes = Files.readAllLines(inbox.resolve("done/requests.outcomes.tsv"));
            assertEquals(List.of(
                    "deal-contact 1 5\tunbound",
                    "deal-contact 2 5\tunbound",
                    "company-contact 1 5\tunbound",
                    "contact 5\tdeleted",
                    "deal-contact 3 5\tnot bound",
                    "contact 5\talready gone",
                    "deal 2\tdeleted",
                    "deal-contact 1 all\tunbound",
                    "contact-company 6 2\tunbound",
                    "company 2\tdeleted",
                    "quote 1\tdeleted",
                    "activity 1\tdeleted",
                    "item 1038 1\tdeleted",
                    "lead 2\tdeleted",
                    "lead-contact 9 all\tunbound",
                    "lead-contact 10 3\tunbound",
                    "deal 99\talready gone"), outcomes);

            List<String> deadLetters = Files.readAllLines(inbox.resolve("error/requests.dead-letters.tsv"));
            assertEquals(4, deadLetters.size(), "four lines failed: " + deadLetters);
            assertAll(
                    () -> assertStartsWith("item 1040 1\tBitrix24InvalidRequestException: ", deadLetters.get(0)),
                    () -> assertTrue(deadLetters.get(0).contains("1040"), deadLetters.get(0)),
                    () -> assertStartsWith("deal 0\tBitrix24ValidationException: Invalid deal id", deadLetters.get(1)),
                    () -> assertStartsWith("contact five\tIllegalArgumentException: Not an erasure request: the forms"
                                           + " are '<contact|lead|deal|company|quote|activity> <id>'",
                            deadLetters.get(2)),
                    () -> assertStartsWith("erase everything\tIllegalArgumentException: Not an erasure request",
                            deadLetters.get(3)));

            // nothing lost: every request line is in exactly one of the two files
            List<String> requests = ErasureExample.REQUESTS.lines().map(line -> line.strip().replaceAll("\\s+", " "))
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).sorted().toList();
            List<String> accounted = new ArrayList<>();
            Stream.concat(outcomes.stream(), deadLetters.stream()).forEach(line -> accounted.add(line.split("\t")[0]));
            assertEquals(requests, accounted.stream().sorted().toList());

            RequestLog calls = portal.emulator().requests();
            assertAll("the portal afterwards: " + portal.state() + "; " + ErasureExample.state(data),
                    // contact 5 is gone, and so are its bindings; contact 6 is not
                    () -> assertEquals(List.of(1, 2, 3, 4, 6), data.contactIds()),
                    () -> assertEquals(List.of(1), data.companiesOfContact(6)),
                    // deal 2 deleted; deal 1 kept without its contacts; deal 3 kept with contact 6
                    () -> assertFalse(data.hasDeal(2)),
                    () -> assertTrue(data.hasDeal(1)),
                    () -> assertEquals(List.of(), data.contactsOfDeal(1)),
                    () -> assertTrue(data.hasDeal(3)),
                    () -> assertEquals(List.of(6), data.contactsOfDeal(3)),
                    // company 2 deleted; company 1 kept with contact 6
                    () -> assertFalse(data.hasCompany(2)),
                    () -> assertTrue(data.hasCompany(1)),
                    () -> assertEquals(List.of(6), data.contactsOfCompany(1)),
                    () -> assertFalse(data.hasQuote(1)),
                    () -> assertTrue(data.hasQuote(2)),
                    () -> assertFalse(data.hasActivity(1)),
                    () -> assertTrue(data.hasActivity(2)),
                    () -> assertFalse(data.hasItem(SMART_PROCESS, 1)),
                    () -> assertTrue(data.hasItem(SMART_PROCESS, 2)),
                    () -> assertEquals(List.of(1, 3, 4, 5, 6, 7, 8, 9, 10), data.leadIds()),
                    () -> assertEquals(List.of(), data.contactsOfLead(ExamplePortal.JUNK_LEAD_A)),
                    () -> assertEquals(List.of(), data.contactsOfLead(ExamplePortal.JUNK_LEAD_B)),
                    () -> assertEquals(List.of(4), data.contactsOfLead(1), "a lead not named keeps its contact"),
                    // deal 2 and deal 99: "deal 0" and the lines of no form never reached the portal
                    () -> assertEquals(2, calls.commands("crm.deal.delete"), "crm.deal.delete calls"),
                    () -> assertEquals(2, calls.commands("crm.contact.delete"), "contact 5, twice"));
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + PROCESSED_WITHIN.toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(file), file + " not there within " + PROCESSED_WITHIN + ": the file was not processed");
    }

    private static void assertStartsWith(String prefix, String line) {
        assertTrue(line.startsWith(prefix), "expected '" + prefix + "...', was '" + line + "'");
    }
}
