package io.camelbitrix24.crm;

import java.util.List;

import io.camelbitrix24.emulator.Answer;
import io.camelbitrix24.emulator.Bitrix24Error;
import io.camelbitrix24.testing.Ports;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What went wrong in a new user's first hour, each reproduced through a route: an id header left beside a list body,
 * a JSON array in a text body, a batch call that fails as a whole, and which record a message or exception is about.
 */
class Bitrix24FirstHourTest extends Bitrix24TestSupport {

    @Override
    protected void configure(Bitrix24CrmConfiguration configuration) {
        super.configure(configuration);
        configuration.setRetryDelay(10);
        configuration.setMaxRetries(1);
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                onException(Bitrix24Exception.class).handled(true)
                        .setHeader("failedId", simple("${header.CamelBitrix24CrmId}")).to("mock:error");
                from("direct:delete").to("bitrix24-crm:lead/delete").to("mock:done");
                from("direct:unbind").to("bitrix24-crm:lead-contact/delete").to("mock:done");
                // one id deleted on its own, then the same exchanges aggregated into a batch: the aggregated exchange
                // keeps the first message's headers, the id header the single delete set among them
                from("direct:aggregate").to("bitrix24-crm:lead/delete")
                        .setBody(header(Bitrix24CrmConstants.ID))
                        .aggregate(constant(true), new GroupedBodyAggregationStrategy()).completionSize(2)
                        .to("bitrix24-crm:contact/delete").to("mock:done");
            }
        };
    }

    @Test
    void anIdHeaderBesideAListBodyIsRefusedNamingBothAndNothingIsSent() throws Exception {
        int lead = portal.data().addLead("A", "NEW");
        int other = portal.data().addLead("B", "NEW");
        MockEndpoint error = getMockEndpoint("mock:error");
        error.expectedMessageCount(1);
        template.sendBodyAndHeader("direct:delete", List.of(lead, other), Bitrix24CrmConstants.ID, lead);
        error.assertIsSatisfied();

        Bitrix24ValidationException e = assertInstanceOf(Bitrix24ValidationException.class,
                error.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT));
        assertTrue(e.getMessage().contains("header CamelBitrix24CrmId") && e.getMessage().contains("list of 2 items"),
                e.getMessage());
        assertEquals("header " + Bitrix24CrmConstants.ID, e.getField());
        assertEquals(0, portal.requests().total(), "nothing was sent");
        assertTrue(portal.data().hasLead(lead) && portal.data().hasLead(other));
    }

    @Test
    void theAggregatorCaseFromTheReportFailsInsteadOfDroppingTheBatch() throws Exception {
        int first = portal.data().addLead("A", "NEW");
        int second = portal.data().addLead("B", "NEW");
        MockEndpoint error = getMockEndpoint("mock:error");
        error.expectedMessageCount(1);
        template.sendBody("direct:aggregate", first);
        template.sendBody("direct:aggregate", second);
        error.assertIsSatisfied();
        assertInstanceOf(Bitrix24ValidationException.class,
                error.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT));
        assertEquals(0, portal.requests().count("crm.contact.delete") + portal.requests().count("batch"));
    }

    @Test
    void aJsonArrayInATextBodyIsABatch() {
        List<Integer> leads = List.of(portal.data().addLead("A", "NEW"), portal.data().addLead("B", "NEW"));
        Exchange out = template.request("direct:delete", e -> e.getMessage().setBody(" [" + leads.get(0) + ", \""
                                                                                     + leads.get(1) + "\"]\n"));
        assertNull(out.getException());
        @SuppressWarnings("unchecked")
        List<Bitrix24ItemResult> results = out.getMessage().getBody(List.class);
        assertEquals(List.of(true, true), results.stream().map(Bitrix24ItemResult::getResult).toList());
        assertEquals(1, portal.requests().count("batch"));
        leads.forEach(id -> assertFalse(portal.data().hasLead(id)));

        Exchange broken = template.request("direct:delete", e -> e.getMessage().setBody("[1, 2"));
        Bitrix24ValidationException e = assertInstanceOf(Bitrix24ValidationException.class,
                broken.getProperty(Exchange.EXCEPTION_CAUGHT));
        assertTrue(e.getMessage().contains("'[1, 2'") && e.getMessage().contains("not a valid JSON array"), e.getMessage());
    }

    @Test
    void aJsonArrayInAStreamIsABatchAsInAString() {
        List<Integer> leads = List.of(portal.data().addLead("A", "NEW"), portal.data().addLead("B", "NEW"));
        Exchange out = template.request("direct:delete", e -> e.getMessage().setBody(new java.io.ByteArrayInputStream(
                ("[" + leads.get(0) + ", " + leads.get(1) + "]").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        assertNull(out.getException());
        assertEquals(1, portal.requests().count("batch"), "a stream with a JSON array is a batch, as a String is");
        leads.forEach(id -> assertFalse(portal.data().hasLead(id)));
    }

    @Test
    void aBatchCallRefusedAsAWholeReachesTheErrorHandler() throws Exception {
        MockEndpoint error = getMockEndpoint("mock:error");
        error.expectedMessageCount(1);
        getMockEndpoint("mock:done").expectedMessageCount(0);
        portal.script(Answer.error(Bitrix24Error.INVALID_CREDENTIALS));
        List<Integer> leads = List.of(portal.data().addLead("A", "NEW"), portal.data().addLead("B", "NEW"));
        template.sendBody("direct:delete", leads);
        MockEndpoint.assertIsSatisfied(context);

        Bitrix24AuthenticationException e = assertInstanceOf(Bitrix24AuthenticationException.class,
                error.getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT));
        assertTrue(e.getMessage().contains("2 of the 2 items were not processed"), e.getMessage());
        assertEquals(leads, error.getReceivedExchanges().get(0).getMessage().getBody(), "the input, for a dead letter");
        leads.forEach(id -> assertTrue(portal.data().hasLead(id)));
    }

    @Test
    void aBatchToAPortalThatDoesNotAnswerReachesTheErrorHandler() throws Exception {
        int closedPort = Ports.unused();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:down").to("bitrix24-crm:lead/delete?webhookUrl=http://127.0.0.1:" + closedPort
                                       + "/rest/1/" + WEBHOOK_CODE + "/");
            }
        });
        Exchange out = template.request("direct:down", e -> e.getMessage().setBody(List.of(1, 2, 3)));
        Bitrix24ServerException e = assertInstanceOf(Bitrix24ServerException.class, out.getException());
        assertFalse(e.isOutcomeUnknown(), "a refused connection sent nothing");
        assertTrue(e.getMessage().contains("3 of the 3 items were not processed"), e.getMessage());
        assertFalse(e.getMessage().contains(WEBHOOK_CODE));
    }

    @Test
    void theMessageSaysWhichRecordWhereverTheIdCameFrom() throws Exception {
        int lead = portal.data().addLead("A", "NEW");
        Exchange done = template.request("direct:delete", e -> e.getMessage().setBody("{\"id\": " + lead + "}"));
        assertNull(done.getException());
        assertEquals(lead, done.getMessage().getHeader(Bitrix24CrmConstants.ID));

        MockEndpoint error = getMockEndpoint("mock:error");
        error.expectedMessageCount(2);
        template.sendBody("direct:delete", 987_654);
        template.sendBody("direct:unbind", "{\"id\": 987655, \"contactId\": 7}");
        error.assertIsSatisfied();
        Exchange missing = error.getReceivedExchanges().get(0);
        assertEquals(987_654, missing.getMessage().getHeader("failedId"), "${header.CamelBitrix24CrmId} in onException");
        Bitrix24Exception e = missing.getProperty(Exchange.EXCEPTION_CAUGHT, Bitrix24Exception.class);
        assertTrue(e.getMessage().startsWith("crm.lead.delete for lead 987654 failed: HTTP 400"), e.getMessage());
        Exchange unbind = error.getReceivedExchanges().get(1);
        assertEquals(987_655, unbind.getMessage().getHeader(Bitrix24CrmConstants.ID));
        assertEquals(7, unbind.getMessage().getHeader(Bitrix24CrmConstants.CONTACT_ID));
        assertTrue(unbind.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()
                .startsWith("crm.lead.contact.delete for contact 7 of lead 987655 failed"));
    }
}
