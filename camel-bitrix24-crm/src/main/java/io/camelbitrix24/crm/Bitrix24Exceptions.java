package io.camelbitrix24.crm;

import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.Futures;

/** Where the machinery's failures become the public exceptions: each kind of failure is one exception type. */
final class Bitrix24Exceptions {

    private Bitrix24Exceptions() {
    }

    /** {@code error} as a route sees it: a failure of the machinery as its public exception, anything else as it is. */
    static Throwable toPublic(Throwable error) {
        Throwable cause = Futures.unwrap(error);
        return cause instanceof Failure failure ? toPublic(failure) : cause;
    }

    static Bitrix24Exception toPublic(Failure f) {
        String message = f.getMessage();
        Throwable cause = f.getCause();
        Bitrix24Exception e = switch (f.kind()) {
            case VALIDATION -> new Bitrix24ValidationException(f.getMethod(), f.getField(), message);
            case NOT_FOUND -> new Bitrix24NotFoundException(message, f.getMethod(), f.getStatusCode(), f.getErrorCode(),
                    f.getErrorDescription(), f.isRetryable(), f.isOutcomeUnknown(), cause);
            case ACCESS_DENIED -> new Bitrix24AccessDeniedException(message, f.getMethod(), f.getStatusCode(),
                    f.getErrorCode(), f.getErrorDescription(), f.isRetryable(), f.isOutcomeUnknown(), cause);
            case AUTHENTICATION -> new Bitrix24AuthenticationException(message, f.getMethod(), f.getStatusCode(),
                    f.getErrorCode(), f.getErrorDescription(), f.isRetryable(), f.isOutcomeUnknown(), cause);
            case RATE_LIMIT -> new Bitrix24RateLimitException(message, f.getMethod(), f.getStatusCode(), f.getErrorCode(),
                    f.getErrorDescription(), f.isRetryable(), f.isOutcomeUnknown(), cause);
            case INVALID_REQUEST -> new Bitrix24InvalidRequestException(message, f.getMethod(), f.getStatusCode(),
                    f.getErrorCode(), f.getErrorDescription(), f.isRetryable(), f.isOutcomeUnknown(), cause);
            case SERVER -> new Bitrix24ServerException(message, f.getMethod(), f.getStatusCode(), f.getErrorCode(),
                    f.getErrorDescription(), f.isRetryable(), f.isOutcomeUnknown(), cause);
            case NOT_RUN -> new Bitrix24Exception(message, f.getMethod(), f.getStatusCode(), f.getErrorCode(),
                    f.getErrorDescription(), f.isRetryable(), f.isOutcomeUnknown(), cause);
        };
        // where the machinery failed, not where the failure was translated
        e.setStackTrace(f.getStackTrace());
        return e;
    }
}
