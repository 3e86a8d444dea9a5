package io.camelbitrix24.crm;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

/** notFoundIsSuccess makes a delete idempotent: deleting what is already gone completes with result false. */
class Bitrix24NotFoundIsSuccessTest extends Bitrix24TestSupport {

    @Override
    protected RouteBuilder createRouteBuilder() {
        return throughToMocks(Map.of(
                "direct:idempotent", "bitrix24-crm:lead/delete?notFoundIsSuccess=true",
                "direct:idempotentItem", "bitrix24-crm:contact/delete?notFoundIsSuccess=true&useItemApi=true",
                "direct:idempotentUnbind", "bitrix24-crm:lead-contact/items-delete?notFoundIsSuccess=true",
                "direct:strict", "bitrix24-crm:lead/delete"));
    }

    @Test
    void secondDeleteOfTheSameLeadCompletesWithFalse() throws Exception {
        int lead = portal.data().addLead("L", "NEW");
        MockEndpoint done = getMockEndpoint("mock:done");
        done.expectedBodiesReceived(true, false);
        getMockEndpoint("mock:error").expectedMessageCount(0);

        template.sendBody("direct:idempotent", lead);
        template.sendBody("direct:idempotent", lead);

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(false, done.getReceivedExchanges().get(1).getMessage().getHeader(Bitrix24CrmConstants.RESULT));
        assertEquals(2, portal.requests().count("crm.lead.delete"));
    }

    @Test
    void notFoundCodeOfTheItemApiIsAlsoDoneAndUnbindingAMissingLeadIsDoneByThePortal() throws Exception {
        // crm.lead.contact.items.delete checks no lead (restservice.php deleteItems): a missing lead answers true
        getMockEndpoint("mock:done").expectedBodiesReceived(false, true);
        getMockEndpoint("mock:error").expectedMessageCount(0);

        template.sendBody("direct:idempotentItem", 424242);
        template.sendBody("direct:idempotentUnbind", 424242);

        MockEndpoint.assertIsSatisfied(context);
        assertEquals(1, portal.requests().count("crm.item.delete"));
    }

    @Test
    void otherErrorsStillFail() {
        portal.script(io.camelbitrix24.emulator.Answer.error(io.camelbitrix24.emulator.Bitrix24Error.ACCESS_DENIED));
        Exchange out = template.request("direct:idempotent", e -> e.getMessage().setBody(1));
        assertNull(out.getException(), "handled by onException");
        assertInstanceOf(Bitrix24AccessDeniedException.class, out.getProperty(Exchange.EXCEPTION_CAUGHT));
    }

    @Test
    void withoutTheOptionNotFoundFails() throws Exception {
        getMockEndpoint("mock:error").expectedMessageCount(1);
        template.sendBody("direct:strict", 424242);
        MockEndpoint.assertIsSatisfied(context);
        assertInstanceOf(Bitrix24NotFoundException.class,
                getMockEndpoint("mock:error").getReceivedExchanges().get(0).getProperty(Exchange.EXCEPTION_CAUGHT));
    }
}
