package io.camelbitrix24.crm.internal.send;

import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.RecordRequest;

/**
 * The outcome of one item of a batch body: the item as given, the delete read from it, and the portal's result or the
 * failure (null on success); {@code notFound}: the portal answered "not found", and the route takes that as done.
 */
public record ItemOutcome(Object input, RecordRequest request, Boolean result, Failure failure, boolean notFound) {

    public boolean isSuccess() {
        return failure == null;
    }
}
