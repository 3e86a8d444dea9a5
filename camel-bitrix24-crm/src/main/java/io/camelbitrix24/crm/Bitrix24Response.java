package io.camelbitrix24.crm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A successful Bitrix24 answer: the {@code result} node and the operating-time figures of its {@code time} block (null
 * where the portal left them out).
 */
record Bitrix24Response(String method, JsonNode result, Double operating, Long operatingResetAt) {

    /**
     * The result as a delete reports it: {@code true}/{@code false} from the classic methods; {@code crm.item.delete}
     * answers an empty array on success.
     */
    boolean deleted() {
        if (result.isBoolean()) {
            return result.booleanValue();
        }
        if (result.isArray() || result.isObject()) {
            return true;
        }
        return result.asBoolean(false);
    }
}
