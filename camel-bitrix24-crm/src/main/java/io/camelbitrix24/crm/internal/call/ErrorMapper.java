package io.camelbitrix24.crm.internal.call;

import java.util.Locale;
import java.util.Map;

/**
 * The one place where a Bitrix24 answer becomes a typed exception, whatever the portal's language. Bitrix24's HTTP
 * status is not reliable (the same code has been served with different statuses, method errors are plain 400 and the
 * code may be empty), and its texts are in the portal's language, so in this order:
 * <ol>
 * <li>the code, case-insensitively;</li>
 * <li>the description, if a row of the phrase table ({@link ErrorPhrases}: the server's own texts in every
 * language it ships) holds it;</li>
 * <li>the status;</li>
 * <li>otherwise, an {@code ERROR_CORE} or empty code is undecided: it may mean "not found" in a language no table
 * holds; so is a {@code NOT_FOUND} of {@code crm.item.delete} with such a text, which may be about the entity type. It stands as a {@link FailureKind#INVALID_REQUEST}, and a call on a record settles it by reading the
 * record ({@link #needsExistenceCheck}).</li>
 * </ol>
 */
public final class ErrorMapper {

    private enum Kind {
        NOT_FOUND,
        ACCESS_DENIED,
        AUTHENTICATION,
        RATE_LIMIT,
        /** Blocked by hand: only Bitrix24 support lifts it. */
        RATE_LIMIT_FINAL,
        INVALID_REQUEST,
        /** An ERROR_CORE or empty code whose text no phrase holds: settled by reading the record. */
        UNDECIDED,
        SERVER,
        SERVER_FINAL
    }

    private static final Map<String, Kind> BY_CODE = Map.ofEntries(
            Map.entry("query_limit_exceeded", Kind.RATE_LIMIT),
            Map.entry("operation_time_limit", Kind.RATE_LIMIT),
            Map.entry("overload_limit", Kind.RATE_LIMIT_FINAL),
            Map.entry("internal_server_error", Kind.SERVER),
            Map.entry("error_unexpected_answer", Kind.SERVER),
            Map.entry("portal_deleted", Kind.SERVER_FINAL),
            Map.entry("no_auth_found", Kind.AUTHENTICATION),
            Map.entry("invalid_credentials", Kind.AUTHENTICATION),
            Map.entry("authorization_error", Kind.AUTHENTICATION),
            Map.entry("expired_token", Kind.AUTHENTICATION),
            Map.entry("invalid_token", Kind.AUTHENTICATION),
            Map.entry("invalid_client", Kind.AUTHENTICATION),
            Map.entry("invalid_grant", Kind.AUTHENTICATION),
            Map.entry("insufficient_scope", Kind.ACCESS_DENIED),
            Map.entry("user_access_error", Kind.ACCESS_DENIED),
            Map.entry("access_denied", Kind.ACCESS_DENIED),
            Map.entry("not_found", Kind.NOT_FOUND),
            Map.entry("invalid_request", Kind.INVALID_REQUEST),
            // crm.item.delete with a type id no portal has: a configuration error
            Map.entry("entity_type_not_supported", Kind.INVALID_REQUEST),
            Map.entry("error_method_not_found", Kind.INVALID_REQUEST),
            Map.entry("error_batch_length_exceeded", Kind.INVALID_REQUEST),
            Map.entry("error_batch_method_not_allowed", Kind.INVALID_REQUEST));

    /** The code of the server's "application exception": many failures besides not-found carry it. */
    private static final String ERROR_CORE = "error_core";

    private static final String OVERLOAD_NOTE = "; REST is blocked by hand for overload, and only Bitrix24 support can"
                                                + " lift the block: retrying does not help";

    private ErrorMapper() {
    }

    /** An answer with a Bitrix24 error body, {@code {"error": code, "error_description": description}}. */
    public static Failure fromError(String method, int status, String code, String description) {
        return fromError(method, method, status, code, description);
    }

    /**
     * An answer with a Bitrix24 error body; {@code what} names the call in the message, e.g.
     * {@code crm.lead.delete for lead 12}.
     */
    static Failure fromError(String method, String what, int status, String code, String description) {
        Kind kind = classify(method, status, code, description);
        String message = what + " failed: HTTP " + status + ", " + describe(code, description)
                         + (kind == Kind.RATE_LIMIT_FINAL ? OVERLOAD_NOTE : "");
        return create(kind, message, method, status, code, description, false, null);
    }

    /** A failed command of a batch: its entry in {@code result_error}. The batch itself answered HTTP 200. */
    static Failure fromBatchCommandError(String method, String what, String code, String description) {
        Kind kind = classify(method, 0, code, description);
        String message = what + " failed in a batch: " + describe(code, description)
                         + (kind == Kind.RATE_LIMIT_FINAL ? OVERLOAD_NOTE : "");
        return create(kind, message, method, 0, code, description, false, null);
    }

    /** A batch command that was not run because the batch halted at an earlier failure. */
    static Failure notRunInBatch(String method, String what) {
        String reason = "not run: the batch halted at an earlier failed command";
        return new Failure(FailureKind.NOT_RUN, what + " " + reason, method, 0, null, reason, true, false, null);
    }

    /**
     * The portal answered a redirect: Bitrix24 redirects an old address of a portal whose address changed to the new
     * one (dev.1c-bitrix.ru rest_help/rest_sum/change_domen.php). The method did not run, and the request is not sent
     * where the redirect points: its body carries the token. Final here; with many portals, the new address is
     * learned from the OAuth server's refresh answer instead.
     */
    static Failure fromRedirect(String method, String what, int status) {
        String reason = "the portal answered a redirect (HTTP " + status + ": its address may have changed); not"
                        + " followed, as the request carries its credentials";
        return new Failure(FailureKind.SERVER, what + " failed: " + reason, method, status, null, reason, false, false,
                null);
    }

    /** A redirect answer: its method did not run, and it is not followed. */
    public static boolean isRedirect(Failure failure) {
        return failure.is(FailureKind.SERVER) && failure.getStatusCode() >= 300
               && failure.getStatusCode() < 400 && failure.getErrorCode() == null;
    }

    /** An answer whose body is not a Bitrix24 answer: a proxy's HTML page, a truncated or oversized body. */
    public static Failure fromUnreadableBody(String method, String what, int status, String reason) {
        if (status == 407) {
            // only a proxy asks for proxy credentials: the request went no further
            return TransportFailures.proxyRefusal(method, what, status, "the proxy asked for its credentials (HTTP 407)");
        }
        String message = what + " failed: HTTP " + status + ", the answer is not a Bitrix24 JSON answer (" + reason + ")";
        // a delete is idempotent: a garbled answer may be followed by a good one. A garbled 200 came from the portal
        // after it ran the method; an error page did not
        boolean outcomeUnknown = status >= 200 && status < 300;
        return new Failure(FailureKind.SERVER, message, method, status, null, reason, true, outcomeUnknown, null);
    }

    /**
     * True when the answer may mean "not found" without saying so in a code or a known text: an {@code ERROR_CORE} or
     * empty code, with a text no row of the phrase table holds. Only a read of the record tells.
     */
    public static boolean needsExistenceCheck(Failure failure) {
        return failure.is(FailureKind.INVALID_REQUEST)
               && classify(failure.getMethod(), failure.getStatusCode(), failure.getErrorCode(),
                           failure.getErrorDescription()) == Kind.UNDECIDED;
    }

    /** {@code Bitrix24 error 'CODE': description}, saying so when the code is empty. */
    private static String describe(String code, String description) {
        return "Bitrix24 error '" + (code == null ? "" : code) + "'" + (code == null || code.isEmpty() ? " (empty code)" : "")
               + (description == null || description.isEmpty() ? "" : ": " + description);
    }

    private static Kind classify(String method, int status, String code, String description) {
        String normalized = code == null ? "" : code.trim().toLowerCase(Locale.ROOT);
        Kind byCode = BY_CODE.get(normalized);
        ErrorPhrases.Meaning phrase = ErrorPhrases.get().meaning(description);
        if (byCode == Kind.NOT_FOUND && phrase == ErrorPhrases.Meaning.ENTITY_TYPE_NOT_FOUND) {
            // crm.item.delete's NOT_FOUND for an entity type the portal lacks: nothing was ever there to delete
            return Kind.INVALID_REQUEST;
        }
        if (byCode == Kind.NOT_FOUND && phrase == null && RequestBuilder.ITEM_DELETE.equals(method)) {
            // the same code says "no such item" and "no such type" (item.php getFactory and deleteAction), told apart
            // only by the text, here in a language no row holds: a read of the item tells
            return Kind.UNDECIDED;
        }
        if (byCode != null) {
            return byCode;
        }
        if (phrase != null) {
            return switch (phrase) {
                case NOT_FOUND -> Kind.NOT_FOUND;
                case ACCESS_DENIED -> Kind.ACCESS_DENIED;
                case ENTITY_TYPE_NOT_FOUND -> Kind.INVALID_REQUEST;
            };
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
        if (normalized.isEmpty() || ERROR_CORE.equals(normalized)) {
            return Kind.UNDECIDED;
        }
        return Kind.INVALID_REQUEST;
    }

    private static Failure create(Kind kind, String message, String method, int status, String code,
                                  String description, boolean unknown, Throwable cause) {
        FailureKind failure = switch (kind) {
            case NOT_FOUND -> FailureKind.NOT_FOUND;
            case ACCESS_DENIED -> FailureKind.ACCESS_DENIED;
            case AUTHENTICATION -> FailureKind.AUTHENTICATION;
            case RATE_LIMIT, RATE_LIMIT_FINAL -> FailureKind.RATE_LIMIT;
            case INVALID_REQUEST, UNDECIDED -> FailureKind.INVALID_REQUEST;
            case SERVER, SERVER_FINAL -> FailureKind.SERVER;
        };
        boolean retryable = kind == Kind.RATE_LIMIT || kind == Kind.SERVER;
        return new Failure(failure, message, method, status, code, description, retryable, unknown, cause);
    }

    /** True for the code Bitrix24 answers when an OAuth access token has expired and a refresh may help. */
    public static boolean isExpiredToken(Failure e) {
        return "expired_token".equalsIgnoreCase(e.getErrorCode());
    }
}
