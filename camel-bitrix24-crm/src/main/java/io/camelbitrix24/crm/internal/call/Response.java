package io.camelbitrix24.crm.internal.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;

/**
 * A successful Bitrix24 answer: the {@code result} node and the operating-time figures of its {@code time} block (null
 * where the portal left them out). {@code afterUnknownOutcome}: an earlier attempt of the same call got no readable
 * answer, so a record this answer calls missing was most likely deleted by that attempt. {@code notFound}: the portal
 * answered "not found", and the route takes that as done.
 */
public record Response(String method, JsonNode result, Double operating, Long operatingResetAt,
                        boolean afterUnknownOutcome, boolean notFound) {

    Response(String method, JsonNode result, Double operating, Long operatingResetAt) {
        this(method, result, operating, operatingResetAt, false, false);
    }

    public Response withUnknownOutcomeBefore() {
        return new Response(method, result, operating, operatingResetAt, true, notFound);
    }

    /** The record was gone when a retry came: the attempt whose answer was lost deleted it. */
    public static Response deletedByLostAttempt(String method) {
        return new Response(method, BooleanNode.TRUE, null, null, true, false);
    }

    /** The record was not there, and the route takes that as done ({@code notFoundIsSuccess}): nothing to do. */
    public static Response notFoundTakenAsDone(String method) {
        return new Response(method, BooleanNode.FALSE, null, null, false, true);
    }

    /**
     * The result as a delete reports it: {@code true}/{@code false} from the classic methods; {@code crm.item.delete}
     * answers an empty array on success.
     */
    public boolean deleted() {
        if (result.isBoolean()) {
            return result.booleanValue();
        }
        if (result.isArray() || result.isObject()) {
            return true;
        }
        return result.asBoolean(false);
    }
}
