package io.camelbitrix24.crm;

/**
 * The credentials were refused: {@code NO_AUTH_FOUND}, {@code INVALID_CREDENTIALS}, {@code invalid_token}, an
 * {@code expired_token} that survived a refresh, or a failed OAuth refresh.
 */
public class Bitrix24AuthenticationException extends Bitrix24Exception {

    Bitrix24AuthenticationException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, cause);
    }

    Bitrix24AuthenticationException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, boolean outcomeUnknown, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, outcomeUnknown, cause);
    }
}
