package io.camelbitrix24.emulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;

/** Reads a request's body and writes an {@link Answer}, as one, as a trickle that never ends, or after a pause. */
final class AnswerWriter {

    static final String JSON = "application/json; charset=utf-8";

    private AnswerWriter() {
    }

    static void send(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    /** Sends a chunked 200 that never completes, until the client closes the connection or a minute passes. */
    static void trickle(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", JSON);
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write("{\"result\":true,\"padding\":\"".getBytes(StandardCharsets.UTF_8));
        long end = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < end) {
            out.write('0');
            out.flush();
            pause(50);
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static byte[] readBody(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}
