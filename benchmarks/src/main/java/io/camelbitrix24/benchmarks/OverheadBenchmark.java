package io.camelbitrix24.benchmarks;

import java.net.URI;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/**
 * Latency of one delete through a route, {@code direct -> bitrix24-crm:lead/delete}, against a plain HttpClient 5 POST
 * of the same request (JSON body, answer read and parsed) to the same emulator with limits off: with HttpClient 5's
 * non-blocking client, the I/O model of the component (the ratio that counts), and with its blocking client, which
 * answers on the caller's own thread. The three alternate in blocks after a common warm-up, so drift on the machine
 * touches all.
 */
final class OverheadBenchmark {

    /** Blocking HttpClient 5, non-blocking HttpClient 5 (the component's I/O model), and the route. */
    record Result(Stats raw, Stats rawAsync, Stats camel, Stats camelIoThread) {
        double medianRatio() {
            return camel.medianMicros() / rawAsync.medianMicros();
        }

        double p99Ratio() {
            return camel.p99Micros() / rawAsync.p99Micros();
        }

        double ioThreadMedianRatio() {
            return camelIoThread.medianMicros() / rawAsync.medianMicros();
        }

        double ioThreadP99Ratio() {
            return camelIoThread.p99Micros() / rawAsync.p99Micros();
        }

        double medianRatioToBlocking() {
            return camel.medianMicros() / raw.medianMicros();
        }
    }

    private static final int WARMUP = 5_000;
    private static final int ROUNDS = 50;
    private static final int BLOCK = 200;

    private final ObjectMapper mapper = new ObjectMapper();

    Result run() throws Exception {
        try (Bitrix24Emulator portal = Bitrix24Emulator.builder().start();
             CloseableHttpClient raw = HttpClients.custom().setUserAgent("baseline").build();
             CloseableHttpAsyncClient rawAsync = HttpAsyncClients.custom().setUserAgent("baseline").build();
             CamelContext camel = Portals.camel(portal, 50, 0)) {
            rawAsync.start();
            int[] ids = Portals.seedLeads(portal, 4 * (WARMUP + ROUNDS * BLOCK));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:delete").to("bitrix24-crm:lead/delete");
                    from("direct:deleteOnIoThread").to("bitrix24-crm:lead/delete?ioThreadCompletion=true");
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            URI uri = URI.create(portal.webhookUrl() + "crm.lead.delete");

            int next = 0;
            for (int i = 0; i < WARMUP; i++) {
                rawDelete(raw, uri, ids[next++]);
                rawAsyncDelete(rawAsync, uri, ids[next++]);
                camelDelete(template, "direct:delete", ids[next++]);
                camelDelete(template, "direct:deleteOnIoThread", ids[next++]);
            }
            long[] rawNanos = new long[ROUNDS * BLOCK];
            long[] asyncNanos = new long[ROUNDS * BLOCK];
            long[] camelNanos = new long[ROUNDS * BLOCK];
            long[] ioThreadNanos = new long[ROUNDS * BLOCK];
            int io = 0;
            int r = 0;
            int a = 0;
            int c = 0;
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < BLOCK; i++) {
                    long start = System.nanoTime();
                    rawDelete(raw, uri, ids[next++]);
                    rawNanos[r++] = System.nanoTime() - start;
                }
                for (int i = 0; i < BLOCK; i++) {
                    long start = System.nanoTime();
                    rawAsyncDelete(rawAsync, uri, ids[next++]);
                    asyncNanos[a++] = System.nanoTime() - start;
                }
                for (int i = 0; i < BLOCK; i++) {
                    long start = System.nanoTime();
                    camelDelete(template, "direct:delete", ids[next++]);
                    camelNanos[c++] = System.nanoTime() - start;
                }
                for (int i = 0; i < BLOCK; i++) {
                    long start = System.nanoTime();
                    camelDelete(template, "direct:deleteOnIoThread", ids[next++]);
                    ioThreadNanos[io++] = System.nanoTime() - start;
                }
            }
            if (portal.data().leadCount() != 0) {
                throw new IllegalStateException("leads left: " + portal.data().leadCount());
            }
            return new Result(Stats.of(rawNanos, r), Stats.of(asyncNanos, a), Stats.of(camelNanos, c),
                    Stats.of(ioThreadNanos, io));
        }
    }

    private void rawDelete(CloseableHttpClient client, URI uri, int id) throws Exception {
        HttpPost post = new HttpPost(uri);
        post.addHeader("Accept", "application/json");
        post.setEntity(new ByteArrayEntity(mapper.writeValueAsBytes(mapper.createObjectNode().put("id", id)),
                ContentType.APPLICATION_JSON));
        boolean deleted = client.execute(post, response -> {
            JsonNode body = mapper.readTree(EntityUtils.toByteArray(response.getEntity()));
            return response.getCode() == 200 && body.path("result").asBoolean(false);
        });
        if (!deleted) {
            throw new IllegalStateException("raw delete of " + id + " failed");
        }
    }

    private void rawAsyncDelete(CloseableHttpAsyncClient client, URI uri, int id) throws Exception {
        SimpleHttpRequest post = SimpleRequestBuilder.post(uri)
                .setBody(mapper.writeValueAsBytes(mapper.createObjectNode().put("id", id)), ContentType.APPLICATION_JSON)
                .addHeader("Accept", "application/json").build();
        SimpleHttpResponse response = client.execute(post, null).get();
        JsonNode body = mapper.readTree(response.getBodyBytes());
        if (response.getCode() != 200 || !body.path("result").asBoolean(false)) {
            throw new IllegalStateException("raw async delete of " + id + " failed");
        }
    }

    private static void camelDelete(ProducerTemplate template, String route, int id) {
        if (!Boolean.TRUE.equals(template.requestBody(route, id))) {
            throw new IllegalStateException("delete of " + id + " failed");
        }
    }
}
