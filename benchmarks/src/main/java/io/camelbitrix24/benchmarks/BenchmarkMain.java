package io.camelbitrix24.benchmarks;

import java.io.File;
import java.util.Locale;

/**
 * Runs every benchmark in this JVM, one after another, and prints one table. Argument: the folder of the Node peer
 * script. Run with {@code mvn -B -ntp -DskipTests -Pbench verify}.
 */
public final class BenchmarkMain {

    private BenchmarkMain() {
    }

    public static void main(String[] args) throws Exception {
        File nodeDir = new File(args.length > 0 ? args[0] : "node");
        File emulatorJar = findEmulatorJar(nodeDir.getAbsoluteFile().getParentFile().getParentFile());
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                           + System.getProperty("java.version") + ", max heap "
                           + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");

        if (args.length > 1) {
            runOne(args[1], nodeDir, emulatorJar);
            return;
        }
        System.out.println("1/6 overhead ...");
        OverheadBenchmark.Result overhead = new OverheadBenchmark().run();
        System.out.println("1/6 overhead, meters on against off ...");
        MetersBenchmark.Result meters = new MetersBenchmark().run();
        System.out.println("2/6 bulk, warm-up ...");
        BulkBenchmark.warmUp();
        System.out.println("2/6 bulk, single calls ...");
        BulkBenchmark bulk = new BulkBenchmark();
        BulkBenchmark.Result single = bulk.single();
        System.out.println("2/6 bulk, batch mode ...");
        BulkBenchmark.Result batch = bulk.batch();
        System.out.println("3/6 peer (official JS SDK) ...");
        PeerBenchmark.Result peer = new PeerBenchmark().run(nodeDir);
        System.out.println("4/6 memory ...");
        MemoryBenchmark.Result memory = new MemoryBenchmark().run(emulatorJar);
        System.out.println("5/6 first call ...");
        FirstCallBenchmark.Result first = new FirstCallBenchmark().run(emulatorJar);
        System.out.println("6/6 queue drain ...");
        QueueDrainBenchmark.Result drain = new QueueDrainBenchmark().run(nodeDir);

        StringBuilder out = new StringBuilder("\n");
        line(out, "=== 1. Overhead: one lead/delete, route vs raw HttpClient 5 POST (emulator, limits off) ===");
        line(out, "%-34s %12s %12s", "", "median us", "p99 us");
        line(out, "%-34s %12.1f %12.1f", "raw HttpClient 5 POST, blocking", overhead.raw().medianMicros(),
                overhead.raw().p99Micros());
        line(out, "%-34s %12.1f %12.1f", "raw HttpClient 5 POST, async", overhead.rawAsync().medianMicros(),
                overhead.rawAsync().p99Micros());
        line(out, "%-34s %12.1f %12.1f", "route, default (worker hand-off)", overhead.camel().medianMicros(),
                overhead.camel().p99Micros());
        line(out, "%-34s %12.1f %12.1f", "route, ioThreadCompletion=true", overhead.camelIoThread().medianMicros(),
                overhead.camelIoThread().p99Micros());
        line(out, "%-34s %12.3f %12.3f   (target <= 1.05; %d calls each)", "ratio route / raw async",
                overhead.medianRatio(), overhead.p99Ratio(), overhead.raw().count());
        line(out, "%-34s %12.3f %12.3f", "ratio route (I/O thread) / raw async", overhead.ioThreadMedianRatio(),
                overhead.ioThreadP99Ratio());
        line(out, "%-34s %12.3f", "ratio route / raw blocking", overhead.medianRatioToBlocking());
        line(out, "");
        metersTable(out, meters);
        line(out, "");
        line(out, "=== 2. Bulk: delete %d leads, emulator bucket burst %d, %.0f/s ===", BulkBenchmark.LEADS,
                BulkBenchmark.BURST, BulkBenchmark.RATE);
        line(out, "%-36s %7s %9s %9s %7s %11s %11s %7s %6s", "mode", "calls", "wall s", "floor s", "ratio",
                "QLE@portal", "QLE@route", "failed", "left");
        for (BulkBenchmark.Result r : new BulkBenchmark.Result[] { single, batch }) {
            line(out, "%-36s %7d %9.2f %9.2f %7.3f %11d %11d %7d %6d", r.mode(), r.calls(), r.seconds(), r.floorSeconds(),
                    r.ratio(), r.rateLimitedByPortal(), r.rateLimitedAtRoute(), r.failed(), r.leadsLeft());
        }
        line(out, "(target: ratio <= 1.05, 0 QUERY_LIMIT_EXCEEDED reaching the route)");
        line(out, "");
        line(out, "=== 3. Peer: the same deletes through @bitrix24/b24jssdk %s (Node %s) and through the component,"
                  + " emulator over HTTPS ===", peer.sdkVersion(), peer.nodeVersion());
        line(out, "%-18s %-30s %6s %9s %9s %7s %11s %7s %13s", "bucket", "client", "leads", "wall s", "floor s", "ratio",
                "QLE@portal", "failed", "wall / SDK");
        double sdkSeconds = 0;
        for (PeerBenchmark.Row row : peer.rows()) {
            if (row.client().startsWith("b24jssdk")) {
                sdkSeconds = row.seconds();
            }
            line(out, "%-18s %-30s %6d %9.2f %9.2f %7.3f %11d %7d %13.4f", row.bucket(), row.client(), row.leads(),
                    row.seconds(), row.floorSeconds(), row.floorSeconds() > 0 ? row.ratio() : Double.NaN,
                    row.rateLimitedByPortal(), row.failed(), row.seconds() / sdkSeconds);
        }
        line(out, "(floor: (calls - burst) / rate; batch mode makes one call per 50 leads)");
        line(out, "");
        line(out, "=== 4. Memory: %d deletes through a route (emulator in its own JVM) ===", MemoryBenchmark.TOTAL);
        line(out, "heap after GC at %,d: %.1f MB; at %,d: %.1f MB; ratio %.3f; failed %d; %.1f s (%.0f deletes/s)",
                MemoryBenchmark.FIRST_MARK, memory.heapAtFirstMark() / 1048576.0, MemoryBenchmark.TOTAL,
                memory.heapAtEnd() / 1048576.0, memory.growthRatio(), memory.failed(), memory.seconds(),
                MemoryBenchmark.TOTAL / memory.seconds());
        line(out, "");
        firstCallTable(out, first);
        line(out, "");
        drainTable(out, drain);
        System.out.println(out);
    }

    private static void metersTable(StringBuilder out, MetersBenchmark.Result meters) {
        line(out, "=== 1b. Meters: the same route with a SimpleMeterRegistry bound (on) and with metersEnabled=false (off),"
                  + " emulator, limits off ===");
        line(out, "%-42s %12s %12s %14s", "", "median us", "p99 us", "deletes/s");
        String[] labels = { "meters on (SimpleMeterRegistry)", "meters off (metersEnabled=false)",
                            "no MeterRegistry in the registry" };
        for (int m = 0; m < labels.length; m++) {
            line(out, "%-42s %12.1f %12.1f %14.0f", labels[m], meters.latency()[m].medianMicros(),
                    meters.latency()[m].p99Micros(), meters.medianPerSecond(m));
        }
        line(out, "%-42s %12.3f %12.3f %14.3f   (target <= 1.05; throughput: off / on)", "ratio on / off",
                meters.on().medianMicros() / meters.off().medianMicros(),
                meters.on().p99Micros() / meters.off().p99Micros(),
                meters.medianPerSecond(1) / meters.medianPerSecond(0));
        line(out, "%-42s %12.3f %12.3f %14.3f", "ratio on / no registry",
                meters.on().medianMicros() / meters.none().medianMicros(),
                meters.on().p99Micros() / meters.none().p99Micros(),
                meters.medianPerSecond(2) / meters.medianPerSecond(0));
        line(out, "%-42s %12.3f %12s %14.3f   (median of the rounds' ratios, each on beside off in one round)",
                "paired ratio on / off", meters.pairedLatencyRatio(0, 1), "", meters.pairedThroughputRatio(0, 1));
        line(out, "%-42s %12.3f %12s %14.3f   (off beside no registry: the two without meters, the noise)",
                "paired ratio off / no registry", meters.pairedLatencyRatio(1, 2), "",
                meters.pairedThroughputRatio(1, 2));
        line(out, "(latency: %d calls each, one at a time, in blocks of %d turning order after %d warm-up calls each;"
                  + " deletes/s: median of %d rounds of %,d single-id messages, seda with %d consumers, coalesced)",
                meters.on().count(), MetersBenchmark.BLOCK, MetersBenchmark.WARMUP, MetersBenchmark.THROUGHPUT_ROUNDS,
                MetersBenchmark.MESSAGES, MetersBenchmark.CONSUMERS);
        line(out, "(deletes/s per round: %s; bitrix24.crm.calls counted: on %,d of %,d, off %,d; requests on %,d)",
                String.join("; ", MetersBenchmark.rounds(meters)), meters.callsCounted()[0],
                MetersBenchmark.expectedCalls(), meters.callsCounted()[1], meters.requestsCounted());
    }

    private static void firstCallTable(StringBuilder out, FirstCallBenchmark.Result first) {
        line(out, "=== 5. First call: a started route's first delete against its later ones, HTTPS on loopback, a cold JVM"
                  + " per run (%d runs each) ===", FirstCallBenchmark.ROUNDS);
        line(out, "%-44s %15s %14s %16s %9s", "producer", "at portal ms", "first call ms", "later median ms",
                "first/later");
        for (String mode : new String[] { "prepared", "lazy" }) {
            line(out, "%-44s %15.1f %14.1f %16.2f %9.1f", mode.equals("prepared") ? "prepared at start (default)"
                    : "lazyStartProducer=true (nothing prepared)", first.medianArrival(mode), first.medianFirst(mode),
                    first.medianLater(mode), first.medianFirst(mode) / first.medianLater(mode));
        }
        line(out, "(at portal: from the first message to its request's arrival, as the portal logged it; first call: to"
                  + " its answer; target: at portal <= 50 ms)");
    }

    private static void drainTable(StringBuilder out, QueueDrainBenchmark.Result drain) {
        line(out, "=== 6. Queue drain: %,d single-id messages on a seda queue (%d concurrent consumers), HTTPS emulator"
                  + " enforcing the bucket ===", QueueDrainBenchmark.MESSAGES, QueueDrainBenchmark.CONSUMERS);
        line(out, "%-18s %-46s %9s %9s %7s %9s %11s %7s %9s  %s", "bucket", "route", "wall s", "floor s", "ratio",
                "requests", "QLE@portal", "failed", "inflight", "");
        for (QueueDrainBenchmark.Row r : drain.rows()) {
            line(out, "%-18s %-46s %9.2f %9.2f %7.3f %9d %11d %7d %9s  %s", r.bucket(), r.route(), r.seconds(),
                    r.floorSeconds(), r.ratio(), r.requests(), r.rateLimitedByPortal(), r.failed(),
                    r.peakInFlight() > 0 ? String.valueOf(r.peakInFlight()) : "-", r.note());
        }
        line(out, "(floor: batch calls (ceil(n / 50) - burst) / rate for coalesced, aggregator and SDK; single calls"
                  + " (n - burst) / rate for coalesce=false; inflight: peak exchanges in flight in the route)");
        line(out, "");
        line(out, "=== 6b. When coalescing pays: deletes/s with exactly N exchanges in flight, burst spent (bucket 1 + 2/s),"
                  + " %d s each ===", QueueDrainBenchmark.SWEEP_SECONDS);
        line(out, "%-10s %16s %16s %9s", "in flight", "coalesced /s", "coalesce=false /s", "gain");
        for (QueueDrainBenchmark.SweepRow r : drain.sweep()) {
            line(out, "%-10d %16.1f %16.1f %9.2f", r.inFlight(), r.coalescedPerSecond(), r.offPerSecond(),
                    r.coalescedPerSecond() / r.offPerSecond());
        }
    }

    /** One section on its own, for working on it: overhead, meters, single, batch, peer, memory, first or drain. */
    private static void runOne(String section, File nodeDir, File emulatorJar) throws Exception {
        Object result = switch (section) {
            case "overhead" -> new OverheadBenchmark().run();
            case "meters" -> {
                StringBuilder table = new StringBuilder();
                metersTable(table, new MetersBenchmark().run());
                yield table;
            }
            case "single" -> new BulkBenchmark().single();
            case "batch" -> {
                BulkBenchmark.warmUp();
                yield new BulkBenchmark().batch();
            }
            case "peer" -> new PeerBenchmark().run(nodeDir);
            case "memory" -> new MemoryBenchmark().run(emulatorJar);
            case "drain" -> {
                StringBuilder table = new StringBuilder();
                drainTable(table, new QueueDrainBenchmark().run(nodeDir));
                yield table;
            }
            case "first" -> {
                FirstCallBenchmark.Result first = new FirstCallBenchmark().run(emulatorJar);
                StringBuilder table = new StringBuilder();
                firstCallTable(table, first);
                yield table + first.runs().toString();
            }
            default -> throw new IllegalArgumentException("unknown section " + section);
        };
        System.out.println(result);
    }

    private static void line(StringBuilder out, String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private static File findEmulatorJar(File projectRoot) {
        File target = new File(projectRoot, "bitrix24-emulator/target");
        File[] jars = target.listFiles((dir, name) -> name.endsWith("-standalone.jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no standalone emulator jar in " + target + ": build the project first");
        }
        return jars[0];
    }
}
