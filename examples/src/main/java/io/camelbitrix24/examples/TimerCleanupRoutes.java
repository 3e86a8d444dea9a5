package io.camelbitrix24.examples;

import io.camelbitrix24.crm.Bitrix24CrmConstants;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Timer: a scheduled cleanup. Asks the portal for the leads in status JUNK ({@code crm.lead.list} over Camel HTTP,
 * read with Jackson) and unbinds all contacts of each with {@code bitrix24-crm:lead-contact/items-delete}. The list
 * call's address goes in a header, so the webhook code never appears in an endpoint URI Camel prints.
 */
public class TimerCleanupRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:junk-cleanup?delay=200&period={{example.cleanup.period:60000}}&repeatCount={{example.cleanup.runs:0}}")
                .routeId("junk-leads-cleanup")
                .setHeader(Exchange.HTTP_METHOD, constant("POST"))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader(Exchange.HTTP_URI, simple("{{camel.component.bitrix24-crm.webhookUrl}}crm.lead.list"))
                .setBody(constant("{\"filter\": {\"STATUS_ID\": \"JUNK\"}, \"select\": [\"ID\"]}"))
                .to("http://bitrix24-portal")
                .unmarshal().json()
                .log("cleanup: ${body[result].size()} junk leads")
                .split(simple("${body[result]}"))
                    .setHeader(Bitrix24CrmConstants.ID, simple("${body[ID]}"))
                    .setBody(constant(null))
                    .to("bitrix24-crm:lead-contact/items-delete")
                    .log("cleanup: lead ${header.CamelBitrix24CrmId} has no contacts now");
    }
}
