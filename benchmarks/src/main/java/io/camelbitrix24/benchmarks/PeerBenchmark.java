package io.camelbitrix24.benchmarks;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.camelbitrix24.crm.Bitrix24ItemResult;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * The same deletes through the official JS SDK ({@code @bitrix24/b24jssdk}, its own limiter configured to the portal's
 * bucket) and through the component, single calls and batch mode, each against a fresh HTTPS emulator enforcing the
 * bucket. Two buckets: the real cloud one (burst 50, 2/s; 61 deletes, as the reference measured) and the scaled one of
 * the bulk benchmark (burst 50, 200/s).
 */
final class PeerBenchmark {

    record Row(String bucket, String client, int leads, double seconds, double floorSeconds, long rateLimitedByPortal,
               long failed) {
        double ratio() {
            return seconds / floorSeconds;
        }
    }

    record Result(List<Row> rows, String sdkVersion, String nodeVersion) {
    }

    private String sdkVersion = "?";
    private String nodeVersion = "?";

    Result run(File nodeDir) throws Exception {
        Path pem = Portals.emulatorCertificate();
        List<Row> rows = new ArrayList<>();
        try {
            scenario(rows, "cloud 50 + 2/s", 61, 50, 2, nodeDir, pem);
            scenario(rows, "scaled 50 + 200/s", 400, 50, 200, nodeDir, pem);
        } finally {
            Files.deleteIfExists(pem);
        }
        return new Result(rows, sdkVersion, nodeVersion);
    }

    private void scenario(List<Row> rows, String bucket, int leads, int burst, double rate, File nodeDir, Path pem)
            throws Exception {
        double floor = Math.max(0, (leads - burst) / rate);
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().https(true).rateLimit(burst, rate).start()) {
            Portals.seedLeads(portal, leads);
            JsonNode result = Portals.runNodeScript(nodeDir, pem, "peer-bulk.mjs", portal, leads, burst, rate, 15);
            sdkVersion = result.path("sdkVersion").asText();
            nodeVersion = result.path("nodeVersion").asText();
            rows.add(new Row(bucket, "b24jssdk " + sdkVersion, leads, result.path("seconds").asDouble(), floor,
                    portal.limits().rateLimitedCount(), result.path("failed").asLong() + portal.data().leadCount()));
        }
        rows.add(ours(bucket, leads, burst, rate, floor, false, true));
        rows.add(ours(bucket, leads, burst, rate, floor, false, false));
        rows.add(ours(bucket, leads, burst, rate, Math.max(0, (Math.ceil(leads / 50.0) - burst) / rate), true, true));
    }

    private Row ours(String bucket, int leads, int burst, double rate, double floor, boolean batch, boolean coalesce)
            throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().https(true).rateLimit(burst, rate).start();
             CamelContext camel = Portals.camelOverTls(portal, burst, rate)) {
            int[] ids = Portals.seedLeads(portal, leads);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:delete").to("bitrix24-crm:lead/delete?coalesce=" + coalesce);
                }
            });
            camel.start();
            long failed = 0;
            long start = System.nanoTime();
            if (batch) {
                List<Integer> body = new ArrayList<>();
                for (int id : ids) {
                    body.add(id);
                }
                List<?> results = camel.createProducerTemplate().requestBody("direct:delete", body, List.class);
                failed = results.stream().filter(r -> !((Bitrix24ItemResult) r).isSuccess()).count();
            } else {
                org.apache.camel.ProducerTemplate template = camel.createProducerTemplate();
                List<java.util.concurrent.CompletableFuture<org.apache.camel.Exchange>> calls = new ArrayList<>();
                for (int id : ids) {
                    calls.add(template.asyncSend("direct:delete", e -> e.getMessage().setBody(id)));
                }
                for (var call : calls) {
                    if (call.get(10, TimeUnit.MINUTES).getException() != null) {
                        failed++;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Row(bucket, "camel-bitrix24-crm " + (batch ? "batch" : coalesce ? "single, coalesced" : "single, coalesce=false"),
                    leads, seconds, floor,
                    portal.limits().rateLimitedCount(), failed + portal.data().leadCount());
        }
    }
}
