package io.camelbitrix24.examples;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import io.camelbitrix24.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first thing a user copies, proven: the README's quick start (its application.properties, the webhook from an
 * environment variable, and its Java route) runs in a JVM of its own against an HTTPS emulator that the JVM trusts
 * as it would trust a real portal, deletes the listed leads, logs the bad lines and does not read the file again.
 */
class QuickStartTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path ROUTES = Path.of("src/main/java/io/camelbitrix24/examples/QuickStartRoutes.java");
    private static final String CODE = "qu1ckStartC0de";

    @Test
    void theReadmesJavaRouteIsQuickStartRoutesWordForWord() throws Exception {
        String routes = Files.readString(ROUTES);
        Matcher region = Pattern.compile("(?s)// README:start\\n(.*?)\\n\\s*// README:end").matcher(routes);
        assertTrue(region.find(), "markers in " + ROUTES);
        List<String> code = region.group(1).lines().map(line -> line.length() >= 8 ? line.substring(8) : line.strip())
                .toList();
        assertEquals(code, readmeBlock("java", "from(\"file:inbox").lines().toList());
    }

    @Test
    void theReadmesQuickStartDeletesTheListedLeadsInItsOwnJvm(@TempDir Path dir) throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().https(true).webhook(1, CODE).seedLeads(5).start()) {
            Path trustStore = dir.resolve("truststore.p12");
            Bitrix24Emulator.exportTrustStore(trustStore);
            Files.writeString(dir.resolve("application.properties"),
                    readmeBlock("properties", "# application.properties"));
            Files.createDirectories(dir.resolve("inbox"));
            Files.writeString(dir.resolve("inbox/leads.txt"), "1\n2\n12abc\n999999\n4\n", StandardCharsets.UTF_8);

            try (ChildJvm app = ChildJvm.running(QuickStartMain.class.getName())
                    // the JVM trusts the emulator's certificate as it would a real portal's CA: no component option
                    .jvmArgs("-Djavax.net.ssl.trustStore=" + trustStore, "-Djavax.net.ssl.trustStoreType=PKCS12",
                            "-Djavax.net.ssl.trustStorePassword=" + Bitrix24Emulator.STORE_PASSWORD)
                    .environment("BITRIX24_WEBHOOK_URL", portal.webhookUrl())
                    .directory(dir).start(dir.resolve("output.log"))) {
                assertTrue(app.awaitEnd(Duration.ofSeconds(90)), "the app stops by itself after its idle seconds: "
                                                                 + app.output());
                assertEquals(0, app.exitValue(), app.output());
            }
            String output = Files.readString(dir.resolve("output.log"));

            assertEquals(List.of(3, 5), portal.data().leadIds(), "leads 1, 2 and 4 deleted");
            assertEquals(4, portal.requests().count("crm.lead.delete"), "1, 2, 999999, 4: 12abc never sent");
            assertTrue(output.contains("line '12abc' not deleted"), output);
            assertTrue(output.contains("line '999999' not deleted"), output);
            assertFalse(Files.exists(dir.resolve("inbox/leads.txt")), "read once, moved away: no loop");
            try (Stream<Path> failed = Files.list(dir.resolve("inbox")).filter(p -> p.endsWith("failed"))) {
                assertEquals(0, failed.count(), "no file failed as a whole");
            }
            assertFalse(output.contains(CODE), "the webhook code is not printed");
        }
    }

    /** The README's code block of {@code language} that starts with {@code firstLine}, without its fences. */
    private static String readmeBlock(String language, String firstLine) throws Exception {
        String readme = Files.readString(README);
        Matcher blocks = Pattern.compile("(?s)```" + language + "\\n(.*?)```").matcher(readme);
        while (blocks.find()) {
            if (blocks.group(1).startsWith(firstLine)) {
                return blocks.group(1).stripTrailing();
            }
        }
        throw new AssertionError("no ```" + language + " block starting with " + firstLine + " in the README");
    }
}
