package io.camelbitrix24.crm;

import org.apache.camel.RuntimeCamelException;

/**
 * A failed Bitrix24 call: the method, the HTTP status and the Bitrix24 error code and description the portal answered.
 * Subclasses name the kind of failure; {@link #isRetryable()} says whether the same call may succeed later. Messages
 * never carry the webhook code or a token.
 */
public class Bitrix24Exception extends RuntimeCamelException {

    private final String method;
    private final int statusCode;
    private final String errorCode;
    private final String errorDescription;
    private final boolean retryable;
    private final boolean outcomeUnknown;

    Bitrix24Exception(String message, String method, int statusCode, String errorCode, String errorDescription,
                             boolean retryable, Throwable cause) {
        this(message, method, statusCode, errorCode, errorDescription, retryable, false, cause);
    }

    Bitrix24Exception(String message, String method, int statusCode, String errorCode, String errorDescription,
                             boolean retryable, boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
        this.method = method;
        this.statusCode = statusCode;
        this.errorCode = errorCode;
        this.errorDescription = errorDescription;
        this.retryable = retryable;
    }

    /**
     * The Bitrix24 method that failed, e.g. {@code crm.lead.delete}; null for an uninstall event, which calls none.
     */
    public String getMethod() {
        return method;
    }

    /** The HTTP status of the answer, or 0 when no answer arrived (connection failure, timeout). */
    public int getStatusCode() {
        return statusCode;
    }

    /** The Bitrix24 {@code error} code as answered; may be empty, as many method errors are, or null without one. */
    public String getErrorCode() {
        return errorCode;
    }

    /** The Bitrix24 {@code error_description}, or a description of the transport failure. */
    public String getErrorDescription() {
        return errorDescription;
    }

    /** True when repeating the call may succeed (rate limits, server faults); deletes are idempotent. */
    public boolean isRetryable() {
        return retryable;
    }

    /**
     * True when the call may have been carried out although no readable answer came back: the connection dropped after
     * the request was sent, the answer did not come in time, or a 200 answer could not be read. The delete may have
     * been applied.
     */
    public boolean isOutcomeUnknown() {
        return outcomeUnknown;
    }
}
