package io.camelbitrix24.crm.internal.auth;

import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.FailureKind;
import io.camelbitrix24.crm.internal.call.Futures;

/** What a failed token refresh means for the calls that waited on it. */
final class RefreshFailures {

    private RefreshFailures() {
    }

    /**
     * The OAuth server's refusal of the refresh token for good ({@code invalid_grant} and the like) that {@code error}
     * is; null for a passing fault.
     */
    static Failure finalRefusal(Throwable error) {
        return Futures.unwrap(error) instanceof Failure refused && refused.is(FailureKind.AUTHENTICATION)
               && !refused.isRetryable()
                ? refused : null;
    }

    /**
     * The failure the waiting calls get: an authentication failure as it is, anything else as one, retryable when no
     * answer came from the OAuth server or the shared store's wait ended.
     */
    static Throwable of(Throwable error, String method) {
        Throwable cause = Futures.unwrap(error);
        if (cause instanceof Failure failure && failure.is(FailureKind.AUTHENTICATION)) {
            return cause;
        }
        boolean retryable = !(cause instanceof Failure failure) || failure.isRetryable();
        return new Failure(FailureKind.AUTHENTICATION, "OAuth token refresh for " + method + " failed: "
                                                       + cause.getMessage(), method, 0, null, null, retryable, false,
                cause);
    }
}
