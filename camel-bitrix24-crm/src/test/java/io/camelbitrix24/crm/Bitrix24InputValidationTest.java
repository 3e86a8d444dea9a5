package io.camelbitrix24.crm;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input on every endpoint: a validation error naming the field and value, and not one request to Bitrix24. */
class Bitrix24InputValidationTest extends Bitrix24TestSupport {

    private static final String[] ENDPOINTS = {
            "lead/delete", "contact/delete", "lead-contact/delete", "lead-contact/items-delete" };

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("mock:dead"));
                for (String path : ENDPOINTS) {
                    from("direct:" + path).to("bitrix24-crm:" + path).to("mock:done");
                }
            }
        };
    }

    /** A bad value, where it goes (header or body), and the field the message must name. */
    static Stream<Arguments> badInputs() {
        List<Arguments> rows = new ArrayList<>();
        Map<String, Object> nested = new HashMap<>();
        nested.put("id", Map.of("id", 5));
        Object[][] values = {
                { "null body, no header", null, Bitrix24CrmConstants.ID, "Missing" },
                { "empty string", "", "body", "''" },
                { "whitespace", "   ", "body", "'   '" },
                { "zero", 0, "body", "0 (Integer)" },
                { "negative", -1, "body", "-1 (Integer)" },
                { "2^31", 2147483648L, "body", "2147483648 (Long)" },
                { "2^63", new BigInteger("9223372036854775808"), "body", "9223372036854775808 (BigInteger)" },
                { "1.5", 1.5d, "body", "1.5 (Double)" },
                { "decimal 2", new BigDecimal("2"), "body", "2 (BigDecimal)" },
                { "12abc", "12abc", "body", "'12abc'" },
                { "1e3", "1e3", "body", "'1e3'" },
                { "-5 text", "-5", "body", "'-5'" },
                { "list of junk", List.of("x", "y"), "body[0]", "'x'" },
                { "nested map", nested, "body.id", "{id=5}" },
                { "json wrong type", "{\"id\": true}", "body.id", "true (Boolean)" },
                { "json array id", "{\"id\": [1]}", "body.id", "[1]" },
                { "json float id", "{\"id\": 3.0}", "body.id", "3.0 (Double)" },
                { "broken json", "{\"id\": ", "body", "not a valid JSON object" },
                { "10 MB string", "7".repeat(10 * 1024 * 1024), "body", "(10485760 characters)" },
                { "header junk", "abc", "header " + Bitrix24CrmConstants.ID, "'abc'" },
        };
        for (String endpoint : ENDPOINTS) {
            for (Object[] v : values) {
                boolean header = ((String) v[2]).startsWith("header");
                rows.add(Arguments.of(endpoint, v[0], header ? null : v[1], header ? v[1] : null, v[2], v[3]));
            }
        }
        rows.add(Arguments.of("lead-contact/delete", "no contact id", 1, null, Bitrix24CrmConstants.CONTACT_ID,
                "Missing contact id"));
        rows.add(Arguments.of("lead-contact/delete", "json without contact id", "{\"id\": 1}", null,
                Bitrix24CrmConstants.CONTACT_ID, "Missing contact id"));
        rows.add(Arguments.of("lead-contact/delete", "zero contact id", Map.of("id", 1, "contactId", 0), null,
                "body.contactId", "0 (Integer)"));
        rows.add(Arguments.of("lead-contact/delete", "text contact id", "{\"id\":1,\"fields\":{\"CONTACT_ID\":\"x\"}}", null,
                "body.fields.CONTACT_ID", "'x'"));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badInputs")
    void badInputIsRejectedBeforeAnyCall(String endpoint, String label, Object body, Object idHeader, String field,
                                         String shown) throws Exception {
        MockEndpoint dead = getMockEndpoint("mock:dead");
        dead.expectedMessageCount(1);
        getMockEndpoint("mock:done").expectedMessageCount(0);

        template.send("direct:" + endpoint, e -> {
            e.getMessage().setBody(body);
            if (idHeader != null) {
                e.getMessage().setHeader(Bitrix24CrmConstants.ID, idHeader);
            }
        });

        MockEndpoint.assertIsSatisfied(context);
        Exchange failed = dead.getReceivedExchanges().get(0);
        Bitrix24ValidationException e = assertInstanceOf(Bitrix24ValidationException.class,
                failed.getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals(field, e.getField(), e.getMessage());
        assertTrue(e.getMessage().contains(field), e.getMessage());
        assertTrue(e.getMessage().contains(shown), "message shows the value " + shown + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("Nothing was sent"), e.getMessage());
        assertTrue(e.getMessage().length() < 600, "message stays short: " + e.getMessage().length());
        assertEquals(0, portal.requests().total(), "requests that reached Bitrix24");
    }
}
