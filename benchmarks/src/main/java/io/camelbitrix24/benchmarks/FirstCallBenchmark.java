package io.camelbitrix24.benchmarks;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.camelbitrix24.crm.Bitrix24CrmComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The first call of a started route against the hundredth, over HTTPS on loopback. Each run is a JVM of its own (a
 * cold JVM is what a deploy starts), against the standalone emulator in another: the route starts, settles for a
 * second, then one delete is timed from the message to its answer, then a hundred more. Producers that prepare their
 * way at start (the default) against lazily started ones, which prepare nothing, as every producer did before.
 */
final class FirstCallBenchmark {

    static final int ROUNDS = 3;
    static final int LATER_CALLS = 100;

    /** {@code arrivalMillis}: from the first message to its request's arrival at the portal, as the portal saw it. */
    record Run(String mode, double firstMillis, double laterMedianMillis, double arrivalMillis) {
    }

    record Result(List<Run> runs) {
        double medianFirst(String mode) {
            return median(runs.stream().filter(r -> r.mode().equals(mode)).mapToDouble(Run::firstMillis).toArray());
        }

        double medianLater(String mode) {
            return median(runs.stream().filter(r -> r.mode().equals(mode)).mapToDouble(Run::laterMedianMillis).toArray());
        }

        double medianArrival(String mode) {
            return median(runs.stream().filter(r -> r.mode().equals(mode)).mapToDouble(Run::arrivalMillis).toArray());
        }
    }

    Result run(File emulatorJar) throws Exception {
        int port = 19_000 + (int) (ProcessHandle.current().pid() % 1000);
        Path trustStore = Files.createTempFile("first-call", ".p12");
        Path arrivals = Files.createTempFile("first-call", ".log");
        // the emulator prints when each request arrives (the same machine's clock), so the first call's way to the
        // portal is measured where the target is set: at the portal, not at the answer
        Process emulator = new ProcessBuilder(java(), "-Dsun.net.httpserver.nodelay=true", "-jar", emulatorJar.getPath(),
                "--https", "--port", String.valueOf(port), "--leads", "1000", "--export-truststore", trustStore.toString(),
                "--print-arrivals").redirectErrorStream(true).redirectOutput(arrivals.toFile()).start();
        List<Run> runs = new ArrayList<>();
        try {
            Portals.waitForPort(port);
            // the standalone emulator's documented default webhook, over HTTPS
            String webhook = "https://127.0.0.1:" + port + "/rest/1/local-emulator/";
            // a production portal is warm: the emulator's own first answers (its JIT, its classes) are not counted
            probe("prepared", webhook, trustStore, arrivals);
            for (int round = 0; round < ROUNDS; round++) {
                // interleaved, so that what the machine does meanwhile weighs on both alike
                for (String mode : List.of("prepared", "lazy")) {
                    runs.add(probe(mode, webhook, trustStore, arrivals));
                }
            }
        } finally {
            emulator.destroy();
            emulator.waitFor(10, TimeUnit.SECONDS);
            Files.deleteIfExists(trustStore);
            Files.deleteIfExists(arrivals);
        }
        return new Result(runs);
    }

    /** One cold JVM's figures. */
    private static Run probe(String mode, String webhook, Path trustStore, Path arrivals) throws Exception {
        Process probe = new ProcessBuilder(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                FirstCallBenchmark.class.getName(), mode, webhook, trustStore.toString()).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith("RESULT ")) {
                    result = line;
                }
            }
        }
        if (!probe.waitFor(2, TimeUnit.MINUTES) || probe.exitValue() != 0 || result == null) {
            probe.destroyForcibly();
            throw new IllegalStateException("the " + mode + " probe failed");
        }
        String[] parts = result.split(" ");
        long sentMicros = Long.parseLong(parts[3]);
        return new Run(mode, Double.parseDouble(parts[1]), Double.parseDouble(parts[2]),
                (firstArrivalAfter(arrivals, sentMicros) - sentMicros) / 1000.0);
    }

    /** The first request the portal saw at or after {@code micros} (epoch microseconds), from its arrival lines. */
    private static long firstArrivalAfter(Path arrivals, long micros) throws Exception {
        for (String line : Files.readAllLines(arrivals)) {
            String[] parts = line.split(" ");
            if (parts.length == 3 && parts[0].equals("arrival") && Long.parseLong(parts[2]) >= micros) {
                return Long.parseLong(parts[2]);
            }
        }
        throw new IllegalStateException("the portal saw no request after the first message");
    }

    /**
     * The probe, in its own JVM: {@code mode webhookUrl trustStore}; prints
     * {@code RESULT firstMs laterMedianMs sentEpochMicros}.
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        SSLContextParameters tls = new SSLContextParameters();
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + args[2]);
        store.setPassword("emulator");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        tls.setTrustManagers(trust);
        try (CamelContext camel = new DefaultCamelContext()) {
            Bitrix24CrmComponent component = new Bitrix24CrmComponent();
            component.getConfiguration().setWebhookUrl(args[1]);
            component.getConfiguration().setSslContextParameters(tls);
            component.getConfiguration().setRateLimitPerSecond(0);
            component.getConfiguration().setNotFoundIsSuccess(true);
            camel.addComponent("bitrix24-crm", component);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:delete").to("bitrix24-crm:lead/delete" + (mode.equals("lazy") ? "?lazyStartProducer=true" : ""));
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            // the route has started and settled, as a deployed route has before its first message
            Thread.sleep(1000);
            java.time.Instant sent = java.time.Instant.now();
            long start = System.nanoTime();
            template.requestBody("direct:delete", 1);
            double first = (System.nanoTime() - start) / 1e6;
            double[] later = new double[LATER_CALLS];
            for (int i = 0; i < LATER_CALLS; i++) {
                long t = System.nanoTime();
                template.requestBody("direct:delete", 2 + i);
                later[i] = (System.nanoTime() - t) / 1e6;
            }
            System.out.printf(java.util.Locale.ROOT, "RESULT %.3f %.3f %d%n", first, median(later),
                    sent.getEpochSecond() * 1_000_000 + sent.getNano() / 1_000);
        }
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
