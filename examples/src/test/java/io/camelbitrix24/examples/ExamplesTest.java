package io.camelbitrix24.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs each example in Camel Main against its embedded emulator (and broker) and checks what it did. */
class ExamplesTest {

    @ParameterizedTest(name = "file drop in the {0} DSL")
    @ValueSource(strings = { "file-drop", "yaml" })
    void fileDropDeletesTheListedLeadsWritesResultsAndSetsFailuresAside(String example, @TempDir Path dir)
            throws Exception {
        ExampleResult result = Examples.run(example, dir, 2);

        assertEquals(List.of(1, 4, 7, 8, 9, 10), result.leads(), "leads 2, 3, 5, 6 deleted");
        Path done = dir.resolve("inbox/done");
        assertTrue(Files.exists(done.resolve("cleanup.csv")), "the file moved to done/ when processed");
        assertTrue(Files.exists(done.resolve("more.jsonl")));
        List<String> results = Files.readAllLines(done.resolve("cleanup.results.tsv"));
        assertEquals(4, results.size(), "one line per id line, next to the file: " + results);
        assertEquals(List.of("2\tdeleted=true", "3\tdeleted=true"), results.subList(0, 2));
        assertTrue(results.get(2).startsWith("12abc\tfailed\tBitrix24ValidationException: Invalid lead id in body: '12abc'"),
                results.get(2));
        assertTrue(results.get(3).startsWith("3\tfailed\tBitrix24NotFoundException: crm.lead.delete for lead 3 failed"),
                results.get(3));
        List<String> failed = Files.readAllLines(dir.resolve("inbox/error/cleanup.failed.tsv"));
        assertEquals(2, failed.size(), "the two failed lines, set aside: " + failed);
        assertTrue(failed.get(0).startsWith("12abc\tfailed"));
        List<String> jsonResults = Files.readAllLines(done.resolve("more.results.tsv"));
        assertEquals(3, jsonResults.size());
        assertEquals("{\"id\": 5}\tdeleted=true", jsonResults.get(0));
        assertTrue(jsonResults.get(2).startsWith("{\"id\": 99999}\tfailed\tBitrix24NotFoundException"));
        assertEquals(List.of("{\"id\": 99999}"), Files.readAllLines(dir.resolve("inbox/error/more.failed.tsv")).stream()
                .map(line -> line.split("\t")[0]).toList());
        // each delete, sent alone or in a batch call with others waiting beside it
        assertEquals(6, result.leadDeletes(), "2, 3, 3, 5, 6, 99999: 12abc never reached the portal; " + result.portalState());
    }

    @Test
    void timerReadsTheJunkLeadsFromThePortalAndUnbindsTheirContacts(@TempDir Path dir) throws Exception {
        ExampleResult result = Examples.run("timer", dir, 2);

        assertEquals(1, result.leadLists(), "asked the portal once for the JUNK leads");
        assertEquals(2, result.unbindAllCalls(), "one unbind call per junk lead");
        assertEquals(List.of(), result.contactsOfLead9());
        assertEquals(List.of(), result.contactsOfLead10());
        assertEquals(List.of(4), result.contactsOfLead1(), "a NEW lead keeps its contact");
        assertEquals(10, result.leads().size(), "unbinding deletes nothing");
    }

    @Test
    void queueOfSingleIdsDrainsInBatchCallsAndDeadLettersWhatFailed(@TempDir Path dir) throws Exception {
        ExampleResult result = Examples.run("queue", dir, 2);

        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), result.leads(), "leads 11..210 deleted from the queue");
        assertTrue(result.leadDeletes() >= 202, "every id but lead-42 reached the portal: " + result.leadDeletes());
        // the portal's burst of 50 takes the first deletes alone; the rest wait for its turns and leave together
        long requests = result.plainLeadDeletes() + result.batchCalls();
        assertTrue(result.batchCalls() >= 2 && requests <= 80,
                "202 deletes in " + result.plainLeadDeletes() + " single and " + result.batchCalls() + " batch calls");
        List<String> dead = result.deadLetters().stream().map(EmbeddedBroker.DeadLetter::body).sorted().toList();
        // at least once: a lead already gone is done (notFoundIsSuccess), so 90001 and 90002 are not dead letters
        assertEquals(List.of("lead-42"), dead);
        result.deadLetters().forEach(letter -> assertTrue(letter.failure() != null && !letter.failure().isBlank(),
                "the reason travels with " + letter.body()));
    }
}
