package io.camelbitrix24.examples;

import io.camelbitrix24.crm.Bitrix24Exception;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * The README's quick start route, word for word between the markers: a test keeps the two the same and runs it in its
 * own JVM with the README's application.properties.
 */
public class QuickStartRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // README:start
        from("file:inbox?include=.*\\.txt&moveFailed=failed")   // a text file of lead ids, one per line
            .split(body().tokenize("\n")).streaming()
                .doTry()
                    .to("bitrix24-crm:lead/delete")               // body "123" -> crm.lead.delete {"id":123}
                    .log("lead ${header.CamelBitrix24CrmId} deleted")
                .doCatch(Bitrix24Exception.class)                 // a bad line or a refused delete: the file goes on
                    .log(LoggingLevel.WARN, "line '${body}' not deleted: ${exception.message}")
                .end();
        // README:end
    }
}
