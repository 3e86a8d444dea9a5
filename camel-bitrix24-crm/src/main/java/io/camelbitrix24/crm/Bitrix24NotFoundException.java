package io.camelbitrix24.crm;

/**
 * The record to delete (or the lead to unbind from) does not exist: code {@code NOT_FOUND}, or an empty code with
 * a "not found" description.
 */
public class Bitrix24NotFoundException extends Bitrix24Exception {

    Bitrix24NotFoundException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, cause);
    }

    Bitrix24NotFoundException(String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, boolean outcomeUnknown, Throwable cause) {
        super(message, method, statusCode, errorCode, errorDescription, retryable, outcomeUnknown, cause);
    }
}
