package io.camelbitrix24.crm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files a person reads in one sitting: no main source over 300 lines, but the configuration, which keeps every option
 * in one class as Camel's tooling expects.
 */
class Bitrix24FileSizeTest {

    private static final int MAX_LINES = 300;
    private static final Path SOURCES = Path.of("src/main/java");
    private static final String EXEMPT = "Bitrix24CrmConfiguration.java";

    @Test
    void noMainSourceIsLongerThan300Lines() throws IOException {
        List<String> tooLong;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            tooLong = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> !file.getFileName().toString().equals(EXEMPT))
                    .filter(file -> lines(file) > MAX_LINES)
                    .map(file -> SOURCES.relativize(file) + " (" + lines(file) + " lines)")
                    .sorted().toList();
        }
        assertTrue(Files.exists(SOURCES.resolve("io/camelbitrix24/crm/" + EXEMPT)), "the sources are read");
        assertEquals(List.of(), tooLong, "main sources over " + MAX_LINES + " lines");
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new IllegalStateException(file.toString(), e);
        }
    }
}
