package io.camelbitrix24.examples;

import io.camelbitrix24.crm.Bitrix24CrmConstants;
import org.apache.camel.builder.RouteBuilder;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.spi.AggregationRepository;

/**
 * Queue: lead ids arrive on a JMS queue, taken by four concurrent consumers; Camel's aggregator groups them by 50 and
 * the component deletes each group in one {@code batch} call. Items Bitrix24 refused, ids that are not ids, and
 * anything that fails as a whole go to the dead letter queue {@code <queue>.DLQ} with the reason in the
 * {@value #FAILURE} property.
 * <p>
 * Nothing is lost on a crash: each message is taken in a JMS transaction that commits only once the aggregator has
 * stored its id in the {@link AggregationRepository} (a database: {@link BatchStore}), and a stored batch leaves the
 * repository only when its delete is through. Delivery is at least once, so a batch cut short by a crash may be
 * deleted again after a restart: {@code notFoundIsSuccess} makes a second delete of a lead already gone a success.
 */
public class QueueRoutes extends RouteBuilder {

    public static final String FAILURE = "Bitrix24Failure";

    private final AggregationRepository batches;

    public QueueRoutes(AggregationRepository batches) {
        this.batches = batches;
    }

    @Override
    public void configure() {
        errorHandler(deadLetterChannel("jms:queue:{{example.queue}}.DLQ").useOriginalMessage()
                .onPrepareFailure(exchange -> exchange.getMessage().setHeader(FAILURE,
                        exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class).toString())));

        from("jms:queue:{{example.queue}}?concurrentConsumers=4&transacted=true&cacheLevelName=CACHE_CONSUMER")
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
                .aggregate(constant(true), QueueRoutes::collectIds).aggregationRepository(batches)
                    .completionSize(50).completionTimeout(500)
                    .to("bitrix24-crm:lead/delete?notFoundIsSuccess=true")
                    .log("batch: ${header." + Bitrix24CrmConstants.BATCH_SUCCEEDED + "} deleted or already gone, ${header."
                         + Bitrix24CrmConstants.BATCH_FAILED + "} failed")
                    .split(body())
                        .filter(simple("${body.success} == false"))
                        .setHeader(FAILURE, simple("${body.exception.class.simpleName}: ${body.exception.message}"))
                        .setBody(simple("${body.input}"))
                        .convertBodyTo(String.class)
                        .to("jms:queue:{{example.queue}}.DLQ");
    }

    /**
     * The ids of a batch collected as a list in the body, which the repository stores with the exchange (a grouped
     * exchange, as GroupedBodyAggregationStrategy keeps it, lives in a property that does not survive storing).
     */
    @SuppressWarnings("unchecked")
    static Exchange collectIds(Exchange batch, Exchange next) {
        String id = next.getMessage().getBody(String.class).trim();
        if (batch == null) {
            List<String> ids = new ArrayList<>();
            ids.add(id);
            next.getMessage().setBody(ids);
            return next;
        }
        batch.getMessage().getBody(List.class).add(id);
        return batch;
    }
}
