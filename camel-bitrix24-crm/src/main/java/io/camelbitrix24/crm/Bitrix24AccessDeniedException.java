package io.camelbitrix24.crm;

/**
 * The user, application or webhook may not do this: {@code ACCESS_DENIED}, {@code user_access_error}, {@code
 * insufficient_scope}.
 */
public class Bitrix24AccessDeniedException extends Bitrix24Exception {

    Bitrix24AccessDeniedException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, cause);
    }

    Bitrix24AccessDeniedException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, boolean outcomeUnknown, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, outcomeUnknown, cause);
    }
}
