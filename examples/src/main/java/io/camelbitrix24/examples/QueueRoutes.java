package io.camelbitrix24.examples;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Queue: lead ids arrive on a JMS queue, one per message, taken by 50 concurrent consumers, and each is deleted with
 * the plain route: no aggregator. The deletes that wait for the portal's turn leave together as batch calls (the
 * component's coalescing), so the queue drains at batch speed. Ids that are not ids, and deletes Bitrix24 refused, go
 * to the dead letter queue {@code <queue>.DLQ} with the reason in the {@value #FAILURE} property.
 * <p>
 * Nothing is lost on a crash: each message is taken in a JMS transaction that commits only once its delete is through
 * (or its failure is on the dead letter queue); a JVM that dies first leaves the message on the queue, and the broker
 * delivers it again. Delivery is at least once, so a delete cut short by a crash may be sent again after a restart:
 * {@code notFoundIsSuccess} makes a second delete of a lead already gone a success.
 */
public class QueueRoutes extends RouteBuilder {

    public static final String FAILURE = "Bitrix24Failure";

    @Override
    public void configure() {
        errorHandler(deadLetterChannel("jms:queue:{{example.queue}}.DLQ").useOriginalMessage()
                .onPrepareFailure(exchange -> exchange.getMessage().setHeader(FAILURE,
                        exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).toString())));

        from("jms:queue:{{example.queue}}?concurrentConsumers=50&transacted=true&cacheLevelName=CACHE_CONSUMER")
                .routeId("queue-consumer")
                .convertBodyTo(String.class)
                .choice()
                    .when(simple("${body.trim()} regex '[0-9]{1,10}'"))
                        .to("bitrix24-crm:lead/delete?notFoundIsSuccess=true")
                    .otherwise()
                        .setHeader(FAILURE, simple("not a lead id: '${body}'"))
                        .to("jms:queue:{{example.queue}}.DLQ");
    }
}
