package io.camelbitrix24.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the whole demo, file drop, timer and YAML routes in Camel Main, against its embedded emulator. */
class DemoApplicationTest {

    @Test
    void demoDeletesWhatItsRoutesWereGiven(@TempDir Path dir) throws Exception {
        DemoResult result = DemoApplication.run(dir, 2);

        assertEquals(List.of(1, 4, 6, 7, 8, 9, 10), result.leads(), "leads 2, 3, 5 deleted by the file drop");
        assertEquals(List.of(1, 2, 3, 4), result.contacts(), "contacts 5, 6 deleted by the YAML route");
        assertEquals(List.of(), result.contactsOfJunkLead9(), "timer unbound the junk leads");
        assertEquals(List.of(), result.contactsOfJunkLead10());
        assertEquals(List.of(4), result.contactsOfLead1(), "other bindings kept");
        assertEquals(4, result.leadDeletes(), "12abc never reached the portal");
        assertTrue(result.asExpected());
        assertTrue(Files.exists(dir.resolve("leads-inbox/.done/cleanup.txt")), "the file was moved when done");
        assertTrue(Files.exists(dir.resolve("contacts-inbox/.done/contact-5.json")));
    }
}
