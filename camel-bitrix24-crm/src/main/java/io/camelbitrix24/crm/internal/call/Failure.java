package io.camelbitrix24.crm.internal.call;

/**
 * How the machinery fails: the kind of failure and what the portal answered. The Camel surface turns it into the public
 * exception of its kind; its message never carries the webhook code or a token.
 */
public final class Failure extends RuntimeException {

    private final FailureKind kind;
    private final String method;
    private final int statusCode;
    private final String errorCode;
    private final String errorDescription;
    private final boolean retryable;
    private final boolean outcomeUnknown;
    private final String field;

    public Failure(FailureKind kind, String message, String method, int statusCode, String errorCode,
                   String errorDescription, boolean retryable, boolean outcomeUnknown, Throwable cause) {
        this(kind, message, method, statusCode, errorCode, errorDescription, retryable, outcomeUnknown, null, cause);
    }

    private Failure(FailureKind kind, String message, String method, int statusCode, String errorCode,
                    String errorDescription, boolean retryable, boolean outcomeUnknown, String field, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.method = method;
        this.statusCode = statusCode;
        this.errorCode = errorCode;
        this.errorDescription = errorDescription;
        this.retryable = retryable;
        this.outcomeUnknown = outcomeUnknown;
        this.field = field;
    }

    /** Wrong input in {@code field}: nothing was sent. */
    public static Failure invalidInput(String method, String field, String message) {
        return new Failure(FailureKind.VALIDATION, message, method, 0, null, message, false, false, field, null);
    }

    /** Credentials that are missing, refused or unreadable; nothing was sent. */
    public static Failure authentication(String message, String method, String errorCode, boolean retryable) {
        return new Failure(FailureKind.AUTHENTICATION, message, method, 0, errorCode, null, retryable, false, null);
    }

    /** The same failure told anew: another message, method or uncertainty, the same kind, cause and field. */
    public Failure retold(String message, String method, boolean outcomeUnknown) {
        return new Failure(kind, message, method, statusCode, errorCode, errorDescription, retryable, outcomeUnknown,
                field, getCause());
    }

    /** The same failure as another kind, with another message (a read settled what it was). */
    public Failure as(FailureKind newKind, String message, boolean newRetryable) {
        return new Failure(newKind, message, method, statusCode, errorCode, errorDescription, newRetryable,
                outcomeUnknown, field, getCause());
    }

    public FailureKind kind() {
        return kind;
    }

    public boolean is(FailureKind other) {
        return kind == other;
    }

    public String getMethod() {
        return method;
    }

    public int getStatusCode() {
        return statusCode;
    }

    public String getErrorCode() {
        return errorCode;
    }

    public String getErrorDescription() {
        return errorDescription;
    }

    public boolean isRetryable() {
        return retryable;
    }

    public boolean isOutcomeUnknown() {
        return outcomeUnknown;
    }

    /** For {@link FailureKind#VALIDATION}: the input that was wrong, e.g. {@code header CamelBitrix24CrmId}. */
    public String getField() {
        return field;
    }
}
