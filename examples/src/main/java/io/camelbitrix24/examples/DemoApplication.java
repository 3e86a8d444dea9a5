package io.camelbitrix24.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.camel.main.Main;

/**
 * The demo: starts an embedded Bitrix24 emulator, drops a file of lead ids and two contact files, runs the file drop,
 * timer and YAML routes in Camel Main until they have been idle for a few seconds, then prints what the portal looks like.
 * Run with {@code mvn -B -DskipTests -Pdemo verify}.
 */
public final class DemoApplication {

    private DemoApplication() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/demo").toAbsolutePath();
        DemoResult result;
        try {
            result = run(dir, 3);
        } catch (Exception e) {
            e.printStackTrace();
            // a failed start may leave non-daemon threads behind: end the JVM rather than hang
            System.exit(1);
            return;
        }
        System.out.println(result.summary());
        if (!result.asExpected()) {
            System.err.println("The demo did not end as expected");
            System.exit(1);
        }
    }

    /** Runs the demo in {@code dir}; Camel Main stops after {@code idleSeconds} without messages. */
    public static DemoResult run(Path dir, int idleSeconds) throws Exception {
        prepare(dir);
        try (DemoPortal portal = new DemoPortal()) {
            Main main = new Main();
            main.bind("demoPortal", portal);
            // component options: set once, used by every bitrix24-crm endpoint; the emulator speaks plain HTTP on loopback
            main.addInitialProperty("camel.component.bitrix24-crm.webhookUrl", portal.emulator().webhookUrl());
            main.addInitialProperty("camel.component.bitrix24-crm.allowInsecureHttp", "true");
            main.addInitialProperty("demo.dir", dir.toString());
            main.configure().withRoutesIncludePattern("classpath:routes/*.camel.yaml");
            main.configure().addRoutesBuilder(new DemoRoutes());
            main.configure().withDurationMaxIdleSeconds(idleSeconds).withDurationMaxSeconds(120);
            try {
                main.run();
            } finally {
                main.stop();
            }
            return DemoResult.of(portal.emulator());
        }
    }

    private static void prepare(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Path leads = Files.createDirectories(dir.resolve("leads-inbox"));
        Path contacts = Files.createDirectories(dir.resolve("contacts-inbox"));
        // lead 3 twice: the second delete finds nothing; "12abc" is rejected before any call
        Files.writeString(leads.resolve("cleanup.txt"), "2\n3\n5\n\n12abc\n3\n");
        Files.writeString(contacts.resolve("contact-5.json"), "{\"id\": 5}");
        Files.writeString(contacts.resolve("contact-6.json"), "{\"ID\": \"6\"}");
    }
}
