package io.camelbitrix24.testing;

import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;

/**
 * A Camel Main app configured by properties only, as a user's application.properties would, with one route:
 * {@code direct:delete -> bitrix24-crm:lead/delete}. Made and started by {@link #start}, stopped by {@link #close}.
 */
public final class DeletingMainApp implements AutoCloseable {

    private final Main main = new Main();

    private DeletingMainApp(Map<String, String> properties) {
        properties.forEach(main::addInitialProperty);
        main.configure().addRoutesBuilder(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:delete").to("bitrix24-crm:lead/delete");
            }
        });
    }

    /** The app, started; a start that fails stops what it began and throws. */
    public static DeletingMainApp start(Map<String, String> properties) throws Exception {
        DeletingMainApp app = new DeletingMainApp(properties);
        try {
            app.main.start();
        } catch (Exception e) {
            app.close();
            throw e;
        }
        return app;
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    /** Sends {@code body} through the route; the exchange as it came back. */
    public Exchange delete(Object body) {
        return context().createProducerTemplate().request("direct:delete", e -> e.getMessage().setBody(body));
    }

    @Override
    public void close() {
        main.stop();
    }
}
