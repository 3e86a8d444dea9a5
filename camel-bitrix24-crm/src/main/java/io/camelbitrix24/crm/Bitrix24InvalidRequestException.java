package io.camelbitrix24.crm;

/**
 * Bitrix24 rejected the request itself: {@code INVALID_REQUEST} (HTTPS required), {@code ERROR_METHOD_NOT_FOUND},
 * empty-code validation errors and other 4xx answers.
 */
public class Bitrix24InvalidRequestException extends Bitrix24Exception {

    Bitrix24InvalidRequestException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, cause);
    }

    Bitrix24InvalidRequestException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, boolean outcomeUnknown, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, outcomeUnknown, cause);
    }
}
