package io.camelbitrix24.crm;

import java.util.Map;
import java.util.stream.Stream;

import io.camelbitrix24.emulator.Answer;
import io.camelbitrix24.emulator.Bitrix24Error;
import io.camelbitrix24.testing.Ports;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every error row of the Bitrix24 reference, answered by the emulator over HTTP, reaches the route's onException as its
 * typed exception.
 */
class Bitrix24ErrorMappingTest extends Bitrix24TestSupport {

    @Override
    protected void configure(Bitrix24CrmConfiguration configuration) {
        super.configure(configuration);
        // each answer is looked at once here; retries have their own tests
        configuration.setMaxRetries(0);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return throughToMocks(Map.of(
                "direct:lead", "bitrix24-crm:lead/delete",
                "direct:contact", "bitrix24-crm:contact/delete",
                "direct:itemLead", "bitrix24-crm:lead/delete?useItemApi=true",
                "direct:small", "bitrix24-crm:lead/delete?maxResponseSize=4096",
                "direct:impatient", "bitrix24-crm:lead/delete?responseTimeout=300"),
                builder -> builder.from("direct:unbind").setHeader(Bitrix24CrmConstants.CONTACT_ID, builder.constant(5))
                        .to("bitrix24-crm:lead-contact/delete").to("mock:done"));
    }

    static Stream<Arguments> scriptedAnswers() {
        return Stream.of(
                // code, usual status, expected type, retryable
                row(Answer.error(Bitrix24Error.QUERY_LIMIT_EXCEEDED), Bitrix24RateLimitException.class, true),
                row(Answer.error(429, "QUERY_LIMIT_EXCEEDED", "Too many requests"), Bitrix24RateLimitException.class, true),
                row(Answer.error(Bitrix24Error.OPERATION_TIME_LIMIT), Bitrix24RateLimitException.class, true),
                // blocked by hand: only Bitrix24 support lifts it
                row(Answer.error(Bitrix24Error.OVERLOAD_LIMIT), Bitrix24RateLimitException.class, false),
                row(Answer.error(Bitrix24Error.INTERNAL_SERVER_ERROR), Bitrix24ServerException.class, true),
                row(Answer.error(Bitrix24Error.ERROR_UNEXPECTED_ANSWER), Bitrix24ServerException.class, true),
                row(Answer.error(Bitrix24Error.NO_AUTH_FOUND), Bitrix24AuthenticationException.class, false),
                row(Answer.error(Bitrix24Error.INVALID_CREDENTIALS), Bitrix24AuthenticationException.class, false),
                row(Answer.error(403, "INVALID_CREDENTIALS", "Invalid request credentials"),
                        Bitrix24AuthenticationException.class, false),
                row(Answer.error(Bitrix24Error.EXPIRED_TOKEN), Bitrix24AuthenticationException.class, false),
                row(Answer.error(Bitrix24Error.INVALID_TOKEN), Bitrix24AuthenticationException.class, false),
                row(Answer.error(Bitrix24Error.INSUFFICIENT_SCOPE), Bitrix24AccessDeniedException.class, false),
                row(Answer.error(Bitrix24Error.USER_ACCESS_ERROR), Bitrix24AccessDeniedException.class, false),
                row(Answer.error(Bitrix24Error.ACCESS_DENIED), Bitrix24AccessDeniedException.class, false),
                row(Answer.error(Bitrix24Error.INVALID_REQUEST), Bitrix24InvalidRequestException.class, false),
                row(Answer.error(Bitrix24Error.ERROR_METHOD_NOT_FOUND), Bitrix24InvalidRequestException.class, false),
                row(Answer.error(Bitrix24Error.NOT_FOUND), Bitrix24NotFoundException.class, false),
                row(Answer.error(404, "not_found", "Not found."), Bitrix24NotFoundException.class, false),
                row(Answer.error(400, "", "Not found."), Bitrix24NotFoundException.class, false),
                // the server's localized texts, from its lang/ files, decide whatever the portal's language
                row(Answer.error(400, "ERROR_CORE", "Item was not found."), Bitrix24NotFoundException.class, false),
                row(Answer.error(400, "ERROR_CORE", "Лид не найден"), Bitrix24NotFoundException.class, false),
                row(Answer.error(400, "ERROR_CORE", "Nie znaleziono leada."), Bitrix24NotFoundException.class, false),
                row(Answer.error(400, "NOT_FOUND", "Элемент не найден"), Bitrix24NotFoundException.class, false),
                row(Answer.error(400, "", "Access denied."), Bitrix24AccessDeniedException.class, false),
                row(Answer.error(400, "ACCESS_DENIED", "Доступ запрещен"), Bitrix24AccessDeniedException.class, false),
                row(Answer.error(400, "", "[Контакт #5] У Вас нет прав на просмотр этого элемента"),
                        Bitrix24AccessDeniedException.class, false),
                row(Answer.error(400, "", "Lead 7: недостаточно прав для удаления"), Bitrix24AccessDeniedException.class,
                        false),
                // a smart process the portal lacks is a configuration error, not a record already gone
                row(Answer.error(400, "NOT_FOUND", "Смарт-процесс не найден"), Bitrix24InvalidRequestException.class,
                        false),
                // a text no table holds on a lead that exists: the read finds it, and the error stands
                row(Answer.error(400, "ERROR_CORE", "Сделка заблокирована"), Bitrix24InvalidRequestException.class, false),
                row(Answer.error(400, "", "Contact is not found"), Bitrix24InvalidRequestException.class, false),
                row(Answer.error(Bitrix24Error.ID_INVALID), Bitrix24InvalidRequestException.class, false),
                row(Answer.error(400, "", "Required fields not provided"), Bitrix24InvalidRequestException.class, false),
                row(Answer.error(Bitrix24Error.PORTAL_DELETED), Bitrix24ServerException.class, false),
                row(Answer.error(Bitrix24Error.ERROR_BATCH_LENGTH_EXCEEDED), Bitrix24InvalidRequestException.class, false),
                row(Answer.error(Bitrix24Error.ERROR_BATCH_METHOD_NOT_ALLOWED), Bitrix24InvalidRequestException.class, false),
                // codes Bitrix24 may add later fall back on the status
                row(Answer.error(503, "SOMETHING_NEW", "Unavailable"), Bitrix24ServerException.class, true),
                row(Answer.error(429, "", "Slow down"), Bitrix24RateLimitException.class, true),
                row(Answer.error(401, "", "Unauthorized"), Bitrix24AuthenticationException.class, false),
                row(Answer.error(403, "SOMETHING_NEW", "Forbidden"), Bitrix24AccessDeniedException.class, false),
                row(Answer.error(422, "SOMETHING_NEW", "Unprocessable"), Bitrix24InvalidRequestException.class, false),
                // answers that are not Bitrix24 answers
                row(Answer.proxyErrorPage(), Bitrix24ServerException.class, true),
                row(Answer.truncatedJson(), Bitrix24ServerException.class, true),
                row(Answer.raw(200, "text/plain", "OK"), Bitrix24ServerException.class, true),
                row(Answer.raw(200, "application/json", ""), Bitrix24ServerException.class, true),
                row(Answer.raw(200, "application/json", "[true]"), Bitrix24ServerException.class, true),
                row(Answer.raw(200, "application/json", "{\"total\":1}"), Bitrix24ServerException.class, true),
                row(Answer.raw(500, "application/json", "{\"result\":true}"), Bitrix24ServerException.class, true));
    }

    private static Arguments row(Answer answer, Class<? extends Bitrix24Exception> type, boolean retryable) {
        String label = answer.status() + " " + new String(answer.body(), 0, Math.min(60, answer.body().length));
        return Arguments.of(label, answer, type, retryable);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scriptedAnswers")
    void answerReachesOnExceptionAsTypedException(
            String label, Answer answer, Class<? extends Bitrix24Exception> type, boolean retryable)
            throws Exception {
        portal.script(answer);
        int lead = portal.data().addLead("L", "NEW");
        Bitrix24Exception e = failure("direct:lead", lead);

        assertSame(type, e.getClass(), label + " -> " + e);
        assertEquals(retryable, e.isRetryable(), label);
        assertEquals("crm.lead.delete", e.getMethod());
        assertEquals(answer.status(), e.getStatusCode());
        assertTrue(e.getMessage().startsWith("crm.lead.delete for lead " + lead + " failed: HTTP " + answer.status()),
                e.getMessage());
        assertFalse(e.getMessage().contains(WEBHOOK_CODE));
    }

    @Test
    void errorCodeAndDescriptionAreCarried() throws Exception {
        portal.script(Answer.error(Bitrix24Error.OPERATION_TIME_LIMIT));
        Bitrix24Exception e = failure("direct:lead", 1);
        assertEquals("OPERATION_TIME_LIMIT", e.getErrorCode());
        assertEquals("Method is blocked due to operation time limit.", e.getErrorDescription());
        assertEquals(429, e.getStatusCode());
        assertTrue(e.getMessage().contains("'OPERATION_TIME_LIMIT'") && e.getMessage().contains("operation time limit"));
    }

    @Test
    void missingLeadIsNotFound() throws Exception {
        Bitrix24Exception e = failure("direct:lead", 987654);
        assertSame(Bitrix24NotFoundException.class, e.getClass());
        assertEquals("ERROR_CORE", e.getErrorCode());
        assertEquals("Item was not found.", e.getErrorDescription());
        assertEquals(400, e.getStatusCode());
    }

    @Test
    void missingContactIsNotFound() throws Exception {
        Bitrix24Exception e = failure("direct:contact", 987654);
        assertSame(Bitrix24NotFoundException.class, e.getClass());
        assertEquals("Item was not found.", e.getErrorDescription());
    }

    @Test
    void missingLeadOfAnUnbindingIsNotFound() throws Exception {
        Bitrix24Exception e = failure("direct:unbind", 987654);
        assertSame(Bitrix24NotFoundException.class, e.getClass());
        assertEquals("", e.getErrorCode());
        assertEquals("Not found.", e.getErrorDescription());
    }

    @Test
    void missingItemIsNotFound() throws Exception {
        Bitrix24Exception e = failure("direct:itemLead", 987654);
        assertSame(Bitrix24NotFoundException.class, e.getClass());
        assertEquals("crm.item.delete", e.getMethod());
    }

    @Test
    void plainHttpToACloudPortalIsInvalidRequest() throws Exception {
        portal.setHttpsRequired(true);
        try {
            Bitrix24Exception e = failure("direct:lead", 1);
            assertSame(Bitrix24InvalidRequestException.class, e.getClass());
            assertEquals("INVALID_REQUEST", e.getErrorCode());
        } finally {
            portal.setHttpsRequired(false);
        }
    }

    @Test
    void deletedPortalIsAFinalServerError() throws Exception {
        portal.setPortalDeleted(true);
        try {
            Bitrix24Exception e = failure("direct:lead", 1);
            assertSame(Bitrix24ServerException.class, e.getClass());
            assertEquals("PORTAL_DELETED", e.getErrorCode());
            assertFalse(e.isRetryable());
        } finally {
            portal.setPortalDeleted(false);
        }
    }

    @Test
    void wrongWebhookCodeIsAuthenticationFailure() throws Exception {
        String wrong = portal.baseUrl() + "/rest/1/not-the-code/";
        Bitrix24Exception e = failure("bitrix24-crm:lead/delete?webhookUrl=" + wrong, 1);
        assertSame(Bitrix24AuthenticationException.class, e.getClass());
        assertEquals("INVALID_CREDENTIALS", e.getErrorCode());
        assertEquals(401, e.getStatusCode());
    }

    @Test
    void userWithoutDeletePermissionIsAccessDenied() throws Exception {
        portal.access().addWebhook(2, "code-of-user-2", "crm");
        portal.access().denyDelete(2);
        Bitrix24Exception e = failure("bitrix24-crm:lead/delete?webhookUrl=" + portal.baseUrl() + "/rest/2/code-of-user-2/",
                portal.data().addLead("L", "NEW"));
        assertSame(Bitrix24AccessDeniedException.class, e.getClass());
        assertEquals("", e.getErrorCode(), "lead and contact deletes refuse with an empty code");
        assertEquals("Access denied.", e.getErrorDescription());
    }

    @Test
    void webhookWithoutCrmScopeIsAccessDenied() throws Exception {
        portal.access().addWebhook(3, "tasks-only", "task");
        Bitrix24Exception e = failure("bitrix24-crm:lead/delete?webhookUrl=" + portal.baseUrl() + "/rest/3/tasks-only/", 1);
        assertSame(Bitrix24AccessDeniedException.class, e.getClass());
        assertEquals("insufficient_scope", e.getErrorCode());
    }

    @Test
    void deactivatedUserIsAuthenticationFailure() throws Exception {
        portal.access().addWebhook(4, "code-of-user-4", "crm");
        portal.access().deactivateUser(4);
        Bitrix24Exception e = failure("bitrix24-crm:lead/delete?webhookUrl=" + portal.baseUrl() + "/rest/4/code-of-user-4/", 1);
        assertSame(Bitrix24AuthenticationException.class, e.getClass());
        assertEquals("authorization_error", e.getErrorCode());
    }

    @Test
    void oversizedAnswerIsAServerErrorNotAnOutOfMemory() throws Exception {
        portal.script(Answer.oversized(64 * 1024));
        Bitrix24Exception e = failure("direct:small", 1);
        assertSame(Bitrix24ServerException.class, e.getClass());
        assertTrue(e.getMessage().contains("larger than 4096 bytes"), e.getMessage());
    }

    @Test
    void answerPastTheResponseTimeoutIsARetryableServerError() throws Exception {
        portal.script(Answer.slow(1500));
        Bitrix24Exception e = failure("direct:impatient", portal.data().addLead("L", "NEW"));
        assertSame(Bitrix24ServerException.class, e.getClass());
        assertEquals(0, e.getStatusCode());
        assertTrue(e.isRetryable());
        assertTrue(e.getMessage().contains("no answer within the response timeout"), e.getMessage());
    }

    @Test
    void refusedConnectionIsARetryableServerError() throws Exception {
        int closedPort = Ports.unused();
        Bitrix24Exception e = failure("bitrix24-crm:lead/delete?webhookUrl=http://127.0.0.1:" + closedPort + "/rest/1/"
                                      + WEBHOOK_CODE + "/", 1);
        assertSame(Bitrix24ServerException.class, e.getClass());
        assertEquals(0, e.getStatusCode());
        assertTrue(e.isRetryable());
        assertFalse(e.getMessage().contains(WEBHOOK_CODE), e.getMessage());
    }

    /** Sends through a route whose onException catches Bitrix24 errors, and answers what it caught. */
    private Bitrix24Exception failure(String uri, Object id) throws Exception {
        MockEndpoint error = getMockEndpoint("mock:error");
        MockEndpoint done = getMockEndpoint("mock:done");
        error.reset();
        done.reset();
        error.expectedMessageCount(1);
        done.expectedMessageCount(0);
        String from = uri.startsWith("direct:") ? uri : "direct:adhoc";
        if (!uri.startsWith("direct:")) {
            context.addRoutes(throughToMocks(Map.of("direct:adhoc", uri)));
        }
        template.sendBodyAndHeader(from, null, Bitrix24CrmConstants.ID, id);
        MockEndpoint.assertIsSatisfied(context);
        Exchange failed = error.getReceivedExchanges().get(0);
        return failed.getProperty(Exchange.EXCEPTION_CAUGHT, Bitrix24Exception.class);
    }
}
