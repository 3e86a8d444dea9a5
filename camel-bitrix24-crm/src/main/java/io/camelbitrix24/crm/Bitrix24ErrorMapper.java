package io.camelbitrix24.crm;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import javax.net.ssl.SSLHandshakeException;

import io.camelbitrix24.crm.internal.ResponseTooLargeException;
import io.camelbitrix24.crm.internal.TransportClosedException;
import org.apache.hc.core5.util.DeadlineTimeoutException;

/**
 * The one place where a Bitrix24 answer becomes a typed exception. Bitrix24's HTTP status is not reliable (the same code
 * has been served with different statuses, method errors are plain 400 and the code may be empty), so the code decides
 * first, case-insensitively; then the status; then, for "not found", the description.
 */
public final class Bitrix24ErrorMapper {

    private enum Kind {
        NOT_FOUND,
        ACCESS_DENIED,
        AUTHENTICATION,
        RATE_LIMIT,
        INVALID_REQUEST,
        SERVER,
        SERVER_FINAL
    }

    private static final Map<String, Kind> BY_CODE = Map.ofEntries(
            Map.entry("query_limit_exceeded", Kind.RATE_LIMIT),
            Map.entry("operation_time_limit", Kind.RATE_LIMIT),
            Map.entry("overload_limit", Kind.RATE_LIMIT),
            Map.entry("internal_server_error", Kind.SERVER),
            Map.entry("error_unexpected_answer", Kind.SERVER),
            Map.entry("portal_deleted", Kind.SERVER_FINAL),
            Map.entry("no_auth_found", Kind.AUTHENTICATION),
            Map.entry("invalid_credentials", Kind.AUTHENTICATION),
            Map.entry("expired_token", Kind.AUTHENTICATION),
            Map.entry("invalid_token", Kind.AUTHENTICATION),
            Map.entry("invalid_client", Kind.AUTHENTICATION),
            Map.entry("invalid_grant", Kind.AUTHENTICATION),
            Map.entry("insufficient_scope", Kind.ACCESS_DENIED),
            Map.entry("user_access_error", Kind.ACCESS_DENIED),
            Map.entry("access_denied", Kind.ACCESS_DENIED),
            Map.entry("not_found", Kind.NOT_FOUND),
            Map.entry("invalid_request", Kind.INVALID_REQUEST),
            Map.entry("error_method_not_found", Kind.INVALID_REQUEST),
            Map.entry("error_batch_length_exceeded", Kind.INVALID_REQUEST),
            Map.entry("error_batch_method_not_allowed", Kind.INVALID_REQUEST));

    /** "Not found.", "Contact is not found", "Element not found", ... */
    private static final Pattern NOT_FOUND_DESCRIPTION = Pattern.compile("\\bnot\\s+found\\b", Pattern.CASE_INSENSITIVE);

    private Bitrix24ErrorMapper() {
    }

    /** An answer with a Bitrix24 error body, {@code {"error": code, "error_description": description}}. */
    public static Bitrix24Exception fromError(String method, int status, String code, String description) {
        String message = method + " failed: HTTP " + status + ", " + describe(code, description);
        return create(classify(status, code, description), message, method, status, code, description, false, null);
    }

    /** A failed command of a batch: its entry in {@code result_error}. The batch itself answered HTTP 200. */
    public static Bitrix24Exception fromBatchCommandError(String method, String code, String description) {
        String message = method + " failed in a batch: " + describe(code, description);
        return create(classify(0, code, description), message, method, 0, code, description, false, null);
    }

    /** A batch command that was not run because the batch halted at an earlier failure. */
    public static Bitrix24Exception notRunInBatch(String method) {
        String reason = "not run: the batch halted at an earlier failed command";
        return new Bitrix24Exception(method + " " + reason, method, 0, null, reason, true, null);
    }

    /** An answer whose body is not a Bitrix24 answer: a proxy's HTML page, a truncated or oversized body. */
    public static Bitrix24ServerException fromUnreadableBody(String method, int status, String reason) {
        String message = method + " failed: HTTP " + status + ", the answer is not a Bitrix24 JSON answer (" + reason + ")";
        // a delete is idempotent: a garbled answer may be followed by a good one. A garbled 200 came from the portal
        // after it ran the method; an error page did not
        boolean outcomeUnknown = status >= 200 && status < 300;
        return new Bitrix24ServerException(message, method, status, null, reason, true, outcomeUnknown, null);
    }

    /** No answer at all: the connection failed, was reset, or the answer did not come in time. */
    public static Bitrix24ServerException fromTransportFailure(String method, Throwable cause) {
        String reason;
        if (cause instanceof DeadlineTimeoutException) {
            reason = "no connection within the connect timeout";
        } else if (cause instanceof TimeoutException || cause instanceof java.net.SocketTimeoutException) {
            reason = "no answer within the response timeout";
        } else if (cause instanceof ResponseTooLargeException) {
            reason = cause.getMessage();
        } else {
            // the class name only: transport messages can quote the request URI, which holds the webhook code
            reason = cause.getClass().getSimpleName();
        }
        String message = method + " failed: no answer from Bitrix24 (" + reason + ")";
        return new Bitrix24ServerException(message, method, 0, null, reason, true, !neverSent(cause), cause);
    }

    /** Failures before a request could leave: no connection, no TLS session. Any later failure may follow the work. */
    private static boolean neverSent(Throwable cause) {
        return cause instanceof ConnectException || cause instanceof UnknownHostException
               || cause instanceof NoRouteToHostException || cause instanceof SSLHandshakeException
               || cause instanceof TransportClosedException || cause instanceof DeadlineTimeoutException;
    }

    /**
     * The failure a call ends with after an earlier attempt of it got no readable answer: that attempt may have done the
     * work, so the same kind of failure is raised again, saying so.
     */
    public static Bitrix24Exception afterUnknownOutcome(String method, Bitrix24Exception last) {
        String message = last.getMessage() + "; an earlier attempt got no readable answer, so " + method
                         + " may have been carried out";
        Kind kind = last instanceof Bitrix24NotFoundException ? Kind.NOT_FOUND
                : last instanceof Bitrix24AccessDeniedException ? Kind.ACCESS_DENIED
                : last instanceof Bitrix24AuthenticationException ? Kind.AUTHENTICATION
                : last instanceof Bitrix24RateLimitException ? Kind.RATE_LIMIT
                : last instanceof Bitrix24InvalidRequestException ? Kind.INVALID_REQUEST
                : last.isRetryable() ? Kind.SERVER : Kind.SERVER_FINAL;
        return create(kind, message, method, last.getStatusCode(), last.getErrorCode(), last.getErrorDescription(), true,
                last);
    }

    /** {@code Bitrix24 error 'CODE': description}, saying so when the code is empty. */
    private static String describe(String code, String description) {
        return "Bitrix24 error '" + (code == null ? "" : code) + "'" + (code == null || code.isEmpty() ? " (empty code)" : "")
               + (description == null || description.isEmpty() ? "" : ": " + description);
    }

    private static Kind classify(int status, String code, String description) {
        String normalized = code == null ? "" : code.trim().toLowerCase(Locale.ROOT);
        Kind byCode = BY_CODE.get(normalized);
        if (byCode != null) {
            return byCode;
        }
        if (status == 429) {
            return Kind.RATE_LIMIT;
        }
        if (status >= 500) {
            return Kind.SERVER;
        }
        if (status == 401) {
            return Kind.AUTHENTICATION;
        }
        if (status == 403) {
            return Kind.ACCESS_DENIED;
        }
        if (description != null && NOT_FOUND_DESCRIPTION.matcher(description).find()) {
            return Kind.NOT_FOUND;
        }
        return Kind.INVALID_REQUEST;
    }

    private static Bitrix24Exception create(Kind kind, String message, String method, int status, String code,
                                            String description, boolean unknown, Throwable cause) {
        return switch (kind) {
            case NOT_FOUND -> new Bitrix24NotFoundException(message, method, status, code, description, false, unknown, cause);
            case ACCESS_DENIED -> new Bitrix24AccessDeniedException(message, method, status, code, description, false, unknown,
                    cause);
            case AUTHENTICATION -> new Bitrix24AuthenticationException(message, method, status, code, description, false,
                    unknown, cause);
            case RATE_LIMIT -> new Bitrix24RateLimitException(message, method, status, code, description, true, unknown, cause);
            case INVALID_REQUEST -> new Bitrix24InvalidRequestException(message, method, status, code, description, false,
                    unknown, cause);
            case SERVER -> new Bitrix24ServerException(message, method, status, code, description, true, unknown, cause);
            case SERVER_FINAL -> new Bitrix24ServerException(message, method, status, code, description, false, unknown, cause);
        };
    }

    /** True for the code Bitrix24 answers when an OAuth access token has expired and a refresh may help. */
    public static boolean isExpiredToken(Bitrix24Exception e) {
        return "expired_token".equalsIgnoreCase(e.getErrorCode());
    }
}
