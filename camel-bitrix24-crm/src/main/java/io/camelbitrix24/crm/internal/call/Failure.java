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

    /**
     * The same failure, with the same cause, its message followed by {@code note}; {@code outcomeUnknown} says whether
     * the work may have been done although no attempt could tell.
     */
    public Failure withNote(String note, boolean outcomeUnknown) {
        return retold(getMessage() + "; " + note, method, outcomeUnknown);
    }

    /**
     * This failure of a call that carried {@code calls} coalesced calls, as the failure of one of them: the same kind,
     * retryability and uncertainty, told for {@code what}, its method {@code callMethod}.
     */
    public Failure forOneOf(int calls, String callMethod, String what) {
        String prefix = method + " failed: ";
        String detail = getMessage().startsWith(prefix) ? getMessage().substring(prefix.length()) : getMessage();
        String message = what + " failed" + (calls > 1 ? " (one of " + calls + " calls sent together in one batch call)"
                : "") + ": " + detail;
        return retold(message, callMethod, outcomeUnknown);
    }

    /** A failure that a read of the record was to settle, and the read failed: it stands, saying so. */
    public Failure withRecordUnread(String record, Throwable readError) {
        Throwable cause = Futures.unwrap(readError);
        String why = cause instanceof Failure e ? e.getMessage() : cause.getClass().getSimpleName();
        return withNote("whether " + record + " still exists could not be read (" + why + ")", outcomeUnknown);
    }

    /** An undecided failure that a read of the record settled: the record is not there. */
    public Failure asNotFoundByRead(String record) {
        return new Failure(FailureKind.NOT_FOUND, getMessage() + "; the portal has no " + record, method, statusCode,
                errorCode, errorDescription, false, outcomeUnknown, field, getCause());
    }

    /** The same failure told anew: another message, method or uncertainty, the same kind, cause and field. */
    private Failure retold(String message, String newMethod, boolean unknown) {
        return new Failure(kind, message, newMethod, statusCode, errorCode, errorDescription, retryable, unknown, field,
                getCause());
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
