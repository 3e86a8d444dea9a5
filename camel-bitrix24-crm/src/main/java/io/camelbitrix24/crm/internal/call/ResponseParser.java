package io.camelbitrix24.crm.internal.call;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.http.RawResponse;

/** Reads an HTTP answer as Bitrix24 shapes it: a result with its time block, or an error for the mapper. */
public final class ResponseParser {

    private final ObjectMapper mapper;

    public ResponseParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code what} names the call in messages: {@code crm.lead.delete for lead 12}. */
    public Response parse(String method, String what, RawResponse raw) {
        if (raw.status() >= 300 && raw.status() < 400) {
            throw ErrorMapper.fromRedirect(method, what, raw.status());
        }
        JsonNode node;
        try {
            node = raw.body().length == 0 ? null : mapper.readTree(raw.body());
        } catch (IOException e) {
            // the body is not quoted: a proxy page may echo the request path, which holds the webhook code
            throw ErrorMapper.fromUnreadableBody(method, what, raw.status(), describe(raw) + " that is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ErrorMapper.fromUnreadableBody(method, what, raw.status(),
                    node == null ? "an empty body" : describe(raw) + " that is not a JSON object");
        }
        JsonNode error = node.get("error");
        if (error != null && !error.isNull()) {
            throw ErrorMapper.fromError(method, what, raw.status(), error.asText(""),
                    node.path("error_description").asText(""));
        }
        if (raw.status() >= 300) {
            throw ErrorMapper.fromError(method, what, raw.status(), null, "HTTP " + raw.status() + " without an error code");
        }
        JsonNode result = node.get("result");
        if (result == null) {
            throw ErrorMapper.fromUnreadableBody(method, what, raw.status(), "a JSON object without 'result'");
        }
        return withTime(method, result, node.path("time"));
    }

    /** A result with the operating-time figures of its time block (an answer's {@code time}, or a batch command's). */
    static Response withTime(String method, JsonNode result, JsonNode time) {
        Double operating = time.path("operating").isNumber() ? time.path("operating").doubleValue() : null;
        Long resetAt = time.path("operating_reset_at").isNumber() ? time.path("operating_reset_at").longValue() : null;
        return new Response(method, result, operating, resetAt);
    }

    /** One command's part of a batch answer: its result with its time block, or its own typed failure. */
    public record BatchCommand(Response answer, Failure failure) {
    }

    /**
     * Command {@code command}'s part of the {@code batch} call's result ({@code result}, {@code result_error},
     * {@code result_time}, keyed as the request builder keys commands); {@code what} names it in messages. A command
     * the answer does not mention did not run (a halted batch).
     */
    public static BatchCommand batchCommand(JsonNode batch, int command, String method, String what) {
        String key = RequestBuilder.BATCH_KEY_PREFIX + command;
        JsonNode result = batch.path("result").get(key);
        if (result != null) {
            return new BatchCommand(withTime(method, result, batch.path("result_time").path(key)), null);
        }
        JsonNode error = batch.path("result_error").get(key);
        if (error != null) {
            return new BatchCommand(null, ErrorMapper.fromBatchCommandError(method, what,
                    error.path("error").asText(""), error.path("error_description").asText("")));
        }
        return new BatchCommand(null, ErrorMapper.notRunInBatch(method, what));
    }

    private static String describe(RawResponse raw) {
        String type = raw.contentType() == null ? "no content type" : raw.contentType();
        return "a " + raw.body().length + "-byte body of " + type;
    }
}
