package io.camelbitrix24.crm.internal.input;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelbitrix24.crm.internal.call.Failure;
import io.camelbitrix24.crm.internal.call.Operation;
import io.camelbitrix24.crm.internal.call.RecordRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Id parsing as pure logic, on exchanges made here (Camel's type converters, no route, no HTTP): which body and header
 * shapes carry an id, and what a bad one is refused with. The route-level matrix is {@code Bitrix24InputValidationTest}.
 */
class InputReaderTest {

    private static final CamelContext CAMEL = new DefaultCamelContext();
    private static final InputReader READER = new InputReader(new ObjectMapper(), "crm.lead.delete", null);

    @AfterAll
    static void stop() {
        CAMEL.stop();
    }

    private static Exchange exchange(Object body, Object idHeader) {
        Exchange exchange = new DefaultExchange(CAMEL);
        exchange.getMessage().setBody(body);
        if (idHeader != null) {
            exchange.getMessage().setHeader(Headers.ID, idHeader);
        }
        return exchange;
    }

    static Stream<Arguments> ids() {
        return Stream.of(
                arguments("an Integer body", 42),
                arguments("a Long body", 42L),
                arguments("a Short body", (short) 42),
                arguments("a BigInteger body", BigInteger.valueOf(42)),
                arguments("an AtomicLong body", new AtomicLong(42)),
                arguments("a numeric String", "42"),
                arguments("a numeric String with blanks", " 42\n"),
                arguments("leading zeros", "0042"),
                arguments("a JSON object", "{\"id\": 42}"),
                arguments("a JSON object with ID as text", "{\"ID\": \"42\"}"),
                arguments("a Map", Map.of("id", 42)),
                arguments("UTF-8 bytes", "42".getBytes(StandardCharsets.UTF_8)),
                arguments("a stream of a JSON object", new ByteArrayInputStream("{\"id\":42}".getBytes(StandardCharsets.UTF_8))),
                arguments("the largest id", Integer.MAX_VALUE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void aBodyCarriesTheId(String what, Object body) {
        RecordRequest request = READER.read(exchange(body, null), Operation.LEAD_DELETE);
        int expected = body instanceof Integer i && i == Integer.MAX_VALUE ? Integer.MAX_VALUE : 42;
        assertEquals(expected, request.id());
        assertNull(request.boundId());
    }

    @Test
    void theHeaderComesBeforeTheBody() {
        RecordRequest request = READER.read(exchange("7", "42"), Operation.LEAD_DELETE);
        assertEquals(42, request.id());
    }

    @Test
    void anUnbindTakesTheContactFromTheBodyOrItsFields() {
        RecordRequest plain = READER.read(exchange("{\"id\": 4, \"contactId\": 5}", null),
                Operation.LEAD_CONTACT_DELETE);
        assertEquals(List.of(4, 5), List.of(plain.id(), plain.boundId()));
        RecordRequest fields = READER.read(exchange(Map.of("id", 4, "fields", Map.of("CONTACT_ID", 6)), null),
                Operation.LEAD_CONTACT_DELETE);
        assertEquals(List.of(4, 6), List.of(fields.id(), fields.boundId()));
    }

    static Stream<Arguments> badIds() {
        return Stream.of(
                // body or header, the field the refusal names, a piece of its message
                arguments("12abc", null, "body", "'12abc'"),
                arguments(0, null, "body", "0 (Integer)"),
                arguments(-3L, null, "body", "-3 (Long)"),
                arguments(2_147_483_648L, null, "body", "2147483648 (Long)"),
                arguments(4.0, null, "body", "4.0 (Double)"),
                arguments("", null, "body", "''"),
                arguments("{\"id\": \"x\"}", null, "body.id", "'x'"),
                arguments("{\"id\": 1", null, "body", "not a valid JSON object"),
                arguments(Map.of("name", "x"), null, Headers.ID, "Missing lead id"),
                arguments(null, "x", "header " + Headers.ID, "'x'"),
                arguments(List.of(1, 2), null, "body", "send one id"),
                // Camel reads any object as text (its toString): refused as such
                arguments(new Object(), null, "body", "'java.lang.Object@"));
    }

    @ParameterizedTest(name = "body {0}, header {1}")
    @MethodSource("badIds")
    void aBadIdIsRefusedNamingItsField(Object body, Object header, String field, String message) {
        Failure e = assertThrows(Failure.class,
                () -> READER.read(exchange(body, header), Operation.LEAD_DELETE));
        assertEquals(field, e.getField());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains("Nothing was sent to Bitrix24"), e.getMessage());
        assertTrue(e.getMessage().contains("crm.lead.delete"), e.getMessage());
    }

    @Test
    void aListBodyIsABatchAndRefusedBesideAnIdHeader() {
        assertEquals(List.of(12, 13), READER.batchItems(exchange("[12, 13]", null)));
        assertEquals(List.of(1, 2), READER.batchItems(exchange(new int[] {1, 2}, null)));
        assertNull(READER.batchItems(exchange("12", null)), "one id is no batch");
        Failure e = assertThrows(Failure.class,
                () -> READER.batchItems(exchange(List.of(1, 2), 1)));
        assertEquals("header " + Headers.ID, e.getField());
    }

    @Test
    void aContactCompanyUnbindTakesTheCompanyFromItsHeaderOrTheBody() {
        RecordRequest body = READER.read(exchange("{\"id\": 4, \"companyId\": 9}", null),
                Operation.CONTACT_COMPANY_DELETE);
        assertEquals(List.of(4, 9), List.of(body.id(), body.boundId()));
        RecordRequest fields = READER.read(exchange(Map.of("id", 4, "fields", Map.of("COMPANY_ID", "8")), null),
                Operation.CONTACT_COMPANY_DELETE);
        assertEquals(8, fields.boundId());
        Exchange withHeader = exchange("{\"id\": 4, \"companyId\": 9}", null);
        withHeader.getMessage().setHeader(Headers.COMPANY_ID, 11);
        assertEquals(11, READER.read(withHeader, Operation.CONTACT_COMPANY_DELETE).boundId());
        // a contact id is not a company id
        Failure missing = assertThrows(Failure.class, () -> READER.read(exchange("{\"id\": 4, \"contactId\": 9}", null),
                Operation.CONTACT_COMPANY_DELETE));
        assertEquals(Headers.COMPANY_ID, missing.getField());
        assertTrue(missing.getMessage().contains("Missing company id") && missing.getMessage().contains("'companyId'"),
                missing.getMessage());
    }

    @Test
    void anItemDeleteTakesItsTypeFromTheHeaderThenTheBodyThenTheEndpoint() {
        InputReader reader = new InputReader(new ObjectMapper(), "crm.item.delete", 31);
        Exchange both = exchange("{\"id\": 5, \"entityTypeId\": 1038}", null);
        both.getMessage().setHeader(Headers.ENTITY_TYPE_ID, "1040");
        assertEquals(1040, reader.read(both, Operation.ITEM_DELETE).entityTypeId());
        assertEquals(1038, reader.read(exchange("{\"id\": 5, \"entityTypeId\": 1038}", null), Operation.ITEM_DELETE)
                .entityTypeId());
        RecordRequest byEndpoint = reader.read(exchange(5, null), Operation.ITEM_DELETE);
        assertEquals(List.of(31, 5), List.of(byEndpoint.entityTypeId(), byEndpoint.id()));
        // the type of a lead delete is the lead's, whatever the input says
        assertEquals(1, READER.read(exchange("{\"id\": 5, \"entityTypeId\": 1038}", null), Operation.LEAD_DELETE)
                .entityTypeId());
    }

    static Stream<Arguments> badEntityTypes() {
        return Stream.of(
                arguments("{\"id\": 5}", null, "entityTypeId", "Missing entityTypeId"),
                arguments("{\"id\": 5, \"entityTypeId\": 0}", null, "body.entityTypeId", "0 (Integer)"),
                arguments("{\"id\": 5, \"entityTypeId\": \"deal\"}", null, "body.entityTypeId", "'deal'"),
                arguments("5", "-2", "header " + Headers.ENTITY_TYPE_ID, "'-2'"),
                arguments("5", 2.5, "header " + Headers.ENTITY_TYPE_ID, "2.5 (Double)"));
    }

    @ParameterizedTest(name = "body {0}, header {1}")
    @MethodSource("badEntityTypes")
    void aMissingOrBadEntityTypeIsRefusedNamingIt(String body, Object header, String field, String message) {
        InputReader reader = new InputReader(new ObjectMapper(), "crm.item.delete", null);
        Exchange exchange = exchange(body, null);
        if (header != null) {
            exchange.getMessage().setHeader(Headers.ENTITY_TYPE_ID, header);
        }
        Failure e = assertThrows(Failure.class, () -> reader.read(exchange, Operation.ITEM_DELETE));
        assertEquals(field, e.getField());
        assertTrue(e.getMessage().contains(message) && e.getMessage().contains("Nothing was sent to Bitrix24"),
                e.getMessage());
    }

    @Test
    void batchItemsOfAnItemDeleteTakeTheirOwnTypeFirst() {
        InputReader reader = new InputReader(new ObjectMapper(), "crm.item.delete", 2);
        Exchange exchange = exchange(null, null);
        exchange.getMessage().setHeader(Headers.ENTITY_TYPE_ID, 1038);
        List<RecordRequest> requests = reader.readItems(exchange,
                List.of(7, Map.of("id", 8, "entityTypeId", 31)), Operation.ITEM_DELETE);
        assertEquals(List.of(1038, 31), requests.stream().map(RecordRequest::entityTypeId).toList());
        Failure e = assertThrows(Failure.class, () -> new InputReader(new ObjectMapper(), "crm.item.delete", null)
                .readItems(exchange(null, null), List.of(7), Operation.ITEM_DELETE));
        assertTrue(e.getMessage().contains("Missing entityTypeId"), e.getMessage());
    }
}
