package io.camelbitrix24.examples;

import io.camelbitrix24.crm.Bitrix24Exception;
import io.camelbitrix24.crm.Bitrix24CrmConstants;
import org.apache.camel.builder.RouteBuilder;

/**
 * The Java DSL routes of the demo. The portal's credentials are not here: they are component options
 * ({@code camel.component.bitrix24-crm.webhookUrl}), so no route or log line carries them.
 */
public class DemoRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // a failed delete is reported and the route goes on with the next id
        onException(Bitrix24Exception.class)
                .handled(true)
                .log("lead ${header." + Bitrix24CrmConstants.ID + "}: not deleted, ${exception.class.simpleName}: "
                     + "${exception.message}");

        // file drop: every line of a .txt file in the inbox is a lead id to delete
        from("file:{{demo.dir}}/leads-inbox?include=.*\\.txt&move=.done/${file:name}")
                .routeId("leads-file-drop")
                .log("file ${header.CamelFileName}: deleting the leads it lists")
                .split(body().tokenize("\n"))
                    .filter(simple("${body.trim()} != ''"))
                    .setHeader(Bitrix24CrmConstants.ID, simple("${body.trim()}"))
                    .to("bitrix24-crm:lead/delete")
                    .log("lead ${header." + Bitrix24CrmConstants.ID + "}: deleted (result ${body})");

        // timer: once, unbind every contact of the leads marked JUNK
        from("timer:junk-cleanup?repeatCount=1&delay=500")
                .routeId("junk-leads-cleanup")
                .bean("demoPortal", "junkLeadIds")
                .log("timer: unbinding the contacts of junk leads ${body}")
                .split(body())
                    .setHeader(Bitrix24CrmConstants.ID, body())
                    .to("bitrix24-crm:lead-contact/items-delete")
                    .log("lead ${header." + Bitrix24CrmConstants.ID + "}: contacts unbound (result ${body})");
    }
}
