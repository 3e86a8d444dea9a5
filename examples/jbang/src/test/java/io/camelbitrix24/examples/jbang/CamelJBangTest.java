package io.camelbitrix24.examples.jbang;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code camel run file-drop.camel.yaml application.properties} of docs/examples.md, run by Camel JBang's own CLI
 * in a JVM of its own against the standalone emulator's defaults (webhook 1/local-emulator) on a free port: the files
 * are the ones in examples/src/main/jbang, unchanged; the port reaches application.properties as BITRIX24_EMULATOR_PORT
 * (8024 when unset, the standalone emulator's default). Two options are added: where the component is (a user has it in
 * the local Maven repository after mvn install), and to stop when idle.
 */
class CamelJBangTest {

    private static final Path JBANG = Path.of("..", "src", "main", "jbang");

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theReadmesCamelRunDeletesTheLeadsOfADroppedFile(@TempDir Path dir) throws Exception {
        for (String file : List.of("file-drop.camel.yaml", "application.properties")) {
            Files.copy(JBANG.resolve(file), dir.resolve(file));
        }
        Path inbox = Files.createDirectories(dir.resolve("file-drop-work/inbox"));
        Files.writeString(inbox.resolve("leads.csv"), "2\n3\n12abc\n");
        // a free port, not the default 8024 (which something else may hold): the file reads it from the environment
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().port(0).webhook(1, "local-emulator").seedLeads(10)
                .start()) {
            int port = URI.create(portal.webhookUrl()).getPort();
            assertEquals("http://127.0.0.1:" + port + "/rest/1/local-emulator/", portal.webhookUrl(),
                    "the standalone emulator's documented webhook, on the port given to it");
            String classPath = Path.of("target", "test-classes").toAbsolutePath() + java.io.File.pathSeparator
                               + Files.readString(Path.of(System.getProperty("jbang.classpath"))).strip();
            String output;
            try (ChildJvm camel = ChildJvm.running(CamelJBang.class.getName()).classPath(classPath)
                    .args("run", "file-drop.camel.yaml", "application.properties",
                            "--repos=file://" + Path.of(System.getProperty("jbang.repo")).toAbsolutePath(),
                            "--max-idle-seconds=5")
                    .environment("BITRIX24_EMULATOR_PORT", String.valueOf(port))
                    .directory(dir).start(dir.resolve("camel.log"))) {
                boolean ended = camel.awaitEnd(Duration.ofMinutes(4));
                output = camel.output();
                assertTrue(ended, "camel run stops when idle: " + output);
                assertEquals(0, camel.exitValue(), output);
            }
            assertTrue(output.contains("Apache Camel (JBang) " + System.getProperty("camel-jbang.version")), output);

            assertEquals(List.of(1, 4, 5, 6, 7, 8, 9, 10), portal.data().leadIds(), "leads 2 and 3 deleted");
            assertEquals(2, portal.requests().count("crm.lead.delete"), "12abc never sent");
            List<String> results = Files.readAllLines(dir.resolve("file-drop-work/inbox/done/leads.results.tsv"));
            assertEquals(List.of("2\tdeleted=true", "3\tdeleted=true"), results.subList(0, 2));
            assertTrue(results.get(2).startsWith("12abc\tfailed\tBitrix24ValidationException"), results.get(2));
        }
    }
}
