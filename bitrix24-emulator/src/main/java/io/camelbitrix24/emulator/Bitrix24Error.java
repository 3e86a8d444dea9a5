package io.camelbitrix24.emulator;

/**
 * An error answer exactly as Bitrix24 shapes it: {@code {"error": code, "error_description": text}} with an HTTP status.
 * The codes and statuses follow what real portals serve (see the project's Bitrix24 reference), including the empty code
 * that method-level validation errors carry.
 */
public record Bitrix24Error(int status, String code, String description) {

    public static final Bitrix24Error QUERY_LIMIT_EXCEEDED
            = new Bitrix24Error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
    public static final Bitrix24Error OPERATION_TIME_LIMIT
            = new Bitrix24Error(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.");
    public static final Bitrix24Error OVERLOAD_LIMIT
            = new Bitrix24Error(503, "OVERLOAD_LIMIT", "REST API is blocked due to overload.");
    public static final Bitrix24Error INTERNAL_SERVER_ERROR
            = new Bitrix24Error(500, "INTERNAL_SERVER_ERROR", "Internal server error");
    public static final Bitrix24Error ERROR_UNEXPECTED_ANSWER
            = new Bitrix24Error(500, "ERROR_UNEXPECTED_ANSWER", "Server returned an unexpected response.");
    public static final Bitrix24Error NO_AUTH_FOUND
            = new Bitrix24Error(401, "NO_AUTH_FOUND", "Wrong authorization data");
    public static final Bitrix24Error INVALID_CREDENTIALS
            = new Bitrix24Error(401, "INVALID_CREDENTIALS", "Invalid request credentials");
    public static final Bitrix24Error EXPIRED_TOKEN
            = new Bitrix24Error(401, "expired_token", "The access token provided has expired.");
    public static final Bitrix24Error INVALID_TOKEN
            = new Bitrix24Error(401, "invalid_token", "The access token provided is invalid.");
    public static final Bitrix24Error INSUFFICIENT_SCOPE
            = new Bitrix24Error(403, "insufficient_scope", "The request requires higher privileges than provided by the access token.");
    public static final Bitrix24Error USER_ACCESS_ERROR
            = new Bitrix24Error(403, "user_access_error", "The user does not have access to the application.");
    public static final Bitrix24Error ACCESS_DENIED
            = new Bitrix24Error(403, "ACCESS_DENIED", "Access denied.");
    public static final Bitrix24Error INVALID_REQUEST
            = new Bitrix24Error(400, "INVALID_REQUEST", "Https required.");
    public static final Bitrix24Error ERROR_METHOD_NOT_FOUND
            = new Bitrix24Error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
    public static final Bitrix24Error NOT_FOUND
            = new Bitrix24Error(400, "NOT_FOUND", "Not found.");
    public static final Bitrix24Error PORTAL_DELETED
            = new Bitrix24Error(500, "PORTAL_DELETED", "Portal was deleted");
    public static final Bitrix24Error ERROR_BATCH_LENGTH_EXCEEDED
            = new Bitrix24Error(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded");
    public static final Bitrix24Error ERROR_BATCH_METHOD_NOT_ALLOWED
            = new Bitrix24Error(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage");
    public static final Bitrix24Error ID_INVALID
            = new Bitrix24Error(400, "", "ID is not defined or invalid.");

    /** A method error with an empty code, as the CRM methods answer their validation and lookup failures. */
    public static Bitrix24Error emptyCode(String description) {
        return new Bitrix24Error(400, "", description);
    }
}
