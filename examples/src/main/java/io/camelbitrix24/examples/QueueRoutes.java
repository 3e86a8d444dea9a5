package io.camelbitrix24.examples;

import io.camelbitrix24.crm.Bitrix24CrmConstants;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.processor.aggregate.GroupedBodyAggregationStrategy;

/**
 * Queue: lead ids arrive on a JMS queue, taken by four concurrent consumers; Camel's aggregator groups them by 50 and
 * the component deletes each group in one {@code batch} call. Items Bitrix24 refused, ids that are not ids, and
 * anything that fails as a whole go to the dead letter queue {@code <queue>.DLQ} with the reason in the
 * {@value #FAILURE} property. (The aggregator holds up to 50 ids in memory between queue and portal: give it a
 * persistent AggregationRepository where a crash must not lose them.)
 */
public class QueueRoutes extends RouteBuilder {

    public static final String FAILURE = "Bitrix24Failure";

    @Override
    public void configure() {
        errorHandler(deadLetterChannel("jms:queue:{{example.queue}}.DLQ").useOriginalMessage()
                .onPrepareFailure(exchange -> exchange.getMessage().setHeader(FAILURE,
                        exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class).toString())));

        from("jms:queue:{{example.queue}}?concurrentConsumers=4")
                .routeId("queue-consumer")
                .convertBodyTo(String.class)
                .choice()
                    .when(simple("${body.trim()} regex '[0-9]{1,10}'"))
                        .to("direct:batch")
                    .otherwise()
                        .setHeader(FAILURE, simple("not a lead id: '${body}'"))
                        .to("jms:queue:{{example.queue}}.DLQ");

        from("direct:batch")
                .routeId("queue-batches")
                .aggregate(constant(true), new GroupedBodyAggregationStrategy()).completionSize(50).completionTimeout(500)
                    .to("bitrix24-crm:lead/delete")
                    .log("batch: ${header." + Bitrix24CrmConstants.BATCH_SUCCEEDED + "} deleted, ${header."
                         + Bitrix24CrmConstants.BATCH_FAILED + "} failed")
                    .split(body())
                        .filter(simple("${body.success} == false"))
                        .setHeader(FAILURE, simple("${body.exception.class.simpleName}: ${body.exception.message}"))
                        .setBody(simple("${body.input}"))
                        .convertBodyTo(String.class)
                        .to("jms:queue:{{example.queue}}.DLQ");
    }
}
