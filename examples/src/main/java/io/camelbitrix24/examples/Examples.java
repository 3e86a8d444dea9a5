package io.camelbitrix24.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * Runs the examples in Camel Main against an embedded Bitrix24 emulator, each until its routes have been idle for a few
 * seconds, and prints what the portal looks like afterwards:
 * {@code mvn -B -ntp -DskipTests -Pexamples verify -Dexample=file-drop|timer|queue|yaml|erasure|erasure-yaml|all}.
 */
public final class Examples {

    public static final List<String> NAMES = List.of("file-drop", "timer", "queue", "yaml", "erasure", "erasure-yaml");
    static final String QUEUE = "bitrix24.lead-deletes";
    static final int QUEUED_LEADS = 200;

    private Examples() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 && !args[0].isBlank() ? args[0] : "all";
        Path base = Path.of(args.length > 1 ? args[1] : "target/examples").toAbsolutePath();
        List<String> names = which.equals("all") ? NAMES : List.of(which);
        if (!NAMES.containsAll(names)) {
            System.err.println("unknown example '" + which + "'; one of " + NAMES + " or all");
            System.exit(2);
        }
        try {
            for (String name : names) {
                System.out.println(run(name, base.resolve(name), 3).summary());
            }
        } catch (Exception e) {
            e.printStackTrace();
            // a failed start may leave non-daemon threads behind: end the JVM rather than hang
            System.exit(1);
        }
    }

    /** Runs one example in {@code dir} (emptied first); Camel Main stops after {@code idleSeconds} without messages. */
    public static ExampleResult run(String example, Path dir, int idleSeconds) throws Exception {
        clean(dir);
        try (ExamplePortal portal = new ExamplePortal(example.equals("queue") ? QUEUED_LEADS : 0)) {
            return switch (example) {
                case "file-drop" -> {
                    dropFiles(dir);
                    runMain(portal, dir, idleSeconds, main -> main.configure().addRoutesBuilder(new FileDropRoutes()));
                    yield ExampleResult.of(example, dir, portal, List.of());
                }
                case "yaml" -> {
                    dropFiles(dir);
                    // the YAML route and its application.properties, unchanged from src/main/jbang (for Camel JBang)
                    runMain(portal, dir, idleSeconds, main -> {
                        main.setPropertyPlaceholderLocations("classpath:jbang/application.properties");
                        main.configure().withRoutesIncludePattern("classpath:jbang/file-drop.camel.yaml");
                    });
                    yield ExampleResult.of(example, dir, portal, List.of());
                }
                case "timer" -> {
                    runMain(portal, dir, idleSeconds, main -> {
                        main.addOverrideProperty("example.cleanup.runs", "1");
                        main.configure().addRoutesBuilder(new TimerCleanupRoutes());
                    });
                    yield ExampleResult.of(example, dir, portal, List.of());
                }
                case "queue" -> {
                    try (EmbeddedBroker broker = new EmbeddedBroker(Math.abs(dir.hashCode() % 1000))) {
                        runMain(portal, dir, idleSeconds, main -> {
                            main.bind("jms", JmsComponent.jmsComponent(broker.connectionFactory()));
                            main.addOverrideProperty("example.queue", QUEUE);
                            main.configure().addRoutesBuilder(new QueueRoutes());
                            main.addMainListener(new MainListenerSupport() {
                                @Override
                                public void afterStart(BaseMainSupport started) {
                                    feedQueue(started);
                                }
                            });
                        });
                        yield ExampleResult.of(example, dir, portal, broker.drain(QUEUE + ".DLQ"));
                    }
                }
                case "erasure", "erasure-yaml" -> {
                    ErasureExample.seed(portal.emulator().data());
                    Path inbox = Files.createDirectories(dir.resolve("inbox"));
                    Files.writeString(inbox.resolve(ErasureExample.FILE), ErasureExample.REQUESTS);
                    runMain(portal, dir, idleSeconds,
                            main -> ErasureExample.addRoutes(main, example.equals("erasure-yaml")));
                    yield ExampleResult.of(example, dir, portal, List.of(),
                            portal.state() + "\n        " + ErasureExample.state(portal.emulator().data()));
                }
                default -> throw new IllegalArgumentException("unknown example " + example + "; one of " + NAMES);
            };
        }
    }

    /** Ids 11..210 (the queue's leads), two ids no lead has, and one message that is not an id. */
    private static void feedQueue(BaseMainSupport main) {
        var template = main.getCamelContext().createProducerTemplate();
        for (int id = 11; id < 11 + QUEUED_LEADS; id++) {
            template.sendBody("jms:queue:" + QUEUE, String.valueOf(id));
        }
        template.sendBody("jms:queue:" + QUEUE, "90001");
        template.sendBody("jms:queue:" + QUEUE, "90002");
        template.sendBody("jms:queue:" + QUEUE, "lead-42");
    }

    private static void runMain(ExamplePortal portal, Path dir, int idleSeconds, Consumer<Main> routes) throws Exception {
        Main main = newMain(portal, dir);
        main.configure().withDurationMaxIdleSeconds(idleSeconds).withDurationMaxSeconds(120);
        routes.accept(main);
        try {
            main.run();
        } finally {
            main.stop();
        }
    }

    /** Camel Main for an example in {@code dir}, on {@code portal}: no routes yet, and no end of its own. */
    static Main newMain(ExamplePortal portal, Path dir) {
        Main main = new Main();
        // component options, once for every bitrix24-crm endpoint; the emulator speaks plain HTTP on loopback
        main.addOverrideProperty("camel.component.bitrix24-crm.webhookUrl", portal.emulator().webhookUrl());
        main.addOverrideProperty("camel.component.bitrix24-crm.allowInsecureHttp", "true");
        main.addOverrideProperty("example.dir", dir.toString());
        return main;
    }

    /** Two files for the file drop: ids as CSV, and JSON lines. */
    private static void dropFiles(Path dir) throws IOException {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        // lead 3 twice: the second delete finds nothing; "12abc" is refused before any call
        Files.writeString(inbox.resolve("cleanup.csv"), "id\n2\n3\n\n12abc\n3\n");
        Files.writeString(inbox.resolve("more.jsonl"), "{\"id\": 5}\n{\"ID\": \"6\"}\n{\"id\": 99999}\n");
    }

    private static void clean(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(dir);
    }
}
