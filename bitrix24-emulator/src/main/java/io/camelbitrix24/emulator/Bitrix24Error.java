package io.camelbitrix24.emulator;

/**
 * An error answer exactly as Bitrix24 shapes it: {@code {"error": code, "error_description": text}} with an HTTP status,
 * and no {@code time} block. Codes, texts and statuses are those of the server's code (modules {@code rest} and
 * {@code crm}, build 26.250; file and line in each comment); where the documentation says otherwise, the code wins.
 * These texts are written in the PHP code, so they are English on every portal; localized texts come from
 * {@link PortalLanguage}.
 */
public record Bitrix24Error(int status, String code, String description) {

    /** Not in the public modules: Bitrix24's cloud front answers it (docs _includes/system-errors.md). */
    public static final Bitrix24Error QUERY_LIMIT_EXCEEDED
            = new Bitrix24Error(503, "QUERY_LIMIT_EXCEEDED", "Too many requests");
    /** rest/classes/general/rest.php CRestServer::processCall, l.211-214: 429, with the final period. */
    public static final Bitrix24Error OPERATION_TIME_LIMIT
            = new Bitrix24Error(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.");
    /** rest/lib/apauth/auth.php l.62-69, rest/lib/oauth/auth.php l.85-92: an OAuthException, 401 (docs: 503). */
    public static final Bitrix24Error OVERLOAD_LIMIT
            = new Bitrix24Error(401, "OVERLOAD_LIMIT", "REST API is blocked due to overload.");
    public static final Bitrix24Error INTERNAL_SERVER_ERROR
            = new Bitrix24Error(500, "INTERNAL_SERVER_ERROR", "Internal server error");
    public static final Bitrix24Error ERROR_UNEXPECTED_ANSWER
            = new Bitrix24Error(500, "ERROR_UNEXPECTED_ANSWER", "Server returned an unexpected response.");
    /** rest/classes/general/rest_util.php l.532-555: no credentials at all. */
    public static final Bitrix24Error NO_AUTH_FOUND
            = new Bitrix24Error(401, "NO_AUTH_FOUND", "Wrong authorization data");
    /** rest/lib/apauth/auth.php l.134-137: a webhook user id and code the portal does not know (docs: 403). */
    public static final Bitrix24Error INVALID_CREDENTIALS
            = new Bitrix24Error(401, "INVALID_CREDENTIALS", "Invalid request credentials");
    /** rest/lib/apauth/auth.php l.105-108, rest/lib/oauth/auth.php l.158-161: the user is not active. */
    public static final Bitrix24Error AUTHORIZATION_ERROR
            = new Bitrix24Error(401, "authorization_error", "Unable to authorize user");
    /** rest/lib/oauth/auth.php l.127-131: no final period. */
    public static final Bitrix24Error EXPIRED_TOKEN
            = new Bitrix24Error(401, "expired_token", "The access token provided has expired");
    /** The OAuth server's text, passed through by rest/lib/oauth/auth.php l.239-293 (the old oauth module's text). */
    public static final Bitrix24Error INVALID_TOKEN
            = new Bitrix24Error(401, "invalid_token", "The access token provided is invalid.");
    /** rest/lib/oauth/auth.php l.133-142: an application without the method's scope (docs: 403). */
    public static final Bitrix24Error INSUFFICIENT_SCOPE
            = new Bitrix24Error(401, "insufficient_scope",
                    "The request requires higher privileges than provided by the access token");
    /** rest/lib/apauth/auth.php l.197-203: a webhook without the method's scope (docs: 403). */
    public static final Bitrix24Error INSUFFICIENT_SCOPE_WEBHOOK
            = new Bitrix24Error(401, "insufficient_scope",
                    "The request requires higher privileges than provided by the webhook token");
    /** rest/lib/oauth/auth.php l.163-167. */
    public static final Bitrix24Error USER_ACCESS_ERROR
            = new Bitrix24Error(401, "user_access_error", "The user does not have access to the application.");
    /** rest/lib/accessexception.php: the binding methods' permission refusal. */
    public static final Bitrix24Error ACCESS_DENIED
            = new Bitrix24Error(403, "ACCESS_DENIED", "Access denied!");
    /** rest/lib/apauth/auth.php l.50-54: a webhook called over plain HTTP (docs: 400). */
    public static final Bitrix24Error INVALID_REQUEST
            = new Bitrix24Error(401, "INVALID_REQUEST", "Https required.");
    /** rest/classes/general/rest.php l.143, 181, 227, 855: checked before the credentials. */
    public static final Bitrix24Error ERROR_METHOD_NOT_FOUND
            = new Bitrix24Error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!");
    /** crm/classes/general/restservice.php CCrmEntityBindingProxy::deleteItem l.10917: a missing lead, empty code. */
    public static final Bitrix24Error NOT_FOUND
            = new Bitrix24Error(400, "", "Not found.");
    /** rest/classes/general/rest.php CRestServer::init l.464-467 (docs: 500). */
    public static final Bitrix24Error PORTAL_DELETED
            = new Bitrix24Error(403, "PORTAL_DELETED", "Portal was deleted");
    /** rest/classes/general/rest_provider.php l.359-363: each batch command past the 50th, inside an HTTP 200. */
    public static final Bitrix24Error ERROR_BATCH_LENGTH_EXCEEDED
            = new Bitrix24Error(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded");
    /** rest/classes/general/rest_provider.php l.309-313: a nested batch command, inside an HTTP 200. */
    public static final Bitrix24Error ERROR_BATCH_METHOD_NOT_ALLOWED
            = new Bitrix24Error(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage");
    /** crm/classes/general/restservice.php CCrmRestProxyBase::delete l.1581-1594: the (int) id is not above 0. */
    public static final Bitrix24Error ID_INVALID
            = new Bitrix24Error(400, "", "ID is not defined or invalid.");
    /** crm/classes/general/restservice.php innerDelete l.6052 (lead), l.8493 (contact): no delete permission. */
    public static final Bitrix24Error DELETE_ACCESS_DENIED
            = new Bitrix24Error(400, "", "Access denied.");

    /** A method error with an empty code, as the CRM methods answer their validation and lookup failures. */
    public static Bitrix24Error emptyCode(String description) {
        return new Bitrix24Error(400, "", description);
    }

    /**
     * The server's "application exception": rest/lib/restexception.php setApplicationException l.68-73 and
     * rest/classes/general/rest.php processException l.860-883 answer it as {@code ERROR_CORE} with its text, 400.
     */
    public static Bitrix24Error errorCore(String description) {
        return new Bitrix24Error(400, "ERROR_CORE", description);
    }
}
