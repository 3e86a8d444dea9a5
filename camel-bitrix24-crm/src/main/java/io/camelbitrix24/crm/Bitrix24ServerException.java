package io.camelbitrix24.crm;

/**
 * The portal failed or answered something that is not a Bitrix24 answer: 5xx, {@code INTERNAL_SERVER_ERROR},
 * {@code PORTAL_DELETED}, a proxy's HTML page, a truncated or oversized body, a connection failure or timeout.
 */
public class Bitrix24ServerException extends Bitrix24Exception {

    Bitrix24ServerException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, cause);
    }

    Bitrix24ServerException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, boolean outcomeUnknown, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, outcomeUnknown, cause);
    }
}
