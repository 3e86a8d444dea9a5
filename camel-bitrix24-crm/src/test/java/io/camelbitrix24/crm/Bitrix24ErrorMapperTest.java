package io.camelbitrix24.crm;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.camelbitrix24.crm.internal.call.ErrorMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.TransportFailures;
import io.camelbitrix24.crm.internal.http.HttpProxy;
import io.camelbitrix24.crm.internal.http.ProxyRefusedException;
import io.camelbitrix24.crm.internal.http.RequestNotSentException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The classification table as pure logic: code first (any case), then the server's phrase in any language the table
 * holds, then the status; an ERROR_CORE or empty code with an unknown text is settled by a read. Failures without an
 * answer say whether the request may have left. Over HTTP, through routes, the same rows are
 * {@link Bitrix24ErrorMappingTest}.
 */
class Bitrix24ErrorMapperTest {

    private static final String METHOD = "crm.lead.delete";

    static Stream<Arguments> answers() {
        return Stream.of(
                // status, code, description, type, retryable, settled by a read
                arguments(503, "QUERY_LIMIT_EXCEEDED", "Too many requests", Bitrix24RateLimitException.class, true, false),
                arguments(400, "query_limit_exceeded", "", Bitrix24RateLimitException.class, true, false),
                arguments(429, "OPERATION_TIME_LIMIT", "", Bitrix24RateLimitException.class, true, false),
                arguments(503, "OVERLOAD_LIMIT", "", Bitrix24RateLimitException.class, false, false),
                arguments(500, "INTERNAL_SERVER_ERROR", "", Bitrix24ServerException.class, true, false),
                arguments(200, "PORTAL_DELETED", "", Bitrix24ServerException.class, false, false),
                arguments(401, "NO_AUTH_FOUND", "", Bitrix24AuthenticationException.class, false, false),
                arguments(401, "expired_token", "", Bitrix24AuthenticationException.class, false, false),
                arguments(403, "insufficient_scope", "", Bitrix24AccessDeniedException.class, false, false),
                arguments(400, "NOT_FOUND", "Item was not found.", Bitrix24NotFoundException.class, false, false),
                // crm.item.delete's NOT_FOUND for a smart process the portal lacks: nothing was there to delete
                arguments(400, "NOT_FOUND", "Smart Process Automation was not found", Bitrix24InvalidRequestException.class,
                        false, false),
                arguments(400, "ERROR_CORE", "Lead was not found.", Bitrix24NotFoundException.class, false, false),
                arguments(400, "ERROR_CORE", "Лид не найден", Bitrix24NotFoundException.class, false, false),
                arguments(400, "ERROR_CORE", "Lead wurde nicht gefunden.", Bitrix24NotFoundException.class, false, false),
                arguments(400, "", "Доступ запрещен", Bitrix24AccessDeniedException.class, false, false),
                arguments(400, "", "Zugriff verweigert", Bitrix24AccessDeniedException.class, false, false),
                // a language no table holds: undecided, a read of the record settles it
                arguments(400, "ERROR_CORE", "[!! Ĺēàď ŵàš ńōţ ƒōūńď. !!]", Bitrix24InvalidRequestException.class, false, true),
                arguments(400, "", "", Bitrix24InvalidRequestException.class, false, true),
                // the status, where neither code nor phrase tells
                arguments(429, "", "", Bitrix24RateLimitException.class, true, false),
                arguments(502, "", "", Bitrix24ServerException.class, true, false),
                arguments(401, "", "", Bitrix24AuthenticationException.class, false, false),
                arguments(403, "SOMETHING_NEW", "", Bitrix24AccessDeniedException.class, false, false),
                arguments(400, "SOMETHING_NEW", "what it is", Bitrix24InvalidRequestException.class, false, false));
    }

    @ParameterizedTest(name = "HTTP {0} {1} ''{2}''")
    @MethodSource("answers")
    void anErrorAnswerBecomesItsType(int status, String code, String description, Class<?> type, boolean retryable,
                                     boolean settledByRead) {
        Failure failure = ErrorMapper.fromError(METHOD, status, code, description);
        Bitrix24Exception e = Bitrix24Exceptions.toPublic(failure);
        assertSame(type, e.getClass(), e.getMessage());
        assertEquals(retryable, e.isRetryable(), e.getMessage());
        assertEquals(settledByRead, ErrorMapper.needsExistenceCheck(failure), e.getMessage());
        assertEquals(false, e.isOutcomeUnknown(), "an answer tells the outcome");
    }

    static Stream<Arguments> noAnswers() {
        HttpProxy proxy = new HttpProxy("proxy.example", 3128, null, null);
        return Stream.of(
                // failure, retryable, may have left, status
                arguments(new ConnectException("Connection refused"), true, false, 0),
                arguments(new RequestNotSentException(), true, false, 0),
                arguments(new TimeoutException("no answer"), true, true, 0),
                arguments(new RequestNotSentException(new ProxyRefusedException(proxy, 407, "Proxy Authentication Required")),
                        false, false, 407),
                arguments(new RequestNotSentException(new ProxyRefusedException(proxy, 403, "Forbidden")), false, false, 403),
                arguments(new RequestNotSentException(new ProxyRefusedException(proxy, 502, "Bad Gateway")), true, false, 502));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("noAnswers")
    void aFailureWithoutAnAnswerSaysWhetherTheRequestLeft(Exception failure, boolean retryable, boolean mayHaveLeft,
                                                         int status) {
        Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class,
                Bitrix24Exceptions.toPublic(TransportFailures.of(METHOD, failure)));
        assertEquals(retryable, e.isRetryable(), e.getMessage());
        assertEquals(mayHaveLeft, e.isOutcomeUnknown(), e.getMessage());
        assertEquals(status, e.getStatusCode());
    }

    static Stream<Arguments> unreadableBodies() {
        return Stream.of(
                // status, retryable, may have done the work
                arguments(200, true, true),
                arguments(502, true, false),
                arguments(407, false, false));
    }

    @ParameterizedTest(name = "HTTP {0}")
    @MethodSource("unreadableBodies")
    void anAnswerThatIsNoBitrix24AnswerIsAServerFailure(int status, boolean retryable, boolean outcomeUnknown) {
        Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class,
                Bitrix24Exceptions.toPublic(ErrorMapper.fromUnreadableBody(METHOD, METHOD, status, "an HTML page")));
        assertEquals(retryable, e.isRetryable(), e.getMessage());
        assertEquals(outcomeUnknown, e.isOutcomeUnknown(), e.getMessage());
    }

    @Test
    void aFailureToldAnewKeepsItsTypeFieldAndRetryability() {
        Failure invalid = Failure.invalidInput(METHOD, "header CamelBitrix24CrmId", "Invalid id").withNote("more", false);
        Bitrix24ValidationException stillInvalid = assertInstanceOf(Bitrix24ValidationException.class,
                Bitrix24Exceptions.toPublic(invalid));
        assertEquals("header CamelBitrix24CrmId", stillInvalid.getField());
        assertEquals("Invalid id; more", stillInvalid.getMessage());

        Failure registryAway = Failure.authentication("The portal registry could not be read", METHOD, null, true);
        Bitrix24Exception coalesced = Bitrix24Exceptions.toPublic(
                registryAway.forOneOf(3, METHOD, "lead 7"));
        assertInstanceOf(Bitrix24AuthenticationException.class, coalesced);
        assertEquals(true, coalesced.isRetryable(), coalesced.getMessage());
    }
}
