package io.camelbitrix24.crm.internal.send;

import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.RecordRequest;

/**
 * The outcome of one item of a batch body: the item as given, the delete read from it, and the portal's result or the
 * failure (null on success).
 */
public record ItemOutcome(Object input, RecordRequest request, Boolean result, Failure failure) {

    public boolean isSuccess() {
        return failure == null;
    }
}
