package io.camelbitrix24.crm.internal.send;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.FailureKind;
import io.camelbitrix24.crm.internal.call.Futures;
import io.camelbitrix24.crm.internal.call.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The endpoint's {@code notFoundIsSuccess}, for single calls and batch items alike: when set, a not-found is done, with
 * result false (the record is gone, as the route wanted); when not, it stands as a failure.
 */
public record NotFoundRule(boolean notFoundIsSuccess) {

    private static final Logger LOG = LoggerFactory.getLogger(NotFoundRule.class);

    /** Whether {@code failure} counts as done. */
    boolean takesAsDone(Failure failure) {
        return notFoundIsSuccess && failure != null && failure.is(FailureKind.NOT_FOUND);
    }

    /** The outcome of a call under the rule: a not-found it takes as done answers "nothing to do". */
    public CompletableFuture<Response> applyTo(CompletableFuture<Response> call, String method) {
        if (!notFoundIsSuccess) {
            return call;
        }
        return call.handle((response, error) -> {
            if (error == null) {
                return response;
            }
            Throwable cause = Futures.unwrap(error);
            if (cause instanceof Failure failure && takesAsDone(failure)) {
                LOG.debug("{}: not found, taken as done (notFoundIsSuccess)", method);
                return Response.notFoundTakenAsDone(method);
            }
            throw cause instanceof RuntimeException e ? e : new CompletionException(cause);
        });
    }
}
