package io.camelbitrix24.crm;

/**
 * Bitrix24 throttled the call: {@code QUERY_LIMIT_EXCEEDED}, {@code OPERATION_TIME_LIMIT}, {@code OVERLOAD_LIMIT}.
 * Retryable.
 */
public class Bitrix24RateLimitException extends Bitrix24Exception {

    Bitrix24RateLimitException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, cause);
    }

    Bitrix24RateLimitException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, boolean outcomeUnknown, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, outcomeUnknown, cause);
    }
}
